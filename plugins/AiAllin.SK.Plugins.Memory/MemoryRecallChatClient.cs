using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// A chat-client layer that recalls the memories relevant to the last user message and sends them to the model as a
/// delimited, escaped data block in a user message of its own, just before that message. The caller's message list is
/// never changed. Also available as <c>UseAiAllinMemoryRecall()</c> on a <see cref="ChatClientBuilder"/>.
/// </summary>
public sealed class MemoryRecallChatClient : DelegatingChatClient
{
    private readonly SemanticMemory _memory;
    private readonly IMemoryScopeProvider _scopes;
    private readonly MemoryRecallOptions _options;

    /// <summary>Initializes a new instance of the <see cref="MemoryRecallChatClient"/> class.</summary>
    /// <param name="innerClient">The client that talks to the model.</param>
    /// <param name="memory">The memory.</param>
    /// <param name="scopes">Supplies the scope; <see langword="null"/> reads <see cref="MemoryScope.Current"/>. Without a scope nothing is recalled.</param>
    /// <param name="options">The options.</param>
    public MemoryRecallChatClient(IChatClient innerClient, SemanticMemory memory, IMemoryScopeProvider? scopes = null, MemoryRecallOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _scopes = scopes ?? AmbientMemoryScopeProvider.Instance;
        _options = options ?? new MemoryRecallOptions();
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var withMemories = await RecallAsync(messages, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(withMemories, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var withMemories = await RecallAsync(messages, cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(withMemories, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async Task<IEnumerable<ChatMessage>> RecallAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var last = -1;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Role == ChatRole.User)
            {
                last = i;
                break;
            }
        }

        // Only a turn that ends with the user's message gets memories; tool-result turns inside a function-calling
        // loop already had them.
        if (last < 0 || last != list.Count - 1 || string.IsNullOrWhiteSpace(list[last].Text) || _scopes.GetScope() is not { } scope)
        {
            return list;
        }

        if (await MemoryRecallMessage.CreateAsync(_memory, scope, list[last].Text, _options, cancellationToken).ConfigureAwait(false) is not { } memories)
        {
            return list;
        }

        var recalled = new List<ChatMessage>(list.Count + 1);
        recalled.AddRange(list.Take(last));
        recalled.Add(memories);
        recalled.AddRange(list.Skip(last));
        return recalled;
    }
}
