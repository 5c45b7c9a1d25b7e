namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Settings for Groq's OpenAI-compatible API (<c>https://api.groq.com/openai/v1</c>). Bind from the
/// <c>AiAllin:Groq</c> section; unset values come from <c>GROQ_API_KEY</c>, <c>GROQ_MODEL</c> and <c>GROQ_BASE_URL</c>.
/// Groq's extra response fields (<c>x_groq</c>, timing fields in <c>usage</c>) are accepted and kept in the raw representation.
/// </summary>
public sealed class GroqOptions : OpenAIOptions
{
    /// <summary>The configuration section the Groq registration methods read by default.</summary>
    public new const string DefaultSectionName = "AiAllin:Groq";

    /// <inheritdoc />
    public override string ProviderName => "Groq";

    /// <inheritdoc />
    public override Uri DefaultEndpoint => new("https://api.groq.com/openai/v1");

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["GROQ_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["GROQ_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["GROQ_BASE_URL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EmbeddingModelEnvironmentVariables => [];
}
