using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Recalls memories for a <see cref="ChatSessionRunner"/> turn: the memories relevant to the user's message, in the
/// current scope, as one delimited, escaped data block in a user message of its own (never system text). The runner
/// sends it before the user's message and never stores it. <c>AddMemoryRecall()</c> registers it.
/// </summary>
public sealed class MemoryChatContextProvider : IChatContextProvider
{
    private readonly SemanticMemory _memory;
    private readonly IMemoryScopeProvider _scopes;
    private readonly MemoryRecallOptions _options;

    /// <summary>Creates the provider.</summary>
    /// <param name="memory">The memory to recall from.</param>
    /// <param name="scopes">Where the scope comes from; <see langword="null"/> for the ambient <see cref="MemoryScope"/>.</param>
    /// <param name="options">How many memories and how similar; <see langword="null"/> for the defaults.</param>
    public MemoryChatContextProvider(SemanticMemory memory, IMemoryScopeProvider? scopes = null, MemoryRecallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _scopes = scopes ?? AmbientMemoryScopeProvider.Instance;
        _options = options ?? new MemoryRecallOptions();
    }

    /// <inheritdoc />
    public async ValueTask<ChatMessage?> GetContextAsync(string sessionId, ChatMessage userMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        return string.IsNullOrWhiteSpace(userMessage.Text) || _scopes.GetScope() is not { } scope
            ? null
            : await MemoryRecallMessage.CreateAsync(_memory, scope, userMessage.Text, _options, cancellationToken).ConfigureAwait(false);
    }
}
