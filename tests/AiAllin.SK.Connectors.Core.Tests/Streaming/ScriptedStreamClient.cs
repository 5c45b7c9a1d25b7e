using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Tests.Streaming;

/// <summary>
/// A stand-in for a model's stream (not the subject of any test): each request takes the next script of updates from
/// the queue; a script may end with an exception. Records how many updates were pulled and whether the stream was
/// disposed, the way a provider releases its connection.
/// </summary>
internal sealed class ScriptedStreamClient : IChatClient
{
    private readonly Queue<(IReadOnlyList<ChatResponseUpdate> Updates, Exception? Failure)> _scripts = new();

    public int Pulled { get; private set; }

    public int Disposed { get; private set; }

    public List<List<ChatMessage>> Requests { get; } = [];

    public ScriptedStreamClient Then(IEnumerable<ChatResponseUpdate> updates, Exception? failure = null)
    {
        _scripts.Enqueue((updates.ToList(), failure));
        return this;
    }

    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text) { MessageId = "m1" };

    public static ChatResponseUpdate Reasoning(string text) => new(ChatRole.Assistant, [new TextReasoningContent(text)]) { MessageId = "m1" };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add(messages.ToList());
        var (updates, failure) = _scripts.Dequeue();
        try
        {
            foreach (var update in updates)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                Pulled++;
                yield return update;
            }

            if (failure is not null)
            {
                throw failure;
            }
        }
        finally
        {
            Disposed++;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
