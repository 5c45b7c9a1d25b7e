namespace AiAllin.SK.Connectors.Anthropic.Tests;

public sealed class AnthropicOptionsTests
{
    private const string Key = "sk-ant-api03-options-test-key-0123456789";

    [Fact]
    public void Validate_WithoutKeyAndModel_NamesBothSettingsAndTheirVariables()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new AnthropicOptions().Validate(AnthropicOptions.DefaultSectionName));

        Assert.Contains("AiAllin:Anthropic:ApiKey is required (or set ANTHROPIC_API_KEY)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AiAllin:Anthropic:Model is required (or set ANTHROPIC_MODEL)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.01f)]
    [InlineData(2f)]
    public void Validate_TemperatureAboveOne_IsRejected(float temperature)
    {
        var options = Valid();
        options.Temperature = temperature;

        var errors = options.GetValidationErrors("Claude");

        Assert.Contains(errors, e => e.StartsWith("Claude:Temperature must be between 0 and 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ThinkingBudgetBelowTheApiMinimum_IsRejected()
    {
        var options = Valid();
        options.ThinkingBudgetTokens = 512;

        var errors = options.GetValidationErrors("AiAllin:Anthropic");

        Assert.Equal(["AiAllin:Anthropic:ThinkingBudgetTokens must be at least 1024 (was 512)."], errors);
    }

    [Fact]
    public void Validate_ThinkingBudgetNotBelowMaxTokens_IsRejectedNamingMaxTokens()
    {
        var options = Valid();
        options.ThinkingBudgetTokens = 4096;

        var error = Assert.Single(options.GetValidationErrors("AiAllin:Anthropic"));

        Assert.Contains("must be below MaxTokens (4096)", error, StringComparison.Ordinal);
        Assert.Contains("AiAllin:Anthropic:MaxTokens", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ThinkingBudgetBelowMaxTokens_IsAccepted()
    {
        var options = Valid();
        options.ThinkingBudgetTokens = 2000;
        options.MaxTokens = 6000;

        Assert.Empty(options.GetValidationErrors("AiAllin:Anthropic"));
    }

    [Fact]
    public void Validate_PlainHttpToARemoteHost_IsRejected()
    {
        var options = Valid();
        options.Endpoint = new Uri("http://claude.example.com/");

        Assert.Contains(options.GetValidationErrors("AiAllin:Anthropic"), e => e.Contains("clear text", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AnthropicVersionWithWhitespace_IsRejected()
    {
        var options = Valid();
        options.AnthropicVersion = "2023-06-01\n";

        Assert.Contains(options.GetValidationErrors("AiAllin:Anthropic"), e => e.StartsWith("AiAllin:Anthropic:AnthropicVersion", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_MaxTokensIs4096AndTheEndpointIsThePublicApi()
    {
        var options = Valid();

        Assert.Equal(4096, options.EffectiveMaxTokens);
        Assert.Equal(new Uri("https://api.anthropic.com/"), options.EffectiveEndpoint);
        options.MaxTokens = 100;
        Assert.Equal(100, options.EffectiveMaxTokens);
    }

    [Fact]
    public void EnvironmentDefaults_FillKeyModelAndBaseUrlButNotSetValues()
    {
        var variables = new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = Key,
            ["ANTHROPIC_MODEL"] = "claude-from-env",
            ["ANTHROPIC_BASE_URL"] = "https://proxy.example.com/anthropic/",
        };
        var options = new AnthropicOptions { Model = "claude-set" };

        options.ApplyEnvironmentDefaults(name => variables.GetValueOrDefault(name));

        Assert.Equal(Key, options.ApiKey);
        Assert.Equal("claude-set", options.Model);
        Assert.Equal(new Uri("https://proxy.example.com/anthropic/"), options.Endpoint);
    }

    [Fact]
    public void ToString_ShowsSettingsButNeverTheKey()
    {
        var options = Valid();
        options.ThinkingBudgetTokens = 2048;
        options.EnablePromptCaching = true;
        options.AnthropicVersion = "2023-06-01";

        var text = options.ToString();

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains("sk-ant-…(redacted)", text, StringComparison.Ordinal);
        Assert.Contains("ThinkingBudgetTokens = 2048", text, StringComparison.Ordinal);
        Assert.Contains("EnablePromptCaching = true", text, StringComparison.Ordinal);
        Assert.Contains("AnthropicVersion = 2023-06-01", text, StringComparison.Ordinal);
    }

    private static AnthropicOptions Valid() => new() { ApiKey = Key, Model = "claude-test" };
}
