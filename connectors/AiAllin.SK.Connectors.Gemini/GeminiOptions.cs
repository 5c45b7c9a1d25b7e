using System.Globalization;
using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Settings of the Gemini chat client: the shared <see cref="ProviderOptions"/> plus safety settings, thinking and
/// the Vertex AI endpoint.
/// </summary>
/// <remarks>
/// <para>
/// Gemini API (the default): the key is sent only in the <c>x-goog-api-key</c> header, never in a URL. It comes from
/// <c>GEMINI_API_KEY</c>, then <c>GOOGLE_API_KEY</c>, when not set; the model from <c>GEMINI_MODEL</c>.
/// </para>
/// <para>
/// Vertex AI: set <see cref="VertexProject"/>, <see cref="VertexLocation"/> and <see cref="AccessTokenProvider"/>;
/// requests then go to <c>https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}</c>
/// (<c>aiplatform.googleapis.com</c> for the <c>global</c> location) with the token as a bearer, and no API key is sent.
/// </para>
/// </remarks>
public class GeminiOptions : ProviderOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:Gemini";

    /// <summary>The Gemini API's public address.</summary>
    public static readonly Uri DefaultEndpoint = new("https://generativelanguage.googleapis.com/");

    /// <summary>Gets or sets the Gemini API version in the path; <c>v1beta</c>, which has every feature this client uses.</summary>
    public string ApiVersion { get; set; } = "v1beta";

    /// <summary>Gets the safety settings sent with every request (<c>safetySettings</c>); empty leaves the API's defaults.</summary>
    public IList<GeminiSafetySetting> SafetySettings { get; } = [];

    /// <summary>
    /// Gets or sets whether thought summaries are returned (<c>thinkingConfig.includeThoughts</c>); they arrive as
    /// <c>TextReasoningContent</c>. <see langword="null"/> leaves the model's default. <c>ChatOptions.Reasoning.Output</c> wins.
    /// </summary>
    public bool? IncludeThoughts { get; set; }

    /// <summary>Gets or sets the thinking budget in tokens (<c>thinkingConfig.thinkingBudget</c>; 0 turns thinking off, -1 lets the model decide).</summary>
    public int? ThinkingBudget { get; set; }

    /// <summary>Gets or sets the Google Cloud project; setting it switches the client to Vertex AI.</summary>
    public string? VertexProject { get; set; }

    /// <summary>Gets or sets the Vertex AI location, for example <c>us-central1</c> or <c>global</c>.</summary>
    public string? VertexLocation { get; set; }

    /// <summary>
    /// Gets or sets the function that returns an OAuth 2 access token for Vertex AI (for example from
    /// <c>Azure.Identity</c>-style credentials or Google's application default credentials); it is called for every
    /// request, so it should cache and refresh the token itself. The token is never logged.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>Gets whether the options point at Vertex AI rather than the Gemini API.</summary>
    public bool UsesVertexAI => !string.IsNullOrWhiteSpace(VertexProject);

    /// <summary>Gets the endpoint to use, with a trailing slash: <see cref="ProviderOptions.Endpoint"/>, else the public address of the Gemini API or of the Vertex AI location.</summary>
    public Uri EffectiveEndpoint
    {
        get
        {
            var endpoint = Endpoint ?? (UsesVertexAI ? VertexEndpoint(VertexLocation) : DefaultEndpoint);
            return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        }
    }

    /// <inheritdoc />
    protected override bool RequiresApiKey => !UsesVertexAI;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["GEMINI_API_KEY", "GOOGLE_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["GEMINI_MODEL"];

    /// <summary>Returns the path of a model method relative to <see cref="EffectiveEndpoint"/>, for example <c>v1beta/models/gemini-2.5-flash:generateContent</c>.</summary>
    /// <param name="model">The model id, with or without the <c>models/</c> prefix.</param>
    /// <param name="method">The method, for example <c>generateContent</c>.</param>
    /// <returns>The relative path (no query, never a key).</returns>
    internal string MethodPath(string model, string method)
    {
        var id = Uri.EscapeDataString(BareModel(model));
        return UsesVertexAI
            ? $"v1/projects/{Uri.EscapeDataString(VertexProject!.Trim())}/locations/{Uri.EscapeDataString(VertexLocation!.Trim())}/publishers/google/models/{id}:{method}"
            : $"{ApiVersion.Trim('/')}/models/{id}:{method}";
    }

    /// <summary>Removes the <c>models/</c> resource prefix the API lists models with.</summary>
    internal static string BareModel(string model) => model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(ApiVersion) || ApiVersion.AsSpan().ContainsAny("?#:"))
        {
            errors.Add($"{sectionName}:ApiVersion must be a path segment such as v1beta.");
        }

        if (ThinkingBudget is < -1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:ThinkingBudget must be -1 (dynamic), 0 (off) or a positive number of tokens (was {ThinkingBudget})."));
        }

        for (var i = 0; i < SafetySettings.Count; i++)
        {
            var setting = SafetySettings[i];
            if (setting is null || string.IsNullOrWhiteSpace(setting.Category) || string.IsNullOrWhiteSpace(setting.Threshold))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:SafetySettings:{i} needs both a Category and a Threshold."));
            }
        }

        if (UsesVertexAI)
        {
            if (string.IsNullOrWhiteSpace(VertexLocation))
            {
                errors.Add($"{sectionName}:VertexLocation is required with VertexProject (for example us-central1 or global).");
            }
            else if (!VertexLocation.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                errors.Add($"{sectionName}:VertexLocation must be a location name such as us-central1 (letters, digits and dashes).");
            }

            if (AccessTokenProvider is null)
            {
                errors.Add($"{sectionName}:AccessTokenProvider is required with VertexProject; Vertex AI takes an OAuth access token, not an API key.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(VertexLocation))
        {
            errors.Add($"{sectionName}:VertexLocation is set without VertexProject; set both for Vertex AI, or neither for the Gemini API.");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append(", Endpoint used = ").Append(EffectiveEndpoint.GetLeftPart(UriPartial.Authority));
        if (UsesVertexAI)
        {
            builder.Append(", VertexProject = ").Append(VertexProject).Append(", VertexLocation = ").Append(VertexLocation);
            builder.Append(", AccessTokenProvider = ").Append(AccessTokenProvider is null ? "(not set)" : "(set)");
        }

        if (SafetySettings.Count > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $", SafetySettings = {SafetySettings.Count}");
        }

        if (IncludeThoughts is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", IncludeThoughts = {IncludeThoughts}");
        }

        if (ThinkingBudget is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", ThinkingBudget = {ThinkingBudget}");
        }
    }

    private static Uri VertexEndpoint(string? location)
    {
        var name = location?.Trim();
        return string.IsNullOrEmpty(name) || name.Equals("global", StringComparison.OrdinalIgnoreCase) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? new Uri("https://aiplatform.googleapis.com/")
            : new Uri($"https://{name}-aiplatform.googleapis.com/");
    }
}
