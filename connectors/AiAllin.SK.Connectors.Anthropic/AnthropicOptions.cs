using System.Globalization;
using System.Text;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// Settings of the Anthropic Claude chat client: the shared <see cref="ProviderOptions"/> plus the API version,
/// extended thinking and prompt caching.
/// </summary>
/// <remarks>
/// <para>
/// Environment defaults: <c>ANTHROPIC_API_KEY</c> (key), <c>ANTHROPIC_MODEL</c> (model) and <c>ANTHROPIC_BASE_URL</c>
/// (endpoint; <c>https://api.anthropic.com</c> otherwise). The key is sent in the documented <c>x-api-key</c> header.
/// </para>
/// <para>
/// The Messages API requires <c>max_tokens</c> on every request, so when neither
/// <see cref="ProviderOptions.MaxTokens"/> nor <c>ChatOptions.MaxOutputTokens</c> is set, <see cref="DefaultMaxTokens"/>
/// (4096) is sent: enough for a long answer, small enough to stay within every current model's output limit.
/// Temperatures above 1 are rejected, as the API does.
/// </para>
/// <para>
/// <see cref="ProviderOptions.Timeout"/> is handed to the SDK, which applies it until the response starts; a stream
/// that then goes quiet is not cut by it (use a first-token or idle timeout filter for that). When it fires, the
/// request fails with a transient <see cref="ProviderException"/>.
/// </para>
/// </remarks>
public class AnthropicOptions : ProviderOptions
{
    /// <summary>The configuration section bound by default.</summary>
    public const string DefaultSectionName = "AiAllin:Anthropic";

    /// <summary>The <c>max_tokens</c> sent when nothing else sets it.</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>The smallest thinking budget the API accepts.</summary>
    public const int MinThinkingBudgetTokens = 1024;

    /// <summary>The public API address.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.anthropic.com/");

    /// <summary>
    /// Gets or sets the <c>anthropic-version</c> header to send, for example <c>2023-06-01</c>; <see langword="null"/>
    /// sends the version the Anthropic SDK was built for.
    /// </summary>
    public string? AnthropicVersion { get; set; }

    /// <summary>
    /// Gets or sets the extended-thinking budget (<c>thinking: {"type": "enabled", "budget_tokens": n}</c>); at least
    /// 1024 and below the effective max tokens. <see langword="null"/> leaves thinking off unless a request's
    /// <c>ChatOptions.Reasoning</c> asks for it. The model's thinking arrives as <c>TextReasoningContent</c> whose
    /// <c>ProtectedData</c> holds the block's signature, so it is sent back intact in later tool-use turns.
    /// </summary>
    public int? ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// Gets or sets whether the system prompt and the tool definitions are marked for prompt caching
    /// (<c>cache_control: {"type": "ephemeral"}</c> on the last system block and the last tool), so repeated requests
    /// with the same prefix are billed and served from the cache.
    /// </summary>
    public bool EnablePromptCaching { get; set; }

    /// <summary>Gets the endpoint to use: <see cref="ProviderOptions.Endpoint"/> or <see cref="DefaultEndpoint"/>.</summary>
    public Uri EffectiveEndpoint => Endpoint ?? DefaultEndpoint;

    /// <summary>Gets the <c>max_tokens</c> sent by default: <see cref="ProviderOptions.MaxTokens"/> or <see cref="DefaultMaxTokens"/>.</summary>
    public int EffectiveMaxTokens => MaxTokens ?? DefaultMaxTokens;

    /// <inheritdoc />
    protected override float MaxTemperature => 1f;

    /// <inheritdoc />
    protected override IReadOnlyList<string> ApiKeyEnvironmentVariables => ["ANTHROPIC_API_KEY"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["ANTHROPIC_MODEL"];

    /// <inheritdoc />
    protected override IReadOnlyList<string> EndpointEnvironmentVariables => ["ANTHROPIC_BASE_URL"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ThinkingBudgetTokens is { } budget)
        {
            if (budget < MinThinkingBudgetTokens)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:ThinkingBudgetTokens must be at least {MinThinkingBudgetTokens} (was {budget})."));
            }
            else if (budget >= EffectiveMaxTokens)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:ThinkingBudgetTokens ({budget}) must be below MaxTokens ({EffectiveMaxTokens}); raise {sectionName}:MaxTokens."));
            }
        }

        if (AnthropicVersion is not null && (AnthropicVersion.Length == 0 || AnthropicVersion.AsSpan().ContainsAny(" \t\r\n")))
        {
            errors.Add($"{sectionName}:AnthropicVersion must be a version such as 2023-06-01.");
        }
    }

    /// <inheritdoc />
    protected override void AppendMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (AnthropicVersion is not null)
        {
            builder.Append(", AnthropicVersion = ").Append(AnthropicVersion);
        }

        if (ThinkingBudgetTokens is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $", ThinkingBudgetTokens = {ThinkingBudgetTokens}");
        }

        if (EnablePromptCaching)
        {
            builder.Append(", EnablePromptCaching = true");
        }
    }
}
