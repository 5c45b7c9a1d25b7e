using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Bad input gets a clear exception and loses nothing: wrong vector dimensions, a batch with one bad record,
/// invalid collection names, unsupported property types, null arguments and out-of-range paging.
/// </summary>
public abstract class BadInputConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    [ConformanceFact]
    public async Task Upsert_WithWrongDimension_ThrowsAndKeepsData()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("bad", ConformanceDefinition());
        var original = new ConformanceRecord<TKey> { Key = NewKey(), Text = "original", Number = 1, Vector = new([1, 2, 3]) };
        await collection.UpsertAsync(original);

        var exception = await Record.ExceptionAsync(() => collection.UpsertAsync(
            new ConformanceRecord<TKey> { Key = original.Key, Text = "changed", Number = 2, Vector = new([1, 2]) }));

        AssertNamesVector(exception);
        var stored = await collection.GetAsync(original.Key, new() { IncludeVectors = true });
        Assert.NotNull(stored);
        Assert.Equal("original", stored.Text);
        Assert.Equal(1, stored.Number);
        Assert.Equal([1f, 2, 3], stored.Vector.ToArray());
    }

    [ConformanceFact]
    public async Task UpsertBatch_WithOneBadRecord_WritesNothing()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("bad", ConformanceDefinition());
        var existing = new ConformanceRecord<TKey> { Key = NewKey(), Text = "existing", Number = 1, Vector = new([1, 0, 0]) };
        await collection.UpsertAsync(existing);
        ConformanceRecord<TKey>[] batch =
        [
            new() { Key = NewKey(), Text = "new", Number = 2, Vector = new([0, 1, 0]) },
            new() { Key = existing.Key, Text = "updated", Number = 3, Vector = new([0, 0, 1]) },
            new() { Key = NewKey(), Text = "bad", Number = 4, Vector = new([0, 0, 1, 0]) },
        ];

        var exception = await Record.ExceptionAsync(() => collection.UpsertAsync(batch));

        AssertNamesVector(exception);
        Assert.Null(await collection.GetAsync(batch[0].Key));
        Assert.Null(await collection.GetAsync(batch[2].Key));
        var stored = await collection.GetAsync(existing.Key, new() { IncludeVectors = true });
        Assert.NotNull(stored);
        Assert.Equal("existing", stored.Text);
        Assert.Equal([1f, 0, 0], stored.Vector.ToArray());
        Assert.Equal(1, await CountAsync(collection));
    }

    [ConformanceFact]
    public async Task Dynamic_UpsertWithWrongDimension_ThrowsAndKeepsData()
    {
        var collection = await CreateDynamicCollectionAsync("bad", ConformanceDefinition());
        var key = NewKey();
        await collection.UpsertAsync(new Dictionary<string, object?>
        {
            ["Key"] = key, ["Text"] = "original", ["Number"] = 1, ["Vector"] = new ReadOnlyMemory<float>([1, 2, 3]),
        });

        var exception = await Record.ExceptionAsync(() => collection.UpsertAsync(new Dictionary<string, object?>
        {
            ["Key"] = key, ["Text"] = "changed", ["Number"] = 2, ["Vector"] = new ReadOnlyMemory<float>([1, 2, 3, 4]),
        }));

        AssertNamesVector(exception);
        var stored = await collection.GetAsync(key);
        Assert.NotNull(stored);
        Assert.Equal("original", stored["Text"]);
    }

    [ConformanceFact]
    public async Task Search_WithWrongQueryDimension_Throws()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("bad", ConformanceDefinition());
        await collection.UpsertAsync(new ConformanceRecord<TKey> { Key = NewKey(), Number = 1, Vector = new([1, 2, 3]) });

        var exception = await Record.ExceptionAsync(
            async () => await collection.SearchAsync(new ReadOnlyMemory<float>([1, 2]), top: 1).ToListAsync());

        Assert.True(
            exception is ArgumentException or VectorStoreException,
            $"Expected ArgumentException or VectorStoreException; got {exception?.GetType().Name ?? "no exception"}.");
    }

    [ConformanceFact]
    public async Task InvalidCollectionNames_AreRejectedWithArgumentException()
    {
        foreach (var name in new[] { string.Empty, "   " }.Concat(TestStore.InvalidCollectionNames))
        {
            var exception = await Record.ExceptionAsync(async () =>
            {
                var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, ConformanceDefinition());
                await collection.EnsureCollectionExistsAsync();
            });

            Assert.True(exception is ArgumentException, $"Collection name '{name}': expected ArgumentException, got {exception?.GetType().Name ?? "no exception"}.");
        }

        Assert.Empty(await Store.ListCollectionNamesAsync().Where(n => string.IsNullOrWhiteSpace(n) || TestStore.InvalidCollectionNames.Contains(n)).ToListAsync());
    }

    [ConformanceFact]
    public async Task NullCollectionName_IsRejected()
    {
        var exception = await Record.ExceptionAsync(() => Task.FromResult(Store.GetCollection<TKey, ConformanceRecord<TKey>>(null!, ConformanceDefinition())));

        Assert.IsType<ArgumentNullException>(exception);
    }

    [ConformanceFact]
    public async Task UnsupportedVectorPropertyType_IsRejectedWhenTheCollectionIsCreated()
    {
        var name = NewCollectionName("bad");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Key", typeof(TKey)),
                new VectorStoreVectorProperty("Vector", typeof(DateTime), 3),
            ],
        };

        await AssertRejectedAsync(async () =>
        {
            var collection = Store.GetDynamicCollection(name, definition);
            await collection.EnsureCollectionExistsAsync();
        });
        Assert.False(await Store.CollectionExistsAsync(name));
    }

    [ConformanceFact]
    public async Task UnknownIndexKind_IsRejectedWhenTheCollectionIsCreated_NamingIt()
    {
        var name = NewCollectionName("bad");
        var definition = ConformanceDefinition();
        definition.Properties.OfType<VectorStoreVectorProperty>().Single().IndexKind = "NoSuchIndexKind";

        var exception = await AssertRejectedAsync(async () =>
        {
            var collection = Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, definition);
            await collection.EnsureCollectionExistsAsync();
        });
        Assert.Contains("NoSuchIndexKind", exception.Message, StringComparison.Ordinal);
        Assert.False(await Store.CollectionExistsAsync(name));
    }

    [ConformanceFact]
    public async Task UnsupportedDataPropertyTypes_AreRejectedWhenTheCollectionIsCreated()
    {
        Assert.NotEmpty(TestStore.UnsupportedDataTypes);
        foreach (var type in TestStore.UnsupportedDataTypes)
        {
            await AssertDefinitionRejectedAsync(new VectorStoreDataProperty("Value", type), new VectorStoreKeyProperty("Key", typeof(TKey)));
        }
    }

    [ConformanceFact]
    public async Task UnsupportedKeyTypes_AreRejectedWhenTheCollectionIsCreated()
    {
        Assert.NotEmpty(TestStore.UnsupportedKeyTypes);
        foreach (var type in TestStore.UnsupportedKeyTypes)
        {
            await AssertDefinitionRejectedAsync(new VectorStoreKeyProperty("Key", type));
        }
    }

    [ConformanceFact]
    public async Task DefinitionWithoutKey_IsRejectedWhenTheCollectionIsCreated()
    {
        var name = NewCollectionName("bad");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreDataProperty("Text", typeof(string)), new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 3)],
        };

        await AssertRejectedAsync(async () =>
        {
            var collection = Store.GetDynamicCollection(name, definition);
            await collection.EnsureCollectionExistsAsync();
        });
        Assert.False(await Store.CollectionExistsAsync(name));
    }

    [ConformanceFact]
    public async Task GenericKeyTypeNotMatchingTheRecordKey_IsRejectedWhenTheCollectionIsCreated()
    {
        var name = NewCollectionName("bad");

        // TKey says one type, the record's key property another.
        await AssertRejectedAsync(async () =>
        {
            if (typeof(TKey) == typeof(string))
            {
                await Store.GetCollection<TKey, ConformanceRecord<int>>(name, ConformanceDefinition(typeof(int))).EnsureCollectionExistsAsync();
            }
            else
            {
                await Store.GetCollection<TKey, ConformanceRecord<string>>(name, ConformanceDefinition(typeof(string))).EnsureCollectionExistsAsync();
            }
        });
        Assert.False(await Store.CollectionExistsAsync(name));
    }

    [ConformanceFact]
    public async Task NullArguments_ThrowArgumentNullExceptionNamingTheParameter()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("bad", ConformanceDefinition());

        Assert.Equal("keys", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await collection.GetAsync(keys: null!).ToListAsync())).ParamName);
        Assert.Equal("keys", (await Assert.ThrowsAsync<ArgumentNullException>(() => collection.DeleteAsync(keys: null!))).ParamName);
        Assert.Equal("records", (await Assert.ThrowsAsync<ArgumentNullException>(() => collection.UpsertAsync(records: null!))).ParamName);
        Assert.Equal("record", (await Assert.ThrowsAsync<ArgumentNullException>(() => collection.UpsertAsync(record: null!))).ParamName);
        if (default(TKey) is null)
        {
            Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(() => collection.GetAsync((TKey)default!))).ParamName);
        }
    }

    [ConformanceFact]
    public async Task OutOfRangePaging_ThrowsArgumentOutOfRange()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("bad", ConformanceDefinition());
        var query = new ReadOnlyMemory<float>([1, 0, 0]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await collection.SearchAsync(query, top: 0).ToListAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await collection.GetAsync(_ => true, top: 0).ToListAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await collection.SearchAsync(query, top: 1, new() { Skip = -1 }).ToListAsync());
    }

    private async Task AssertDefinitionRejectedAsync(params VectorStoreProperty[] properties)
    {
        var name = NewCollectionName("bad");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [.. properties, new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 3)],
        };

        var exception = await Record.ExceptionAsync(async () =>
        {
            var collection = Store.GetDynamicCollection(name, definition);
            await collection.EnsureCollectionExistsAsync();
        });

        var types = string.Join(", ", properties.Select(p => p.Type?.Name));
        Assert.True(exception is NotSupportedException, $"Properties of types {types}: expected NotSupportedException, got {exception?.GetType().Name ?? "no exception"}.");
        Assert.False(await Store.CollectionExistsAsync(name));
    }

    private static void AssertNamesVector(Exception? exception)
    {
        Assert.True(
            exception is ArgumentException or VectorStoreException,
            $"Expected ArgumentException or VectorStoreException; got {exception?.GetType().Name ?? "no exception"}.");
        Assert.Contains("Vector", exception!.Message, StringComparison.Ordinal);
    }
}
