using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>
/// Multi-row reads hand rows over as the server sends them: the first record arrives while the rest are still on the
/// wire, a failure after it surfaces as a <see cref="VectorStoreException"/>, and reading many rows holds little memory.
/// </summary>
/// <remarks>
/// The memory test reads the process's heap size, so this class runs alone (<see cref="SerialMemoryTests"/>): tests
/// running beside it in the same process would allocate into the measurement.
/// </remarks>
[Collection(SerialMemoryTests.Name)]
public sealed class StreamingReadTests
{
    // Enough rows (several MB) that the server is still sending when the first one has been read.
    private const int Rows = 20_000;

    [PostgresFact]
    public async Task GetWithFilter_ConnectionKilledAfterTheFirstRow_FailsMidStreamWithVectorStoreException()
    {
        var application = "aiallin-stream-" + Guid.NewGuid().ToString("N")[..8];
        await using var fixture = await PostgresFixture.CreateAsync("stream", application);
        var collection = await LoadAsync(fixture);

        var error = await FailAfterFirstAsync(collection.GetAsync(a => a.Version == 1, Rows), fixture, application);

        Assert.Equal("Get", error.OperationName);
        Assert.Equal(collection.Name, error.CollectionName);
    }

    [PostgresFact]
    public async Task Search_ConnectionKilledAfterTheFirstRow_FailsMidStreamWithVectorStoreException()
    {
        var application = "aiallin-stream-" + Guid.NewGuid().ToString("N")[..8];
        await using var fixture = await PostgresFixture.CreateAsync("stream", application);
        var collection = await LoadAsync(fixture);

        var error = await FailAfterFirstAsync(
            collection.SearchAsync(new ReadOnlyMemory<float>([1, 0, 0, 0]), Rows, new PostgresSearchSettings { ExactScan = true }, new VectorSearchOptions<Article> { IncludeVectors = true })
                .Select(r => r.Record),
            fixture,
            application);

        Assert.Equal("Search", error.OperationName);
    }

    [PostgresFact]
    public async Task GetWithFilter_ReadingEveryRow_KeepsLiveMemoryFarBelowTheBufferedList()
    {
        await using var fixture = await PostgresFixture.CreateAsync("stream");
        var collection = await LoadAsync(fixture);

        var streamedPeak = 0L;
        var count = 0;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await foreach (var article in collection.GetAsync(a => a.Version == 1, Rows))
        {
            if (++count % 5_000 == 0)
            {
                streamedPeak = Math.Max(streamedPeak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        before = GC.GetTotalMemory(forceFullCollection: true);
        var buffered = await collection.GetAsync(a => a.Version == 1, Rows).ToListAsync();
        var bufferedSize = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Equal(Rows, count);
        Assert.Equal(Rows, buffered.Count);
        Assert.True(streamedPeak * 10 < bufferedSize, $"streamed peak {streamedPeak} B, buffered list {bufferedSize} B");
    }

    private static readonly VectorStoreCollectionDefinition FlatDefinition = new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Article.Id), typeof(long)),
            new VectorStoreDataProperty(nameof(Article.Title), typeof(string)),
            new VectorStoreDataProperty(nameof(Article.Body), typeof(string)),
            new VectorStoreDataProperty(nameof(Article.Version), typeof(int)),
            new VectorStoreVectorProperty(nameof(Article.Embedding), typeof(ReadOnlyMemory<float>), 4) { IndexKind = IndexKind.Flat },
        ],
    };

    private static async Task<PostgresCollection<long, Article>> LoadAsync(PostgresFixture fixture)
    {
        // No vector index: loading is quicker, and an exact search returns every row.
        var collection = await fixture.ArticlesAsync(options: new PostgresCollectionOptions { Definition = FlatDefinition });
        var body = new string('x', 300);
        await collection.UpsertAsync(Enumerable.Range(1, Rows).Select(i => Articles.Make(i, $"article {i}", Articles.Vector(i, 4), body: body)));
        return collection;
    }

    private static async Task<VectorStoreException> FailAfterFirstAsync<T>(IAsyncEnumerable<T> rows, PostgresFixture fixture, string application)
    {
        await using var enumerator = rows.GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());

        await fixture.Server.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{application}'");

        return await Assert.ThrowsAsync<VectorStoreException>(async () =>
        {
            while (await enumerator.MoveNextAsync())
            {
            }
        });
    }
}
