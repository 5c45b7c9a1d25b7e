using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Single and batch get, upsert and delete on typed collections mapped by definition and by attributes.
/// A store's test project subclasses this once per key type it supports.
/// </summary>
public abstract class CrudConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    [ConformanceFact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        var collection = await SeededCollectionAsync();

        Assert.Null(await collection.GetAsync(NewKey()));
    }

    [ConformanceFact]
    public async Task Upsert_ThenGetWithVectors_RoundTripsEveryProperty()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var record = Record(7, "seven", [0.5f, -1.25f, 3f]);

        await collection.UpsertAsync(record);

        AssertSame(record, await collection.GetAsync(record.Key, new() { IncludeVectors = true }), includeVectors: true);
    }

    [ConformanceFact]
    public async Task Get_WithoutIncludeVectors_ReturnsDataButNoVector()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var record = Record(7, "seven", [0.5f, -1.25f, 3f]);
        await collection.UpsertAsync(record);

        var received = await collection.GetAsync(record.Key);

        AssertSame(record, received, includeVectors: false);
        Assert.Equal(0, received!.Vector.Length);
    }

    [ConformanceFact]
    public async Task Upsert_NullText_RoundTripsNull()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var record = Record(1, null, [1, 0, 0]);

        await collection.UpsertAsync(record);

        AssertSame(record, await collection.GetAsync(record.Key, new() { IncludeVectors = true }), includeVectors: true);
    }

    [ConformanceFact]
    public async Task Upsert_ExistingKey_OverwritesWholeRecord()
    {
        var collection = await SeededCollectionAsync();
        var original = (await collection.GetAsync(_ => true, All).ToListAsync())[0];
        var replacement = new ConformanceRecord<TKey> { Key = original.Key, Text = "replaced", Number = 999, Vector = new([9, 8, 7]) };

        await collection.UpsertAsync(replacement);

        AssertSame(replacement, await collection.GetAsync(original.Key, new() { IncludeVectors = true }), includeVectors: true);
        Assert.Equal(SeedCount, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task Delete_ExistingKey_RemovesOnlyThatRecord()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var (kept, removed) = (Record(1, "kept", [1, 0, 0]), Record(2, "removed", [0, 1, 0]));
        await collection.UpsertAsync([kept, removed]);

        await collection.DeleteAsync(removed.Key);

        Assert.Null(await collection.GetAsync(removed.Key));
        AssertSame(kept, await collection.GetAsync(kept.Key), includeVectors: false);
    }

    [ConformanceFact]
    public async Task Delete_MissingKey_DoesNothing()
    {
        var collection = await SeededCollectionAsync();

        await collection.DeleteAsync(NewKey());

        Assert.Equal(SeedCount, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task UpsertBatch_ThenGetBatchWithVectors_ReturnsEveryRecord()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        ConformanceRecord<TKey>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0]), Record(3, "three", [0, 0, 1])];

        await collection.UpsertAsync(records);

        var received = await collection.GetAsync(records.Select(r => r.Key), new() { IncludeVectors = true }).ToListAsync();
        Assert.Equal(records.Length, received.Count);
        foreach (var record in records)
        {
            AssertSame(record, received.SingleOrDefault(r => r.Key.Equals(record.Key)), includeVectors: true);
        }
    }

    [ConformanceFact]
    public async Task GetBatch_WithoutIncludeVectors_ReturnsNoVectors()
    {
        var collection = await SeededCollectionAsync();
        var keys = (await collection.GetAsync(_ => true, All).ToListAsync()).Select(r => r.Key).ToList();

        var received = await collection.GetAsync(keys).ToListAsync();

        Assert.Equal(keys.Count, received.Count);
        Assert.All(received, r => Assert.Equal(0, r.Vector.Length));
    }

    [ConformanceFact]
    public async Task GetBatch_WithMissingKeys_ReturnsOnlyExisting()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        ConformanceRecord<TKey>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0])];
        await collection.UpsertAsync(records);

        var received = await collection.GetAsync([NewKey(), records[0].Key, NewKey(), records[1].Key]).ToListAsync();

        Assert.Equal(2, received.Count);
        AssertSame(records[0], received.SingleOrDefault(r => r.Key.Equals(records[0].Key)), includeVectors: false);
        AssertSame(records[1], received.SingleOrDefault(r => r.Key.Equals(records[1].Key)), includeVectors: false);
    }

    [ConformanceFact]
    public async Task GetBatch_EmptyKeys_ReturnsEmpty()
    {
        var collection = await SeededCollectionAsync();

        Assert.Empty(await collection.GetAsync([]).ToListAsync());
    }

    [ConformanceFact]
    public async Task UpsertBatch_NewAndExistingKeys_InsertsAndUpdates()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var existing = Record(1, "old", [1, 0, 0]);
        await collection.UpsertAsync(existing);
        var updated = new ConformanceRecord<TKey> { Key = existing.Key, Text = "new", Number = 11, Vector = new([0, 0, 1]) };
        var inserted = Record(2, "inserted", [0, 1, 0]);

        await collection.UpsertAsync([updated, inserted]);

        AssertSame(updated, await collection.GetAsync(existing.Key, new() { IncludeVectors = true }), includeVectors: true);
        AssertSame(inserted, await collection.GetAsync(inserted.Key, new() { IncludeVectors = true }), includeVectors: true);
        Assert.Equal(2, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task UpsertBatch_Empty_ChangesNothing()
    {
        var collection = await SeededCollectionAsync();

        await collection.UpsertAsync([]);

        Assert.Equal(SeedCount, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task DeleteBatch_RemovesListedKeysAndIgnoresMissingOnes()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        ConformanceRecord<TKey>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0]), Record(3, "three", [0, 0, 1])];
        await collection.UpsertAsync(records);

        await collection.DeleteAsync([records[0].Key, NewKey(), records[2].Key]);

        var left = await collection.GetAsync(_ => true, All).ToListAsync();
        AssertSame(records[1], Assert.Single(left), includeVectors: false);
    }

    [ConformanceFact]
    public async Task DeleteBatch_Empty_ChangesNothing()
    {
        var collection = await SeededCollectionAsync();

        await collection.DeleteAsync([]);

        Assert.Equal(SeedCount, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task AttributedRecord_RoundTripsThroughStorageNames()
    {
        var collection = await CreateCollectionAsync<AttributedRecord<TKey>>("attr", definition: null);
        var record = new AttributedRecord<TKey>
        {
            Key = NewKey(),
            Title = "it's a \"title\"",
            Rating = 4.25,
            Tags = ["red", "blue"],
            Written = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
            Vector = new([0.25f, 0.5f, 0.75f]),
        };

        await collection.UpsertAsync(record);
        var received = await collection.GetAsync(record.Key, new() { IncludeVectors = true });

        Assert.NotNull(received);
        Assert.Equal(record.Key, received.Key);
        Assert.Equal(record.Title, received.Title);
        Assert.Equal(record.Rating, received.Rating);
        Assert.Equal(record.Tags, received.Tags);
        Assert.Equal(record.Written, received.Written);
        Assert.Equal(record.Vector.ToArray(), received.Vector.ToArray());
    }

    [ConformanceFact]
    public async Task AttributedRecord_FilterAndSearchUsePropertyNames()
    {
        var collection = await CreateCollectionAsync<AttributedRecord<TKey>>("attr", definition: null);
        AttributedRecord<TKey>[] records =
        [
            new() { Key = NewKey(), Title = "near", Rating = 1, Tags = ["a"], Vector = new([1, 0, 0]) },
            new() { Key = NewKey(), Title = "far", Rating = 5, Tags = ["b"], Vector = new([0, 1, 0]) },
        ];
        await collection.UpsertAsync(records);

        var filtered = await collection.GetAsync(r => r.Title == "far" && r.Tags.Contains("b"), All).ToListAsync();
        var nearest = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0.1f, 0]), top: 1).SingleAsync();

        Assert.Equal(records[1].Key, Assert.Single(filtered).Key);
        Assert.Equal(records[0].Key, nearest.Record.Key);
    }

    [ConformanceFact]
    public async Task Upsert_ThenCallerMutatesItsObject_StoredRecordIsUnchanged()
    {
        var collection = await CreateCollectionAsync<AttributedRecord<TKey>>("attr", definition: null);
        var vector = new float[] { 1, 2, 3 };
        var record = new AttributedRecord<TKey> { Key = NewKey(), Title = "before", Tags = ["a", "b"], Vector = vector };
        await collection.UpsertAsync(record);

        record.Title = "after";
        record.Tags[0] = "changed";
        vector[0] = 100;

        var stored = await collection.GetAsync(record.Key, new() { IncludeVectors = true });
        Assert.NotNull(stored);
        Assert.Equal("before", stored.Title);
        Assert.Equal(["a", "b"], stored.Tags);
        Assert.Equal([1f, 2, 3], stored.Vector.ToArray());
    }

    [ConformanceFact]
    public async Task Get_ThenCallerMutatesTheResult_StoredRecordIsUnchanged()
    {
        var collection = await CreateCollectionAsync<AttributedRecord<TKey>>("attr", definition: null);
        var record = new AttributedRecord<TKey> { Key = NewKey(), Title = "stored", Tags = ["a"], Vector = new([1, 2, 3]) };
        await collection.UpsertAsync(record);

        var first = await collection.GetAsync(record.Key, new() { IncludeVectors = true });
        first!.Title = "mutated";
        first.Tags[0] = "mutated";
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.Vector, out var segment))
        {
            segment.Array![segment.Offset] = 100;
        }

        var second = await collection.GetAsync(record.Key, new() { IncludeVectors = true });
        Assert.NotNull(second);
        Assert.Equal("stored", second.Title);
        Assert.Equal(["a"], second.Tags);
        Assert.Equal([1f, 2, 3], second.Vector.ToArray());
    }

    [ConformanceFact]
    public async Task ConcurrentUpsertsAndReads_LoseNothing()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var records = Enumerable.Range(0, 64).Select(i => Record(i, $"r{i}", [i, 1, 0])).ToList();

        await Task.WhenAll(records.Select(async (record, i) =>
        {
            await Task.Yield();
            await collection.UpsertAsync(record);
            _ = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 1, 0]), top: 3).ToListAsync();
            _ = await collection.GetAsync(records[(i + 1) % records.Count].Key);
        }));

        Assert.Equal(records.Count, await CountAsync(collection));
        var stored = await collection.GetAsync(records.Select(r => r.Key)).ToListAsync();
        Assert.Equal(records.Select(r => r.Number).Order(), stored.Select(r => r.Number).Order());
    }

    [ConformanceFact]
    public async Task TwoCollectionObjectsWithOneName_ShareRecords()
    {
        var first = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var second = Store.GetCollection<TKey, ConformanceRecord<TKey>>(first.Name, ConformanceDefinition());
        var record = Record(5, "shared", [1, 2, 3]);

        await first.UpsertAsync(record);

        AssertSame(record, await second.GetAsync(record.Key), includeVectors: false);
    }

    [ConformanceFact]
    public async Task CollectionsWithDifferentNames_DoNotShareRecords()
    {
        var first = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var second = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        var record = Record(5, "only in first", [1, 2, 3]);

        await first.UpsertAsync(record);

        Assert.Null(await second.GetAsync(record.Key));
        Assert.Equal(0, await CountAsync(second));
    }

    private const int SeedCount = 4;

    private ConformanceRecord<TKey> Record(int number, string? text, float[] vector)
        => new() { Key = NewKey(), Number = number, Text = text, Vector = new(vector) };

    private async Task<VectorStoreCollection<TKey, ConformanceRecord<TKey>>> SeededCollectionAsync()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("crud", ConformanceDefinition());
        await collection.UpsertAsync(
        [
            Record(1, "one", [1, 0, 0]),
            Record(2, "two", [0, 1, 0]),
            Record(3, "three", [0, 0, 1]),
            Record(4, "four", [1, 1, 1]),
        ]);
        return collection;
    }

    private static void AssertSame(ConformanceRecord<TKey> expected, ConformanceRecord<TKey>? actual, bool includeVectors)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Number, actual.Number);
        if (includeVectors)
        {
            Assert.Equal(expected.Vector.ToArray(), actual.Vector.ToArray());
        }
        else
        {
            Assert.Equal(0, actual.Vector.Length);
        }
    }
}
