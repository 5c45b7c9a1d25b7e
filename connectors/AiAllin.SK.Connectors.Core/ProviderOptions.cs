using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace AiAllin.SK.Connectors.Core;

/// <summary>
/// The settings every provider connector shares. Subclass it per provider for extras and to name the provider's
/// environment variables; bind it from <c>IConfiguration</c> (for example the <c>AiAllin:Gemini</c> section).
/// </summary>
/// <remarks>
/// <see cref="Validate(string)"/> fails with a message naming the setting, so a missing key or model stops the app at
/// registration rather than at the first request. <see cref="ToString"/> never shows the key, and the key is excluded
/// from JSON serialization and from the debugger's member list.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public class ProviderOptions
{
    /// <summary>Gets or sets the API key. Never printed; see <see cref="SecretRedactor.Describe(string?)"/>.</summary>
    [JsonIgnore]
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the model id, for example <c>gemini-2.5-flash</c>.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the default maximum number of output tokens; <see langword="null"/> leaves it to the provider.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Gets or sets the default sampling temperature; <see langword="null"/> leaves it to the provider.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the base address; <see langword="null"/> uses the provider's public endpoint.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the time allowed for one request; <see langword="null"/> keeps the HTTP client's default.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Gets or sets whether plain <c>http://</c> is allowed to a host other than loopback. Off by default: the key would
    /// travel in clear text. Turn it on only for a trusted network (for example a container name inside one host).
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Gets or sets how many times a request that failed transiently (408, 429, 500, 502, 503, 504, or a connection
    /// failure before any response) is sent again; 0 turns retries off. Streams are retried only before their first
    /// byte, never after tokens were delivered.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// Gets or sets the longest wait before a retry. A <c>Retry-After</c> longer than this is not waited for: the
    /// request fails at once with a <see cref="ProviderException"/> carrying <see cref="ProviderException.RetryAfter"/>,
    /// so a caller (or a rate limiter) decides, instead of a thread sleeping for an hour.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the name of an <see cref="HttpClient"/> registered with <c>services.AddHttpClient(name)</c> whose
    /// message handlers (proxy, client certificate, telemetry, the primary handler) carry this provider's requests when
    /// it is resolved from dependency injection; <see langword="null"/> (the default) uses the provider's own pooled
    /// handler. The provider's retry and error handling stay on top of the named client's handlers, and the handler is
    /// taken from the factory for every request, so the factory's handler rotation (DNS changes) keeps working.
    /// </summary>
    /// <remarks>
    /// Opt-in rather than taken from the factory's default client: a default such as
    /// <c>ConfigureHttpClientDefaults(b =&gt; b.AddStandardResilienceHandler())</c> would add a second retry layer and a
    /// total-request timeout that cuts long streams short. Add only what the provider's calls should have.
    /// </remarks>
    public string? HttpClientName { get; set; }

    /// <summary>Gets whether the provider needs an API key; <see langword="false"/> for local servers such as Ollama.</summary>
    protected virtual bool RequiresApiKey => true;

    /// <summary>Gets whether a model must be named; <see langword="false"/> for servers that host a single model.</summary>
    protected virtual bool RequiresModel => true;

    /// <summary>Gets the highest temperature the provider accepts (2 for OpenAI and Gemini, 1 for Anthropic).</summary>
    protected virtual float MaxTemperature => 2f;

    /// <summary>Gets the environment variables that may hold the API key, in order of preference (for example <c>OPENAI_API_KEY</c>).</summary>
    protected virtual IReadOnlyList<string> ApiKeyEnvironmentVariables => [];

    /// <summary>Gets the environment variables that may hold the model id.</summary>
    protected virtual IReadOnlyList<string> ModelEnvironmentVariables => [];

    /// <summary>Gets the environment variables that may hold the endpoint (for example <c>OPENAI_BASE_URL</c>).</summary>
    protected virtual IReadOnlyList<string> EndpointEnvironmentVariables => [];

    /// <summary>Fills settings that are still unset from the provider's environment variables.</summary>
    public void ApplyEnvironmentDefaults() => ApplyEnvironmentDefaults(Environment.GetEnvironmentVariable);

    /// <summary>Fills settings that are still unset from variables read through <paramref name="getVariable"/>.</summary>
    /// <param name="getVariable">Returns a variable's value or <see langword="null"/>; lets tests and hosts supply their own source.</param>
    /// <exception cref="InvalidOperationException">An endpoint variable is set but is not an absolute http(s) URI.</exception>
    public virtual void ApplyEnvironmentDefaults(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.IsNullOrWhiteSpace(ApiKey) && FirstSet(ApiKeyEnvironmentVariables, getVariable) is { } key)
        {
            ApiKey = key.Value.Trim();
        }

        if (string.IsNullOrWhiteSpace(Model) && FirstSet(ModelEnvironmentVariables, getVariable) is { } model)
        {
            Model = model.Value.Trim();
        }

        if (Endpoint is null && FirstSet(EndpointEnvironmentVariables, getVariable) is { } endpoint)
        {
            // "localhost:11434" parses as a URI with scheme "localhost", so the scheme is checked too.
            Endpoint = Uri.TryCreate(endpoint.Value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri
                : throw new InvalidOperationException($"Environment variable {endpoint.Name} must be an absolute http(s) URI such as https://host:port/.");
        }
    }

    /// <summary>Checks the settings and throws one exception listing every problem.</summary>
    /// <param name="sectionName">The configuration section the options came from, for example <c>AiAllin:Gemini</c>; used to name settings.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it (never its value when it is the key).</exception>
    public void Validate(string sectionName)
    {
        var errors = GetValidationErrors(sectionName);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }
    }

    /// <summary>Returns every problem with the settings, each naming the setting; empty when valid.</summary>
    /// <param name="sectionName">The configuration section the options came from, for example <c>AiAllin:Gemini</c>.</param>
    /// <returns>The problems, one sentence each.</returns>
    public IReadOnlyList<string> GetValidationErrors(string sectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var errors = new List<string>();
        var section = sectionName.TrimEnd(':');

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            if (RequiresApiKey)
            {
                errors.Add($"{section}:ApiKey is required{OrSet(ApiKeyEnvironmentVariables)}.");
            }
        }
        else if (ApiKey.AsSpan().ContainsAny(" \t\r\n"))
        {
            errors.Add($"{section}:ApiKey contains whitespace or a line break; check for a stray newline around the key.");
        }

        if (RequiresModel && string.IsNullOrWhiteSpace(Model))
        {
            errors.Add($"{section}:Model is required{OrSet(ModelEnvironmentVariables)}.");
        }

        if (MaxTokens is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:MaxTokens must be positive (was {MaxTokens})."));
        }

        if (Temperature is { } temperature && !(temperature >= 0 && temperature <= MaxTemperature))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:Temperature must be between 0 and {MaxTemperature} (was {temperature})."));
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:Timeout must be positive (was {timeout})."));
        }

        if (MaxRetries < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:MaxRetries must be 0 or more (was {MaxRetries})."));
        }

        if (MaxRetryDelay < TimeSpan.Zero)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:MaxRetryDelay must not be negative (was {MaxRetryDelay})."));
        }

        if (Endpoint is { } endpoint)
        {
            AddEndpointErrors(section, endpoint, errors);
        }

        if (HttpClientName is not null && string.IsNullOrWhiteSpace(HttpClientName))
        {
            errors.Add($"{section}:HttpClientName must not be blank; leave it unset to use the provider's own handler.");
        }

        AddValidationErrors(section, errors);
        return errors;
    }

    /// <summary>Returns a description of the settings; the key is shown only as its public prefix or <c>***</c>.</summary>
    /// <returns>For example <c>GeminiOptions { Model = gemini-2.5-flash, ApiKey = AIza…(redacted), … }</c>.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder(GetType().Name).Append(" { ");
        builder.Append("Model = ").Append(Model ?? "(not set)");
        builder.Append(", ApiKey = ").Append(SecretRedactor.Describe(ApiKey));
        if (Endpoint is not null)
        {
            builder.Append(", Endpoint = ").Append(DescribeEndpoint(Endpoint));
        }

        if (MaxTokens is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", MaxTokens = {MaxTokens}");
        }

        if (Temperature is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Temperature = {Temperature}");
        }

        if (Timeout is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", Timeout = {Timeout}");
        }

        if (AllowInsecureHttp)
        {
            builder.Append(", AllowInsecureHttp = true");
        }

        if (HttpClientName is not null)
        {
            builder.Append(", HttpClientName = ").Append(HttpClientName);
        }

        AppendMembers(builder);
        return builder.Append(" }").ToString();
    }

    /// <summary>Adds a subclass's own problems; each message should name the setting as <c>{sectionName}:Setting</c>.</summary>
    /// <param name="sectionName">The section name without a trailing colon.</param>
    /// <param name="errors">The list to add to.</param>
    protected virtual void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
    }

    /// <summary>Appends a subclass's own settings to <see cref="ToString"/> as <c>, Name = value</c>; never append a secret.</summary>
    /// <param name="builder">The builder to append to.</param>
    protected virtual void AppendMembers(StringBuilder builder)
    {
    }

    private void AddEndpointErrors(string section, Uri endpoint, List<string> errors)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            errors.Add($"{section}:Endpoint must be an absolute URI such as https://host/.");
            return;
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{section}:Endpoint must use https:// (was {endpoint.Scheme}://).");
        }
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback && !AllowInsecureHttp)
        {
            errors.Add($"{section}:Endpoint uses http:// to {endpoint.Host}, which would send the key in clear text; use https://, a loopback address, or set {section}:AllowInsecureHttp to true.");
        }
    }

    private static string DescribeEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            return SecretRedactor.Redact(endpoint.OriginalString);
        }

        // Credentials can hide in user info and query strings.
        var builder = new UriBuilder(endpoint) { UserName = string.Empty, Password = string.Empty };
        return SecretRedactor.Redact(builder.Uri.AbsoluteUri);
    }

    private static string OrSet(IReadOnlyList<string> variables)
        => variables.Count == 0 ? string.Empty : " (or set " + string.Join(" or ", variables) + ")";

    private static (string Name, string Value)? FirstSet(IReadOnlyList<string> variables, Func<string, string?> getVariable)
    {
        foreach (var name in variables)
        {
            if (getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return (name, value);
            }
        }

        return null;
    }
}
