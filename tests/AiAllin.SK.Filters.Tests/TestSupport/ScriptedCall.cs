using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>One call a <see cref="ScriptedChatClient"/> received.</summary>
/// <param name="Index">The 0-based call number.</param>
/// <param name="Messages">A copy of the messages sent.</param>
/// <param name="Options">The options sent (may be null).</param>
/// <param name="Streaming">Whether the call was <c>GetStreamingResponseAsync</c>.</param>
public sealed record ScriptedCall(int Index, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, bool Streaming)
{
    /// <summary>Gets the text of all messages joined by new lines (handy for prompt assertions).</summary>
    public string AllText => string.Join('\n', Messages.Select(m => m.Text));

    /// <summary>Gets the text of the last user message.</summary>
    public string LastUserText => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
}
