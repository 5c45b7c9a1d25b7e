namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Settings for chat through Hugging Face's OpenAI-compatible router (<c>https://router.huggingface.co/v1</c>), which
/// serves Hub models through Hugging Face's inference providers; a model id may name a provider or policy after a colon
/// (<c>openai/gpt-oss-120b:cerebras</c>, <c>…:fastest</c>). Bind from the <c>AiAllin:HuggingFaceRouter</c> section;
/// unset values come from <c>HF_TOKEN</c> or <c>HUGGINGFACE_API_KEY</c>, <c>HF_MODEL</c> and <c>HF_ROUTER_BASE_URL</c>.
/// </summary>
public sealed class HuggingFaceRouterOptions : OpenAIOptions
{
    /// <summary>The configuration section the Hugging Face router registration methods read by default.</summary>
    public new const string DefaultSectionName = "AiAllin:HuggingFaceRouter";

    /// <inheritdoc />
    public override string ProviderName => "Hugging Face";

    /// <inheritdoc />
    public override Uri DefaultEndpoint => new("https://router.huggingface.co/v1");

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["HF_TOKEN", "HUGGINGFACE_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["HF_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["HF_ROUTER_BASE_URL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EmbeddingModelEnvironmentVariables => [];
}
