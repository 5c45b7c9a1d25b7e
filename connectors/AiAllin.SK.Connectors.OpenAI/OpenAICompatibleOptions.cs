using System.Text;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Settings for any server that speaks the OpenAI Chat Completions and Embeddings API: LM Studio, vLLM, the llama.cpp
/// server, Ollama's <c>/v1</c>, Together, OpenRouter... The endpoint (base URL including <c>/v1</c>) and the model are
/// required; the key is optional because local servers need none. Bind from the <c>AiAllin:OpenAICompatible</c>
/// section; unset values come from <c>OPENAI_COMPATIBLE_API_KEY</c>, <c>OPENAI_COMPATIBLE_MODEL</c> and
/// <c>OPENAI_COMPATIBLE_BASE_URL</c>. The static presets fill in the usual base URLs.
/// </summary>
public sealed class OpenAICompatibleOptions : OpenAIOptions
{
    /// <summary>The configuration section the OpenAI-compatible registration methods read by default.</summary>
    public new const string DefaultSectionName = "AiAllin:OpenAICompatible";

    private string _name = "OpenAI-compatible";

    /// <summary>Gets or sets the server's name, used in exceptions and logs (for example <c>vLLM</c>).</summary>
    public string Name
    {
        get => _name;
        set => _name = string.IsNullOrWhiteSpace(value) ? "OpenAI-compatible" : value;
    }

    /// <inheritdoc />
    public override string ProviderName => Name;

    /// <inheritdoc />
    /// <remarks>There is no public default; <c>Endpoint</c> must be set and validation says so.</remarks>
    public override Uri DefaultEndpoint => new("http://localhost:8000/v1");

    /// <inheritdoc />
    protected override bool RequiresApiKey => false;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["OPENAI_COMPATIBLE_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["OPENAI_COMPATIBLE_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["OPENAI_COMPATIBLE_BASE_URL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EmbeddingModelEnvironmentVariables => ["OPENAI_COMPATIBLE_EMBEDDING_MODEL"];

    /// <summary>Creates settings for LM Studio's local server (<c>http://localhost:1234/v1</c>, no key).</summary>
    /// <param name="model">The model id as LM Studio lists it.</param>
    /// <returns>The settings.</returns>
    public static OpenAICompatibleOptions LMStudio(string model) => Preset("LM Studio", "http://localhost:1234/v1", model, apiKey: null);

    /// <summary>Creates settings for a local vLLM server (<c>http://localhost:8000/v1</c>, no key).</summary>
    /// <param name="model">The served model name.</param>
    /// <returns>The settings.</returns>
    public static OpenAICompatibleOptions Vllm(string model) => Preset("vLLM", "http://localhost:8000/v1", model, apiKey: null);

    /// <summary>Creates settings for the llama.cpp server (<c>http://localhost:8080/v1</c>, no key).</summary>
    /// <param name="model">The model name the server reports (it serves one model and accepts any name).</param>
    /// <returns>The settings.</returns>
    public static OpenAICompatibleOptions LlamaCpp(string model = "default") => Preset("llama.cpp", "http://localhost:8080/v1", model, apiKey: null);

    /// <summary>Creates settings for Ollama's OpenAI-compatible API (<c>http://localhost:11434/v1</c>, no key).</summary>
    /// <param name="model">The model, for example <c>llama3.2</c>.</param>
    /// <returns>The settings.</returns>
    public static OpenAICompatibleOptions Ollama(string model) => Preset("Ollama", "http://localhost:11434/v1", model, apiKey: null);

    /// <summary>Creates settings for Together AI (<c>https://api.together.xyz/v1</c>).</summary>
    /// <param name="model">The model, for example <c>meta-llama/Llama-3.3-70B-Instruct-Turbo</c>.</param>
    /// <param name="apiKey">The Together API key.</param>
    /// <returns>The settings.</returns>
    public static OpenAICompatibleOptions Together(string model, string apiKey) => Preset("Together", "https://api.together.xyz/v1", model, apiKey);

    /// <summary>Creates settings for OpenRouter (<c>https://openrouter.ai/api/v1</c>).</summary>
    /// <param name="model">The model, for example <c>openai/gpt-4o-mini</c>.</param>
    /// <param name="apiKey">The OpenRouter API key.</param>
    /// <returns>The settings.</returns>
    public static OpenAICompatibleOptions OpenRouter(string model, string apiKey) => Preset("OpenRouter", "https://openrouter.ai/api/v1", model, apiKey);

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.AddValidationErrors(sectionName, errors);
        if (Endpoint is null)
        {
            errors.Add($"{sectionName}:Endpoint is required (the server's base URL including /v1, for example http://localhost:1234/v1; or set OPENAI_COMPATIBLE_BASE_URL).");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append(", Name = ").Append(Name);
        base.AppendMembers(builder);
    }

    private static OpenAICompatibleOptions Preset(string name, string endpoint, string model, string? apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return new OpenAICompatibleOptions { Name = name, Endpoint = new Uri(endpoint), Model = model, ApiKey = apiKey };
    }
}
