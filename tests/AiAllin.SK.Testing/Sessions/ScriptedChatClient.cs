using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Testing.Sessions;

/// <summary>
/// A stand-in for a model (not the subject of any test): when the last message is a tool result it answers with a
/// sentence quoting that result; otherwise, if a tool whose name ends in "get_forecast" is offered, it asks for it with
/// city "Paris"; otherwise it answers plainly. It records every request it receives.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private int _responses;

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    /// <summary>Runs before each response, for tests that interfere mid-turn.</summary>
    public Func<Task>? BeforeResponse { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (id, contents) = await NextAsync(messages, options);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = id })
        {
            ResponseId = id,
            ModelId = "scripted-1",
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (id, contents) = await NextAsync(messages, options);
        foreach (var content in contents)
        {
            if (content is TextContent text)
            {
                // Split the answer into word-sized chunks, as a provider stream would.
                foreach (var piece in text.Text.Split(' ').Select((w, i) => i == 0 ? w : " " + w))
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { MessageId = id, ModelId = "scripted-1" };
                }
            }
            else
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [content]) { MessageId = id, ModelId = "scripted-1" };
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private async Task<(string Id, List<AIContent> Contents)> NextAsync(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages.ToList();
        lock (Requests)
        {
            Requests.Add((list, options));
        }

        if (BeforeResponse is { } hook)
        {
            await hook();
        }

        var id = $"resp-{Interlocked.Increment(ref _responses)}";
        if (list[^1].Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            return (id, [new TextContent($"Here is the forecast: {result.Result}")]);
        }

        var tool = options?.Tools?.OfType<AIFunction>().FirstOrDefault(t => t.Name.EndsWith("get_forecast", StringComparison.Ordinal));
        if (tool is not null)
        {
            return (id, [new FunctionCallContent($"call-{id}", tool.Name, new Dictionary<string, object?> { ["city"] = "Paris" })]);
        }

        return (id, [new TextContent($"You said: {list[^1].Text}")]);
    }
}
