namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class ConcurrencyTests
{
    private const int Tasks = 8;
    private const int Iterations = 2000;
    private const int KeysPerTask = 40;

    [Fact]
    public async Task ConcurrentUpsertsDeletesAndSearches_EndInTheExactExpectedState()
    {
        var collection = await Stores.ProductsAsync();
        var searchFailures = 0;

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < Iterations; i++)
            {
                await collection.UpsertAsync(Stores.Product(Key(t, i % KeysPerTask), i, t + 1, i % 7, 1));
                if (i % 3 == 0)
                {
                    await collection.DeleteAsync(Key(t, (i * 7) % KeysPerTask));
                }

                var results = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 1, 1]), 5, new() { Filter = p => p.Price >= 0 }).ToListAsync();
                if (results.Count > 5 || results.Zip(results.Skip(1)).Any(pair => pair.First.Score < pair.Second.Score))
                {
                    Interlocked.Increment(ref searchFailures);
                }
            }
        })));

        var expected = new Dictionary<string, int>();
        for (var t = 0; t < Tasks; t++)
        {
            for (var i = 0; i < Iterations; i++)
            {
                expected[Key(t, i % KeysPerTask)] = i;
                if (i % 3 == 0)
                {
                    expected.Remove(Key(t, (i * 7) % KeysPerTask));
                }
            }
        }

        var stored = await collection.GetAsync(_ => true, 10_000, new() { IncludeVectors = true }).ToListAsync();
        Assert.Equal(0, searchFailures);
        Assert.Equal(expected.OrderBy(e => e.Key), stored.Select(p => KeyValuePair.Create(p.Id, p.Price)).OrderBy(e => e.Key));
        Assert.All(stored, p => Assert.Equal(p.Price % 7, p.Embedding.Span[1]));
        Assert.Equal(expected.Count, (await collection.SearchAsync(new ReadOnlyMemory<float>([1, 1, 1]), 10_000).ToListAsync()).Count);
    }

    private static string Key(int task, int index) => $"t{task}-k{index}";
}
