using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Cohere;
using BenchmarkDotNet.Attributes;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Parsing one recorded Cohere <c>/v2/chat</c> stream of <see cref="Events"/> events (the captured <c>command-r-plus</c>
/// text stream, its 101 <c>content-delta</c> events repeated): our reader (Core's <c>SseEventReader</c> framing in place +
/// the Cohere <c>SseEventValidator</c>'s error checks + the one-pass event parser) against the natural hand-written baseline, <c>StreamReader.ReadLineAsync</c>
/// plus <c>JsonDocument.Parse</c> per <c>data:</c> line. Both return the whole text and the output token count, so both
/// do the same work; the baseline checks nothing (a malformed line would throw a bare <see cref="JsonException"/>).
/// </summary>
[Config(typeof(InProcessConfig))]
public class CohereStreamParsingBenchmarks
{
    private byte[] _stream = [];
    private CohereSseEventValidator _validator = null!;

    /// <summary>Gets or sets the number of events in the stream.</summary>
    [Params(1000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var recorded = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "cohere-coca-cola-text.sse"));
        var blocks = recorded.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(b => b.StartsWith("event:", StringComparison.Ordinal)).ToList();
        var deltas = blocks.Where(b => b.StartsWith("event: content-delta", StringComparison.Ordinal)).ToList();
        var head = blocks.TakeWhile(b => !b.StartsWith("event: content-delta", StringComparison.Ordinal)).ToList();
        var tail = blocks.SkipWhile(b => !b.StartsWith("event: content-end", StringComparison.Ordinal)).ToList();
        var body = new StringBuilder();
        foreach (var block in head.Concat(Enumerable.Range(0, Events - head.Count - tail.Count).Select(i => deltas[i % deltas.Count])).Concat(tail))
        {
            body.Append(block).Append("\n\n");
        }

        _stream = Encoding.UTF8.GetBytes(body.ToString());
        _validator = new CohereSseEventValidator(apiKey: null);
        if (Ours().GetAwaiter().GetResult() != Baseline().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The two readers disagree.");
        }
    }

    [Benchmark(Baseline = true, Description = "ReadLineAsync + JsonDocument")]
    public async Task<(int Length, long OutputTokens)> Baseline()
    {
        using var reader = new StreamReader(new MemoryStream(_stream, writable: false), Encoding.UTF8);
        var text = new StringBuilder();
        long outputTokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line.AsMemory(5));
            var root = document.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "content-delta":
                    text.Append(root.GetProperty("delta").GetProperty("message").GetProperty("content").GetProperty("text").GetString());
                    break;
                case "message-end":
                    outputTokens = root.GetProperty("delta").GetProperty("usage").GetProperty("tokens").GetProperty("output_tokens").GetInt64();
                    break;
            }
        }

        return (text.Length, outputTokens);
    }

    [Benchmark(Description = "AiAllin Cohere reader")]
    public async Task<(int Length, long OutputTokens)> Ours()
    {
        var text = new StringBuilder();
        long outputTokens = 0;
        await foreach (var streamEvent in CohereEventStream.Read(new MemoryStream(_stream, writable: false), _validator))
        {
            if (streamEvent.Text is { } delta)
            {
                text.Append(delta);
            }
            else if (streamEvent.Usage?.Tokens?.OutputTokens is { } tokens)
            {
                outputTokens = (long)tokens;
            }
        }

        return (text.Length, outputTokens);
    }
}
