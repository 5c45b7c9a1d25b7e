using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class EmbeddingModelTests
{
    [PostgresFact]
    public async Task EnsureExists_WithAnotherEmbeddingModel_ReportsBothModelsAndKeepsData()
    {
        await using var fixture = await PostgresFixture.CreateAsync("model");
        var original = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new ModelGenerator("model-a")));
        await original.EnsureCollectionExistsAsync();
        await original.UpsertAsync(new TextEmbeddingRecord<string> { Key = "1", Embedding = "hello", Label = "kept" });

        var exception = await Assert.ThrowsAsync<VectorStoreException>(
            () => fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new ModelGenerator("model-b's"))).EnsureCollectionExistsAsync());

        Assert.Contains("'model-a'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'model-b's'", exception.Message, StringComparison.Ordinal);
        Assert.Equal("kept", (await original.GetAsync("1"))?.Label);
    }

    [PostgresFact]
    public async Task EnsureExists_WithTheSameModel_IsIdempotent()
    {
        await using var fixture = await PostgresFixture.CreateAsync("model");

        await fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new ModelGenerator("model-a"))).EnsureCollectionExistsAsync();
        await fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new ModelGenerator("model-a"))).EnsureCollectionExistsAsync();

        Assert.Equal(1L, await fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".__aiallin_migrations"));
    }

    private static VectorStoreCollectionDefinition Definition(IEmbeddingGenerator generator) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Key", typeof(string)),
            new VectorStoreVectorProperty("Embedding", typeof(string), 2) { EmbeddingGenerator = generator },
            new VectorStoreDataProperty("Label", typeof(string)),
        ],
    };

    /// <summary>A generator whose metadata names a model, as real providers' generators do.</summary>
    private sealed class ModelGenerator(string model) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly EmbeddingGeneratorMetadata _metadata = new("test", defaultModelId: model);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 0 }))));

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
