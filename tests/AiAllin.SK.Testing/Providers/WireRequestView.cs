namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// A provider-neutral reading of a recorded chat request, made by the format's <see cref="WireServer.Describe"/>, so
/// one conformance suite can assert what every client sent.
/// </summary>
public sealed record WireRequestView
{
    /// <summary>Gets the model the client asked for.</summary>
    public string? Model { get; init; }

    /// <summary>Gets whether the client asked to stream.</summary>
    public bool Stream { get; init; }

    /// <summary>Gets the maximum output tokens sent, if any.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Gets the temperature sent, if any.</summary>
    public double? Temperature { get; init; }

    /// <summary>Gets the system prompt (joined when the format allows several), if any.</summary>
    public string? System { get; init; }

    /// <summary>Gets the non-system messages as (role, text) in order; role is <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    public IReadOnlyList<(string Role, string Text)> Messages { get; init; } = [];

    /// <summary>Gets the names of the tools offered.</summary>
    public IReadOnlyList<string> ToolNames { get; init; } = [];

    /// <summary>Gets the JSON schema text of each offered tool's parameters, by tool name.</summary>
    public IReadOnlyDictionary<string, string> ToolSchemas { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the assistant tool calls sent back in the history: (call id, name, arguments JSON).</summary>
    public IReadOnlyList<(string CallId, string Name, string Arguments)> ToolCalls { get; init; } = [];

    /// <summary>Gets the tool results sent: (call id, result text).</summary>
    public IReadOnlyList<(string CallId, string Result)> ToolResults { get; init; } = [];

    /// <summary>Gets the credential the request presented (bearer token or API-key header value), if any.</summary>
    public string? Credential { get; init; }
}
