using Microsoft.Extensions.AI;

namespace AiAllin.SK.Plugins.Memory.Tests.TestSupport;

/// <summary>A chat client that plays scripted turns in order and records every request it received.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<ChatOptions?, ChatResponse>> _turns = new();

    public List<List<ChatMessage>> Requests { get; } = [];

    /// <summary>Calls the offered tool whose name ends with <paramref name="function"/> (SK prefixes the plugin name).</summary>
    public ScriptedChatClient CallTool(string function, string callId, Dictionary<string, object?> arguments)
    {
        _turns.Enqueue(options =>
        {
            var name = options?.Tools?.Select(t => t.Name).SingleOrDefault(n => n.EndsWith(function, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"No tool named like '{function}' was offered.");
            ToolNames = [.. options!.Tools!.Select(t => t.Name)];
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, name, arguments)]));
        });
        return this;
    }

    /// <summary>The tool names offered on the last tool-calling turn.</summary>
    public IReadOnlyList<string> ToolNames { get; private set; } = [];

    public ScriptedChatClient Reply(string text)
    {
        _turns.Enqueue(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Add(list);
        var turn = _turns.Count > 0 ? _turns.Dequeue() : throw new InvalidOperationException("The script has no more turns.");
        return Task.FromResult(turn(options));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", new Uri("http://localhost/scripted"), "scripted-model")
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>The text of the tool results the model was sent in the last request.</summary>
    public string LastToolResults() =>
        string.Join("\n", Requests[^1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result as string ?? System.Text.Json.JsonSerializer.Serialize(r.Result)));
}
