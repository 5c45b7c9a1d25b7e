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
    private readonly Queue<(Func<ChatOptions?, IEnumerable<ChatResponseUpdate>> Updates, Exception? Failure)> _scripts = new();

    public int Pulled { get; private set; }

    public int Disposed { get; private set; }

    public List<List<ChatMessage>> Requests { get; } = [];

    public ScriptedStreamClient Then(IEnumerable<ChatResponseUpdate> updates, Exception? failure = null)
    {
        var list = updates.ToList();
        _scripts.Enqueue((_ => list, failure));
        return this;
    }

    /// <summary>A script made from the request's options (for example to call a tool by the name it was offered under).</summary>
    public ScriptedStreamClient Then(Func<ChatOptions?, IEnumerable<ChatResponseUpdate>> updates)
    {
        _scripts.Enqueue((updates, null));
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
        var (script, failure) = _scripts.Dequeue();
        try
        {
            foreach (var update in script(options))
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
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-1")
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
