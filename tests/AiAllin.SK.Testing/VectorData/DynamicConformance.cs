using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Dynamic collections (<c>Dictionary&lt;string, object?&gt;</c> records): CRUD, search, filter, and the same data
/// seen through typed and dynamic collection objects.
/// </summary>
public abstract class DynamicConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    private const string Key = "key";
    private const string Text = "text";
    private const string Number = "number";
    private const string Vector = "vector";

    [ConformanceFact]
    public async Task Upsert_ThenGetWithVectors_RoundTripsTypedValues()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        var record = Record(42, "forty-two", [0.5f, 1.5f, -2]);

        await collection.UpsertAsync(record);
        var received = await collection.GetAsync(record[Key]!, new() { IncludeVectors = true });

        AssertSame(record, received, includeVectors: true);
        Assert.IsType<TKey>(received![Key]);
        Assert.IsType<int>(received[Number]);
        Assert.IsType<ReadOnlyMemory<float>>(received[Vector]);
    }

    [ConformanceFact]
    public async Task Get_WithoutIncludeVectors_OmitsVectorEntry()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        var record = Record(1, "one", [1, 0, 0]);
        await collection.UpsertAsync(record);

        var received = await collection.GetAsync(record[Key]!);

        AssertSame(record, received, includeVectors: false);
        Assert.False(received!.ContainsKey(Vector));
    }

    [ConformanceFact]
    public async Task Upsert_NullText_RoundTripsNull()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        var record = Record(1, null, [1, 0, 0]);

        await collection.UpsertAsync(record);

        var received = await collection.GetAsync(record[Key]!);
        Assert.NotNull(received);
        Assert.Null(received[Text]);
    }

    [ConformanceFact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        await collection.UpsertAsync(Record(1, "one", [1, 0, 0]));

        Assert.Null(await collection.GetAsync(NewKey()));
    }

    [ConformanceFact]
    public async Task UpsertBatch_ThenGetBatch_ReturnsOnlyExisting()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        Dictionary<string, object?>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0])];

        await collection.UpsertAsync(records);
        var received = await collection.GetAsync([records[0][Key]!, NewKey(), records[1][Key]!], new() { IncludeVectors = true }).ToListAsync();

        Assert.Equal(2, received.Count);
        foreach (var record in records)
        {
            AssertSame(record, received.SingleOrDefault(r => Equals(r[Key], record[Key])), includeVectors: true);
        }
    }

    [ConformanceFact]
    public async Task Upsert_ExistingKey_Overwrites()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        var original = Record(1, "one", [1, 0, 0]);
        await collection.UpsertAsync(original);
        var replacement = new Dictionary<string, object?>
        {
            [Key] = original[Key],
            [Text] = "replaced",
            [Number] = 100,
            [Vector] = new ReadOnlyMemory<float>([0, 0, 1]),
        };

        await collection.UpsertAsync(replacement);

        AssertSame(replacement, await collection.GetAsync(original[Key]!, new() { IncludeVectors = true }), includeVectors: true);
    }

    [ConformanceFact]
    public async Task Delete_RemovesRecordAndIgnoresMissingKey()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        Dictionary<string, object?>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0])];
        await collection.UpsertAsync(records);

        await collection.DeleteAsync(records[0][Key]!);
        await collection.DeleteAsync(NewKey());

        Assert.Null(await collection.GetAsync(records[0][Key]!));
        AssertSame(records[1], await collection.GetAsync(records[1][Key]!), includeVectors: false);
    }

    [ConformanceFact]
    public async Task Search_ReturnsNearestWithScoreAndOptionalVector()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        Dictionary<string, object?>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0]), Record(3, "three", [0, 0, 1])];
        await collection.UpsertAsync(records);

        var without = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 1, 0]), top: 1).SingleAsync();
        var with = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 1, 0]), top: 1, new() { IncludeVectors = true }).SingleAsync();

        AssertSame(records[1], without.Record, includeVectors: false);
        AssertSame(records[1], with.Record, includeVectors: true);
        Assert.Equal(1, without.Score!.Value, 1e-4);
    }

    [ConformanceFact]
    public async Task SearchAndGet_WithHandWrittenFilter_SelectMatchingRecords()
    {
        var collection = await CreateDynamicCollectionAsync("dyn", Definition());
        Dictionary<string, object?>[] records = [Record(1, "one", [1, 0, 0]), Record(2, "two", [0, 1, 0]), Record(3, "two", [0, 0, 1])];
        await collection.UpsertAsync(records);

        var searched = await collection.SearchAsync(
            new ReadOnlyMemory<float>([1, 0, 0]),
            top: 10,
            new() { Filter = r => (string?)r[Text] == "two" && (int)r[Number]! > 2, Skip = 0 }).ToListAsync();
        var got = await collection.GetAsync(
            r => (string?)r[Text] == "two",
            top: 10,
            new() { OrderBy = o => o.Descending(r => r[Number]) }).ToListAsync();

        Assert.Equal(3, Assert.Single(searched).Record[Number]);
        Assert.Equal([3, 2], got.Select(r => (int)r[Number]!));
    }

    [ConformanceFact]
    public async Task TypedAndDynamicCollections_OfOneName_ShareRecords()
    {
        var dynamic = await CreateDynamicCollectionAsync("dyn", Definition());
        var typed = Store.GetCollection<TKey, ConformanceRecord<TKey>>(dynamic.Name, TypedDefinition());
        var fromDynamic = Record(1, "from dynamic", [1, 0, 0]);
        var fromTyped = new ConformanceRecord<TKey> { Key = NewKey(), Text = "from typed", Number = 2, Vector = new([0, 1, 0]) };

        await dynamic.UpsertAsync(fromDynamic);
        await typed.UpsertAsync(fromTyped);

        var typedView = await typed.GetAsync((TKey)fromDynamic[Key]!, new() { IncludeVectors = true });
        var dynamicView = await dynamic.GetAsync(fromTyped.Key, new() { IncludeVectors = true });
        Assert.NotNull(typedView);
        Assert.Equal("from dynamic", typedView.Text);
        Assert.Equal(1, typedView.Number);
        Assert.Equal([1f, 0, 0], typedView.Vector.ToArray());
        AssertSame(
            new() { [Key] = fromTyped.Key, [Text] = "from typed", [Number] = 2, [Vector] = fromTyped.Vector },
            dynamicView,
            includeVectors: true);
    }

    private static VectorStoreCollectionDefinition Definition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(Key, typeof(TKey)),
            new VectorStoreDataProperty(Text, typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(Number, typeof(int)) { IsIndexed = true },
            new VectorStoreVectorProperty(Vector, typeof(ReadOnlyMemory<float>), 3) { DistanceFunction = DistanceFunction.CosineSimilarity },
        ],
    };

    // The typed view of the same schema: property names differ from the dynamic ones, storage names match them.
    private static VectorStoreCollectionDefinition TypedDefinition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(ConformanceRecord<TKey>.Key), typeof(TKey)) { StorageName = Key },
            new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Text), typeof(string)) { IsIndexed = true, StorageName = Text },
            new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Number), typeof(int)) { IsIndexed = true, StorageName = Number },
            new VectorStoreVectorProperty(nameof(ConformanceRecord<TKey>.Vector), typeof(ReadOnlyMemory<float>), 3)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
                StorageName = Vector,
            },
        ],
    };

    private Dictionary<string, object?> Record(int number, string? text, float[] vector) => new()
    {
        [Key] = NewKey(),
        [Text] = text,
        [Number] = number,
        [Vector] = new ReadOnlyMemory<float>(vector),
    };

    private static void AssertSame(Dictionary<string, object?> expected, Dictionary<string, object?>? actual, bool includeVectors)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected[Key], actual[Key]);
        Assert.Equal(expected[Text], actual[Text]);
        Assert.Equal(expected[Number], actual[Number]);
        if (includeVectors)
        {
            Assert.Equal(((ReadOnlyMemory<float>)expected[Vector]!).ToArray(), ((ReadOnlyMemory<float>)actual[Vector]!).ToArray());
        }
    }
}
