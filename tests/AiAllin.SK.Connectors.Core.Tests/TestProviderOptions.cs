using System.Text;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class TestProviderOptions : ProviderOptions
{
    public bool KeyOptional { get; set; }

    public float MaxTemperatureOverride { get; set; } = 2f;

    public string? Region { get; set; }

    protected override bool RequiresApiKey => !KeyOptional;

    protected override float MaxTemperature => MaxTemperatureOverride;

    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["TEST_API_KEY", "TEST_FALLBACK_KEY"];

    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["TEST_MODEL"];

    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["TEST_BASE_URL"];

    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        if (Region is "moon")
        {
            errors.Add($"{sectionName}:Region 'moon' is not served.");
        }
    }

    protected override void AppendMembers(StringBuilder builder) => builder.Append(", Region = ").Append(Region);
}
