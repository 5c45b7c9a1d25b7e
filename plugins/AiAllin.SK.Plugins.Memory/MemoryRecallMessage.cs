using Microsoft.Extensions.AI;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>The one way a chat-level recall builds its message: search the scope, format the hits as a data block.</summary>
internal static class MemoryRecallMessage
{
    /// <summary>Returns a user message holding the memories relevant to <paramref name="query"/>, or <see langword="null"/> when none are.</summary>
    public static async Task<ChatMessage?> CreateAsync(SemanticMemory memory, MemoryScope scope, string query, MemoryRecallOptions options, CancellationToken cancellationToken)
    {
        var results = await memory.SearchAsync(scope, options.Bound(query), options.ToSearchOptions(), cancellationToken).ConfigureAwait(false);
        return results.Count == 0 ? null : new ChatMessage(ChatRole.User, MemoryPromptFormatter.Format(results));
    }
}
