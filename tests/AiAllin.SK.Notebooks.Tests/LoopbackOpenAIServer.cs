using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AiAllin.SK.Notebooks.Tests;

/// <summary>
/// The smallest OpenAI-format chat server for the drop-in app: on loopback, it streams a call of the first tool offered
/// (arguments split over two chunks) and, once the tool's result comes back, an answer quoting it. Kept apart from the
/// test kit's wire servers so that this assembly loads no AiAllin.SK code beside the packed packages.
/// </summary>
internal sealed class LoopbackOpenAIServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private int _requests;

    public LoopbackOpenAIServer(string toolArgumentsJson)
    {
        ToolArguments = toolArgumentsJson;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public string ToolArguments { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The tool result the app sent back, if any.</summary>
    public string? ToolResult { get; private set; }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            try
            {
                await AnswerAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or JsonException or KeyNotFoundException)
            {
                context.Response.StatusCode = 400;
                context.Response.Close();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.InputStream).ConfigureAwait(false);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var tools = body.RootElement.TryGetProperty("tools", out var t) ? t.EnumerateArray().ToList() : [];
        var events = new List<string>();
        if (messages[^1].GetProperty("role").GetString() == "tool")
        {
            ToolResult = messages[^1].GetProperty("content").GetString();
            events.Add(Chunk(new { role = "assistant", content = "" }));
            foreach (var word in $"Here is what I found. {ToolResult}".Split(' '))
            {
                events.Add(Chunk(new { content = word + " " }));
            }

            events.Add(Chunk(new { }, "stop"));
        }
        else if (tools.Count > 0)
        {
            var name = tools[0].GetProperty("function").GetProperty("name").GetString();
            var half = ToolArguments.Length / 2;
            events.Add(Chunk(new { role = "assistant", tool_calls = new[] { new { index = 0, id = "call_1", type = "function", function = new { name, arguments = ToolArguments[..half] } } } }));
            events.Add(Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = ToolArguments[half..] } } } }));
            events.Add(Chunk(new { }, "tool_calls"));
        }
        else
        {
            events.Add(Chunk(new { role = "assistant", content = "No tools were offered." }));
            events.Add(Chunk(new { }, "stop"));
        }

        events.Add("data: [DONE]\n\n");
        context.Response.ContentType = "text/event-stream";
        foreach (var e in events)
        {
            var bytes = Encoding.UTF8.GetBytes(e);
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            await context.Response.OutputStream.FlushAsync().ConfigureAwait(false);
        }

        context.Response.Close();
    }

    private static string Chunk(object delta, string? finishReason = null) => "data: " + JsonSerializer.Serialize(new
    {
        id = "chatcmpl-loopback",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model = "local-model",
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    }) + "\n\n";
}
