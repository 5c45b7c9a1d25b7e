using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AiAllin.SK.Quickstart.Tests;

/// <summary>
/// A loopback server speaking the OpenAI Chat Completions streaming wire format as the API reference documents it:
/// <c>POST /v1/chat/completions</c> with <c>"stream": true</c> answers <c>text/event-stream</c> of
/// <c>data: {chat.completion.chunk}</c> events and a final <c>data: [DONE]</c>. It records each request.
/// </summary>
public sealed class OpenAIChatWireServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string[] _chunks;
    private readonly Task _loop;
    private readonly List<(string? Authorization, JsonDocument Body)> _requests = [];

    public OpenAIChatWireServer(params string[] chunks)
    {
        _chunks = chunks;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public IReadOnlyList<(string? Authorization, JsonDocument Body)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/v1/chat/completions")
        {
            response.StatusCode = 404;
            await WriteAsync(response, """{"error":{"message":"Unknown route","type":"invalid_request_error","code":null,"param":null}}""");
            response.Close();
            return;
        }

        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync());
        lock (_requests)
        {
            _requests.Add((context.Request.Headers["Authorization"], body));
        }

        var model = body.RootElement.GetProperty("model").GetString();
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        await WriteAsync(response, Event(model, """{"role":"assistant","content":""}""", null));
        foreach (var chunk in _chunks)
        {
            await WriteAsync(response, Event(model, JsonSerializer.Serialize(new { content = chunk }), null));
        }

        await WriteAsync(response, Event(model, "{}", "\"stop\""));
        await WriteAsync(response, "data: [DONE]\n\n");
        response.Close();
    }

    private static string Event(string? model, string delta, string? finishReason) =>
        "data: {\"id\":\"chatcmpl-quickstart\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":" +
        JsonSerializer.Serialize(model) + ",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":" + delta +
        ",\"logprobs\":null,\"finish_reason\":" + (finishReason ?? "null") + "}]}\n\n";

    private static async Task WriteAsync(HttpListenerResponse response, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await response.OutputStream.WriteAsync(bytes);
        await response.OutputStream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        foreach (var (_, body) in _requests)
        {
            body.Dispose();
        }
    }
}
