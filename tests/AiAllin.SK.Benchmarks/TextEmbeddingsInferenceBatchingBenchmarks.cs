using System.Net.Http.Json;
using System.Text.Json;
using AiAllin.SK.Connectors.HuggingFace;
using AiAllin.SK.Testing.Providers;
using BenchmarkDotNet.Attributes;

namespace AiAllin.SK.Benchmarks;

/// <summary>
/// Embedding <see cref="Texts"/> texts through a text-embeddings-inference server (the loopback
/// <see cref="TextEmbeddingsInferenceWireServer"/>, client batch size 32): our <see cref="TextEmbeddingsInferenceGenerator"/>
/// sending them in batches against the natural baseline, a plain loop that posts one <c>/embed</c> request per text
/// and parses each answer with <see cref="JsonDocument"/>; plus our generator called once per text, to separate the
/// batching from the client's own cost.
/// </summary>
[Config(typeof(InProcessConfig))]
public class TextEmbeddingsInferenceBatchingBenchmarks
{
    private TextEmbeddingsInferenceWireServer _server = null!;
    private TextEmbeddingsInferenceGenerator _generator = null!;
    private HttpClient _naive = null!;
    private string[] _texts = null!;

    /// <summary>Gets or sets how many texts are embedded per operation.</summary>
    [Params(256)]
    public int Texts { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await WireServer.StartAsync<TextEmbeddingsInferenceWireServer>();
        _server.MaxClientBatchSize = 32;
        _texts = [.. Enumerable.Range(0, Texts).Select(i => $"document {i}: a short passage about deep learning, vector search and reranking models")];
        _generator = new TextEmbeddingsInferenceGenerator(new TextEmbeddingsInferenceOptions { Endpoint = _server.BaseAddress, MaxRetries = 0 });
        _naive = new HttpClient { BaseAddress = _server.BaseAddress };

        // Fail loudly here rather than measure a broken path.
        TopUp();
        if (await NaiveLoopAsync() != Texts * 8 || await BatchedAsync() != Texts * 8 || await GeneratorPerTextAsync() != Texts * 8)
        {
            throw new InvalidOperationException("A path did not return every vector.");
        }
    }

    // The wire server answers each request from a queue of scripted replies; every operation gets enough.
    [IterationSetup]
    public void TopUp() => _server.Enqueue([.. Enumerable.Range(0, Math.Max(0, (Texts * 3) - _server.PendingReplies)).Select(_ => new ScriptedReply())]);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _generator.Dispose();
        _naive.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "Naive: one POST /embed per text")]
    public async Task<int> NaiveLoopAsync()
    {
        var components = 0;
        foreach (var text in _texts)
        {
            using var response = await _naive.PostAsJsonAsync("embed", new Dictionary<string, string> { ["inputs"] = text });
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            components += document.RootElement[0].GetArrayLength();
        }

        return components;
    }

    [Benchmark(Description = "TextEmbeddingsInferenceGenerator, batched")]
    public async Task<int> BatchedAsync()
    {
        var embeddings = await _generator.GenerateAsync(_texts);
        return embeddings.Sum(e => e.Vector.Length);
    }

    [Benchmark(Description = "TextEmbeddingsInferenceGenerator, one call per text")]
    public async Task<int> GeneratorPerTextAsync()
    {
        var components = 0;
        foreach (var text in _texts)
        {
            components += (await _generator.GenerateAsync([text]))[0].Vector.Length;
        }

        return components;
    }
}
