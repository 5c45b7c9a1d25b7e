using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Providers;

/// <summary>Core's SSE guard with the OpenAI validator under the SDK: events pass byte for byte; bad ones stop the stream after the good ones.</summary>
public sealed class OpenAISseEventValidatorTests
{
    private const string Chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}";

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ValidEvents_PassUnchanged_WithAnyLineEnd_AndAnyReadSize(string newline)
    {
        var body = $": keep-alive{newline}{newline}event: message{newline}data: {Chunk}{newline}{newline}data:{Chunk}{newline}{newline}data: [DONE]{newline}{newline}";

        foreach (var readSize in new[] { 1, 3, 7, 64, 4096 })
        {
            Assert.Equal(body, await ReadAllAsync(body, readSize));
        }
    }

    [Fact]
    public async Task MultiLineData_IsCheckedAsOneEvent()
    {
        var body = "data: {\"choices\":\ndata: []}\n\ndata: [DONE]\n\n";

        Assert.Equal(body, await ReadAllAsync(body, 5));
    }

    [Fact]
    public async Task MalformedEvent_HandsOnEarlierEventsThenThrowsNamingTheData()
    {
        var good = $"data: {Chunk}\n\n";
        var body = good + "data: {\"choices\":[{\"delta\":{\"content\":\"cut\n\ndata: [DONE]\n\n";
        using var stream = Guard(body, 16);
        var received = new MemoryStream();

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(received, 8));

        Assert.Equal(good, Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal(2, exception.ChunkNumber);
        Assert.Contains("\"content\":\"cut", exception.Chunk, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")]
    [InlineData("event: error\ndata: {\"message\":\"Overloaded\",\"type\":\"server_error\"}\n\n")]
    [InlineData("data: {\"id\":\"x\",\"error\":{\"code\":\"server_error\",\"message\":\"Overloaded\"},\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}\n\n")]
    public async Task ErrorEvent_ThrowsProviderExceptionWithTheServerMessage(string errorEvent)
    {
        var good = $"data: {Chunk}\n\n";
        using var stream = Guard(good + errorEvent, 4096);
        var received = new MemoryStream();

        var exception = await Assert.ThrowsAnyAsync<ProviderException>(() => stream.CopyToAsync(received));

        Assert.Equal(good, Encoding.UTF8.GetString(received.ToArray()));
        Assert.Contains("Overloaded", exception.Message, StringComparison.Ordinal);
        Assert.IsNotType<ProviderStreamException>(exception);
    }

    [Fact]
    public async Task LastEventWithoutBlankLine_IsStillChecked()
    {
        using var stream = Guard($"data: {Chunk}\n\ndata: {{not json", 4096);

        await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task MalformedEvent_NeverShowsTheKey()
    {
        const string key = "sk-guard-0123456789abcdefghij";
        using var stream = new SseGuardStream(new MemoryStream(Encoding.UTF8.GetBytes($"data: {{\"leak\":\"{key}\"\n\n")), new OpenAISseEventValidator("OpenAI", key), NullLogger.Instance);

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(() => stream.CopyToAsync(Stream.Null));

        Assert.DoesNotContain(key, exception.ToString(), StringComparison.Ordinal);
    }

    // Pins the SDK behaviour OpenAISseEventValidator works around: without the guard, the OpenAI SDK ends a stream
    // carrying {"error": ...} normally, and reports malformed data as a bare JsonException without the event.
    [Fact]
    public async Task Sdk_WithoutTheGuard_SwallowsErrorEventsAndFailsBareOnMalformedData()
    {
        var errorBody = $"data: {Chunk}\n\ndata: {{\"error\":{{\"message\":\"Overloaded\",\"type\":\"server_error\"}}}}\n\ndata: [DONE]\n\n";
        var updates = 0;
        await foreach (var update in RawSdk(errorBody).CompleteChatStreamingAsync([new global::OpenAI.Chat.UserChatMessage("go")]))
        {
            updates++;
        }

        Assert.Equal(2, updates);

        var malformed = await Assert.ThrowsAnyAsync<JsonException>(async () =>
        {
            await foreach (var update in RawSdk($"data: {Chunk}\n\ndata: {{\"choices\":[\n\n").CompleteChatStreamingAsync([new global::OpenAI.Chat.UserChatMessage("go")]))
            {
                Assert.NotNull(update);
            }
        });
        Assert.DoesNotContain("choices", malformed.Message, StringComparison.Ordinal);
    }

    private static global::OpenAI.Chat.ChatClient RawSdk(string body) =>
        new("gpt-4o-mini", new ApiKeyCredential("sk-test"), new global::OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri("http://localhost/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(new FixedSseHandler(body))),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static SseGuardStream Guard(string body, int innerReadSize) =>
        new(new TrickleStream(Encoding.UTF8.GetBytes(body), innerReadSize), new OpenAISseEventValidator("OpenAI", null), NullLogger.Instance);

    private static async Task<string> ReadAllAsync(string body, int readSize)
    {
        using var stream = Guard(body, readSize);
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private sealed class FixedSseHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    // Returns at most a few bytes per read, as a slow network does.
    private sealed class TrickleStream(byte[] data, int maxRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], cancellationToken);
    }
}
