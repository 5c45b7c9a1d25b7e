using System.Globalization;
using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>
/// Settings of the Ollama chat client: the shared <see cref="ProviderOptions"/> plus Ollama's keep-alive, model pulls,
/// context size, extra model options and thinking. No key is needed for a local server; when Ollama sits behind a
/// proxy that wants one, <see cref="ProviderOptions.ApiKey"/> is sent as a bearer token.
/// </summary>
/// <remarks>
/// Environment defaults: <c>OLLAMA_HOST</c> (endpoint), <c>OLLAMA_MODEL</c> (model) and <c>OLLAMA_API_KEY</c> (key).
/// Without an endpoint, <c>http://localhost:11434/</c> is used; plain http is accepted on loopback only unless
/// <see cref="ProviderOptions.AllowInsecureHttp"/> is set.
/// </remarks>
public class OllamaOptions : ProviderOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:Ollama";

    /// <summary>The address of a local Ollama server.</summary>
    public static readonly Uri DefaultEndpoint = new("http://localhost:11434/");

    /// <summary>
    /// Gets or sets how long the server keeps the model loaded after a request, in Ollama's duration syntax
    /// (<c>5m</c>, <c>1h</c>, <c>0</c> to unload at once, <c>-1</c> to keep it loaded); <see langword="null"/> leaves the
    /// server's default.
    /// </summary>
    public string? KeepAlive { get; set; }

    /// <summary>
    /// Gets or sets whether a model the server does not have is pulled (<c>/api/pull</c>) when a request fails with
    /// "model not found", after which the request is sent once more. Off by default: a pull can download gigabytes.
    /// </summary>
    public bool PullModelIfMissing { get; set; }

    /// <summary>Gets or sets the context window size (<c>options.num_ctx</c>); <see langword="null"/> leaves the model's default.</summary>
    public int? NumCtx { get; set; }

    /// <summary>
    /// Gets extra model options sent in the request's <c>options</c> object as they are (for example <c>top_k</c>,
    /// <c>repeat_penalty</c>, <c>num_gpu</c>); values set by a request's <c>ChatOptions</c> win.
    /// </summary>
    public IDictionary<string, object?> ModelOptions { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets whether a thinking model returns its reasoning separately (<c>think</c>); the reasoning arrives as
    /// <c>TextReasoningContent</c>. <see langword="null"/> leaves the server's default.
    /// </summary>
    public bool? Think { get; set; }

    /// <summary>
    /// Gets <see cref="KeepAlive"/> as Ollama parses it: a bare number is taken as seconds and sent as <c>"{n}s"</c>
    /// (the server reads strings as Go durations, which need a unit), anything else as written.
    /// </summary>
    internal string? KeepAliveForWire =>
        KeepAlive is { } value && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && value.Trim() != "0"
            ? value.Trim() + "s"
            : KeepAlive?.Trim();

    /// <summary>Gets the endpoint to use: <see cref="ProviderOptions.Endpoint"/> or <see cref="DefaultEndpoint"/>, with a trailing slash.</summary>
    public Uri EffectiveEndpoint
    {
        get
        {
            var endpoint = Endpoint ?? DefaultEndpoint;
            return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        }
    }

    /// <inheritdoc />
    protected override bool RequiresApiKey => false;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["OLLAMA_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["OLLAMA_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["OLLAMA_HOST"];

    /// <inheritdoc />
    public override void ApplyEnvironmentDefaults(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);

        // Ollama itself accepts OLLAMA_HOST without a scheme ("127.0.0.1:11434"); so do we, as plain http.
        if (Endpoint is null && getVariable("OLLAMA_HOST") is { } host && !string.IsNullOrWhiteSpace(host) && !host.Contains("://", StringComparison.Ordinal))
        {
            Endpoint = Uri.TryCreate("http://" + host.Trim(), UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException("Environment variable OLLAMA_HOST must be host:port or an absolute http(s) URI.");
        }

        base.ApplyEnvironmentDefaults(getVariable);
    }

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (NumCtx is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:NumCtx must be positive (was {NumCtx})."));
        }

        if (KeepAlive is not null && string.IsNullOrWhiteSpace(KeepAlive))
        {
            errors.Add($"{sectionName}:KeepAlive must be a duration such as 5m, 0 or -1.");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append(", Endpoint used = ").Append(EffectiveEndpoint.GetLeftPart(UriPartial.Authority));
        if (KeepAlive is not null)
        {
            builder.Append(", KeepAlive = ").Append(KeepAlive);
        }

        if (PullModelIfMissing)
        {
            builder.Append(", PullModelIfMissing = true");
        }

        if (NumCtx is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", NumCtx = {NumCtx}");
        }

        if (Think is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Think = {Think}");
        }
    }
}
