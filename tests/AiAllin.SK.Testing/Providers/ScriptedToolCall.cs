namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// A tool call the scripted model makes. When streamed, each entry of <see cref="ArgumentFragments"/> goes out in its
/// own chunk, so a client must join them before it can parse the arguments.
/// </summary>
/// <param name="Id">The call id the server assigns; clients must keep it.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentFragments">The arguments JSON, cut into fragments; joined they form the whole text.</param>
public sealed record ScriptedToolCall(string Id, string Name, params string[] ArgumentFragments)
{
    /// <summary>Gets the whole arguments text (the fragments joined).</summary>
    public string Arguments => string.Concat(ArgumentFragments);
}
