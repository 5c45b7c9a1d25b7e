using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class ReembedTests
{
    private static readonly string[] Fruits = ["apple", "banana", "cherry", "date"];

    [PostgresFact]
    public async Task Reembed_AfterDimensionChange_MigratesAndSearchFindsTheNearest()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = await CreateAsync(fixture, new FruitGenerator("model-a", 3));
        await old.UpsertAsync(Fruits.Select(f => new TextEmbeddingRecord<string> { Key = f, Embedding = f, Label = f }));
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new FruitGenerator("model-a", 4)));
        await Assert.ThrowsAsync<VectorStoreException>(() => next.EnsureCollectionExistsAsync());

        var count = await next.ReembedAsync(r => r.Label);

        Assert.Equal(4, count);
        await next.EnsureCollectionExistsAsync();
        Assert.Equal("vector(4)", await ColumnTypeAsync(fixture));
        Assert.Contains("hnsw", await IndexOfAsync(fixture), StringComparison.Ordinal);
        var nearest = await next.SearchAsync("date", 1).SingleAsync();
        Assert.Equal("date", nearest.Record.Key);
        Assert.StartsWith("re-embed Embedding as vector(4) with model model-a", await LastMigrationAsync(fixture), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Reembed_AfterModelChangeWithSameDimension_RecordsTheNewModel()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = await CreateAsync(fixture, new FruitGenerator("model-a", 4));
        await old.UpsertAsync(Fruits.Select(f => new TextEmbeddingRecord<string> { Key = f, Embedding = "apple", Label = f }));
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new FruitGenerator("model-b", 4)));
        var mismatch = await Assert.ThrowsAsync<VectorStoreException>(() => next.EnsureCollectionExistsAsync());
        Assert.Contains("'model-a'", mismatch.Message, StringComparison.Ordinal);

        Assert.Equal(4, await next.ReembedAsync(r => r.Label));

        await next.EnsureCollectionExistsAsync();
        Assert.Equal("cherry", (await next.SearchAsync("cherry", 1).SingleAsync()).Record.Key);
        await Assert.ThrowsAsync<VectorStoreException>(() => old.EnsureCollectionExistsAsync());
    }

    [PostgresFact]
    public async Task Reembed_WhenTheGeneratorFailsMidway_LeavesEverythingAsItWas()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = await CreateAsync(fixture, new FruitGenerator("model-a", 3));
        await old.UpsertAsync(ManyRecords(600));
        var before = (await ColumnTypeAsync(fixture), await IndexOfAsync(fixture), await LastMigrationAsync(fixture));
        var failing = new FruitGenerator("model-b", 4) { FailOnCall = 2 };
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(failing));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => next.ReembedAsync(r => r.Label));

        Assert.Equal("generator failed", exception.Message);
        Assert.Equal(2, failing.Calls);
        await AssertUnchangedAsync(fixture, old, next, before);
    }

    [PostgresFact]
    public async Task Reembed_WhenCancelledMidway_LeavesEverythingAsItWas()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = await CreateAsync(fixture, new FruitGenerator("model-a", 3));
        await old.UpsertAsync(ManyRecords(600));
        var before = (await ColumnTypeAsync(fixture), await IndexOfAsync(fixture), await LastMigrationAsync(fixture));
        using var cancellation = new CancellationTokenSource();
        var generator = new FruitGenerator("model-b", 4) { OnCall = calls => { if (calls == 2) { cancellation.Cancel(); } } };
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(generator));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.ReembedAsync(r => r.Label, cancellationToken: cancellation.Token));

        await AssertUnchangedAsync(fixture, old, next, before);
    }

    [PostgresFact]
    public async Task Reembed_WhenTheConnectionIsKilledMidway_LeavesEverythingAsItWas()
    {
        var application = "reembed-" + Guid.NewGuid().ToString("N");
        await using var fixture = await PostgresFixture.CreateAsync("reembed", application);
        var old = await CreateAsync(fixture, new FruitGenerator("model-a", 3));
        await old.UpsertAsync(ManyRecords(600));
        var before = (await ColumnTypeAsync(fixture), await IndexOfAsync(fixture), await LastMigrationAsync(fixture));
        var generator = new FruitGenerator("model-b", 4)
        {
            OnCall = calls =>
            {
                if (calls == 2)
                {
                    fixture.Server.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{application}'")
                        .GetAwaiter().GetResult();
                }
            },
        };
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(generator));

        await Assert.ThrowsAsync<VectorStoreException>(() => next.ReembedAsync(r => r.Label));

        await AssertUnchangedAsync(fixture, old, next, before);
    }

    [PostgresFact]
    public async Task Reembed_OfADynamicCollection_MigratesTheDimension()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = fixture.Store.GetDynamicCollection("notes", Definition(new FruitGenerator("model-a", 3)));
        await old.EnsureCollectionExistsAsync();
        await old.UpsertAsync(Fruits.Select(f => new Dictionary<string, object?> { ["Key"] = f, ["Embedding"] = f, ["Label"] = f }));
        var next = fixture.Store.GetDynamicCollection("notes", Definition(new FruitGenerator("model-a", 4)));

        Assert.Equal(4, await next.ReembedAsync(r => (string?)r["Label"], "Embedding"));

        await next.EnsureCollectionExistsAsync();
        Assert.Equal("date", (await next.SearchAsync("date", 1).SingleAsync()).Record["Key"]);
    }

    [PostgresFact]
    public async Task Reembed_WithoutAnyChange_ReembedsAnywayAndKeepsTheCollectionUsable()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var collection = await CreateAsync(fixture, new FruitGenerator("model-a", 4));
        await collection.UpsertAsync(Fruits.Select(f => new TextEmbeddingRecord<string> { Key = f, Embedding = "apple", Label = f }));
        Assert.Equal(0d, (await collection.SearchAsync("banana", 1).SingleAsync()).Score!.Value, 5);

        Assert.Equal(4, await collection.ReembedAsync(r => r.Label));

        await collection.EnsureCollectionExistsAsync();
        Assert.Equal("banana", (await collection.SearchAsync("banana", 1).SingleAsync()).Record.Key);
        Assert.Equal(2L, await fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".__aiallin_migrations"));
    }

    [PostgresFact]
    public async Task Reembed_WithNullSource_KeepsTheRecordWithoutAVector()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = await CreateAsync(fixture, new FruitGenerator("model-a", 3));
        await old.UpsertAsync(Fruits.Select(f => new TextEmbeddingRecord<string> { Key = f, Embedding = f, Label = f == "banana" ? null : f }));
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new FruitGenerator("model-a", 4)));

        Assert.Equal(3, await next.ReembedAsync(r => r.Label));

        Assert.NotNull(await next.GetAsync("banana"));
        var results = await next.SearchAsync("banana", 10).ToListAsync();
        Assert.Equal(["apple", "cherry", "date"], results.Select(r => r.Record.Key).Order());
        Assert.Equal(1L, await fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".notes WHERE \"Embedding\" IS NULL"));
    }

    [PostgresFact]
    public async Task Reembed_DeletesExpiredRecordsAndKeepsTheOthers()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var old = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>(
            "notes", new PostgresCollectionOptions { Definition = Definition(new FruitGenerator("model-a", 3)), TimeToLive = TimeSpan.FromHours(1) });
        await old.EnsureCollectionExistsAsync();
        await old.UpsertAsync(Fruits.Select(f => new TextEmbeddingRecord<string> { Key = f, Embedding = f, Label = f }));
        await fixture.Server.ExecuteAsync($"UPDATE \"{fixture.Schema}\".notes SET __expires_at = now() - interval '1 minute' WHERE \"Key\" = 'banana'");
        var next = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>(
            "notes", new PostgresCollectionOptions { Definition = Definition(new FruitGenerator("model-a", 4)), TimeToLive = TimeSpan.FromHours(1) });

        Assert.Equal(3, await next.ReembedAsync(r => r.Label));

        Assert.Equal(3L, await fixture.CountAsync("notes"));
        Assert.Equal("cherry", (await next.SearchAsync("cherry", 1).SingleAsync()).Record.Key);
        Assert.NotNull(await next.GetAsync("apple"));
    }

    [PostgresFact]
    public async Task Reembed_OfAMissingCollection_Throws()
    {
        await using var fixture = await PostgresFixture.CreateAsync("reembed");
        var collection = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(new FruitGenerator("model-a", 4)));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => collection.ReembedAsync(r => r.Label));

        Assert.Contains("does not exist", exception.Message, StringComparison.Ordinal);
        Assert.False(await collection.CollectionExistsAsync());
    }

    private static async Task AssertUnchangedAsync(
        PostgresFixture fixture,
        PostgresCollection<string, TextEmbeddingRecord<string>> old,
        PostgresCollection<string, TextEmbeddingRecord<string>> next,
        (string?, string?, string?) before)
    {
        Assert.Equal(before, (await ColumnTypeAsync(fixture), await IndexOfAsync(fixture), await LastMigrationAsync(fixture)));
        Assert.Equal(600L, await fixture.CountAsync("notes"));
        Assert.Equal(0L, await fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".notes WHERE \"Embedding\" IS NULL"));
        Assert.Equal("cherry", (await old.GetAsync("r2"))?.Label);
        var nearest = await old.SearchAsync("banana", 1).SingleAsync();
        Assert.Equal("banana", nearest.Record.Label);
        var mismatch = await Assert.ThrowsAsync<VectorStoreException>(() => next.EnsureCollectionExistsAsync());
        Assert.Contains("'model-a'", mismatch.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<TextEmbeddingRecord<string>> ManyRecords(int count)
        => Enumerable.Range(0, count).Select(i => new TextEmbeddingRecord<string> { Key = "r" + i, Embedding = Fruits[i % 4], Label = Fruits[i % 4] });

    private static async Task<PostgresCollection<string, TextEmbeddingRecord<string>>> CreateAsync(PostgresFixture fixture, FruitGenerator generator)
    {
        var collection = fixture.Store.GetCollection<string, TextEmbeddingRecord<string>>("notes", Definition(generator));
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    private static Task<string?> ColumnTypeAsync(PostgresFixture fixture)
        => fixture.Server.ScalarAsync<string>(
            $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"{fixture.Schema}\".notes'::regclass AND attname = 'Embedding'");

    private static Task<string?> IndexOfAsync(PostgresFixture fixture)
        => fixture.Server.ScalarAsync<string>(
            $"SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) " +
            $"WHERE i.indrelid = '\"{fixture.Schema}\".notes'::regclass AND a.attname = 'Embedding'");

    private static Task<string?> LastMigrationAsync(PostgresFixture fixture)
        => fixture.Server.ScalarAsync<string>(
            $"SELECT description FROM \"{fixture.Schema}\".__aiallin_migrations WHERE collection = 'notes' ORDER BY version DESC LIMIT 1");

    private static VectorStoreCollectionDefinition Definition(FruitGenerator generator) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Key", typeof(string)),
            new VectorStoreVectorProperty("Embedding", typeof(string), generator.Dimensions) { EmbeddingGenerator = generator },
            new VectorStoreDataProperty("Label", typeof(string)),
        ],
    };

    /// <summary>Embeds each fruit as its own axis (folded into the dimensions), and names a model, as real providers do.</summary>
    private sealed class FruitGenerator(string model, int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly EmbeddingGeneratorMetadata _metadata = new("test", defaultModelId: model);

        public int Dimensions => dimensions;

        public int FailOnCall { get; init; }

        public Action<int>? OnCall { get; init; }

        public int Calls { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            OnCall?.Invoke(Calls);
            cancellationToken.ThrowIfCancellationRequested();
            if (Calls == FailOnCall)
            {
                throw new InvalidOperationException("generator failed");
            }

            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v =>
            {
                var vector = new float[dimensions];
                vector[Array.IndexOf(Fruits, v) % dimensions] = 1;
                return new Embedding<float>(vector);
            })));
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
