using System.Globalization;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Gemini;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Parsing one <c>streamGenerateContent?alt=sse</c> answer of <see cref="Events"/> events, from memory: our reader
/// (Core's <c>SseEventReader</c> framing in place + <c>GeminiChunkReader</c>, one <c>Utf8JsonReader</c> pass over the
/// event's bytes that is also the syntax and error-object check) against the naive reader people write first (<c>StreamReader.ReadLineAsync</c> + <c>JsonDocument</c> per
/// <c>data:</c> line). Both read the answer's text and final usage; the stream repeats a real recorded event of
/// gemini-2.5-flash (google/adk-go's <c>TestLLMAgentStreamingModeSSE.httprr</c>) with a different text per event.
/// <c>Client</c> adds our whole <see cref="GeminiChatClient"/> path (HTTP content, updates) for scale.
/// </summary>
[Config(typeof(InProcessConfig))]
public class GeminiStreamParsingBenchmarks
{
    // The recorded event, text swapped per event; the running usage grows as the real stream's does.
    private const string EventTemplate = """data: {"candidates": [{"content": {"parts": [{"text": "{TEXT}"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 28,"candidatesTokenCount": {COUNT},"totalTokenCount": {TOTAL},"promptTokensDetails": [{"modality": "TEXT","tokenCount": 28}],"thoughtsTokenCount": 1174},"modelVersion": "gemini-2.5-flash","responseId": "WEXbaMnpF7iPjMcP27mckQE"}""";

    private byte[] _stream = [];
    private GeminiSseEventValidator _validator = null!;
    private GeminiChatClient _client = null!;

    /// <summary>Gets or sets the number of SSE events in the stream.</summary>
    [Params(1000)]
    public int Events { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < Events; i++)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{i}. the prime after that is {i * 7 + 3}\\n");
            var line = EventTemplate.Replace("{TEXT}", text, StringComparison.Ordinal)
                .Replace("{COUNT}", (i + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{TOTAL}", (1203 + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (i == Events - 1)
            {
                line = line.Replace("\"index\": 0", "\"finishReason\": \"STOP\",\"index\": 0", StringComparison.Ordinal);
            }

            builder.Append(line).Append("\r\n\r\n");
        }

        _stream = Encoding.UTF8.GetBytes(builder.ToString());
        _validator = new GeminiSseEventValidator(apiKey: null);
        _client = new GeminiChatClient(new GeminiOptions { ApiKey = "AIza-benchmark", Model = "gemini-2.5-flash", MaxRetries = 0 }, innerHandler: new ReplayHandler(_stream));

        var ours = await OurReaderAsync();
        var naive = await NaiveReaderAsync();
        var client = await ClientAsync();
        if (ours != naive || ours != client)
        {
            throw new InvalidOperationException($"The readers disagree: ours {ours}, naive {naive}, client {client}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true, Description = "naive ReadLineAsync + JsonDocument")]
    public async Task<long> NaiveReaderAsync()
    {
        using var reader = new StreamReader(new MemoryStream(_stream), Encoding.UTF8);
        long characters = 0;
        long total = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line.AsMemory(6));
            var root = document.RootElement;
            if (root.TryGetProperty("error", out _))
            {
                throw new InvalidOperationException("stream error");
            }

            foreach (var part in root.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray())
            {
                if (part.TryGetProperty("text", out var text))
                {
                    characters += text.GetString()!.Length;
                }
            }

            if (root.TryGetProperty("usageMetadata", out var usage) && usage.TryGetProperty("totalTokenCount", out var count))
            {
                total = count.GetInt32();
            }
        }

        return characters + total;
    }

    [Benchmark(Description = "ours: SseEventReader + chunk reader")]
    public async Task<long> OurReaderAsync()
    {
        long characters = 0;
        long total = 0;
        await foreach (var chunk in GeminiStreamReader.ReadAsync(new MemoryStream(_stream), _validator, CancellationToken.None))
        {
            foreach (var part in chunk.Candidates![0].Content!.Parts!)
            {
                characters += part.Text?.Length ?? 0;
            }

            total = chunk.UsageMetadata?.TotalTokenCount ?? total;
        }

        return characters + total;
    }

    [Benchmark(Description = "ours: whole GeminiChatClient stream (updates)")]
    public async Task<long> ClientAsync()
    {
        long characters = 0;
        long total = 0;
        await foreach (var update in _client.GetStreamingResponseAsync("primes"))
        {
            characters += update.Text.Length;
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                total = usage.Details.TotalTokenCount ?? total;
            }
        }

        return characters + total;
    }

    private sealed class ReplayHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content });
        }
    }
}
