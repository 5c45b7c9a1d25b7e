using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Unusual but legal record shapes: only a key and a vector; only a key and data (where the store supports
/// collections without vectors); CLR properties left out of the definition, which the store must ignore.
/// </summary>
public abstract class ModelShapeConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    [ConformanceFact]
    public async Task KeyAndVectorOnly_RoundTripsAndSearches()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("shape", Definition(withData: false, withVector: true));
        ConformanceRecord<TKey>[] records =
        [
            new() { Key = NewKey(), Vector = new([1, 0, 0]) },
            new() { Key = NewKey(), Vector = new([0, 1, 0]) },
        ];

        await collection.UpsertAsync(records);
        var received = await collection.GetAsync(records[1].Key, new() { IncludeVectors = true });
        var nearest = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 1, 0]), top: 1).SingleAsync();

        Assert.NotNull(received);
        Assert.Equal([0f, 1, 0], received.Vector.ToArray());
        Assert.Equal(records[1].Key, nearest.Record.Key);
    }

    [ConformanceFact]
    public async Task PropertiesMissingFromTheDefinition_AreNotStored()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("shape", Definition(withData: false, withVector: true));
        var record = new ConformanceRecord<TKey> { Key = NewKey(), Text = "not mapped", Number = 42, Vector = new([1, 0, 0]) };

        await collection.UpsertAsync(record);
        var received = await collection.GetAsync(record.Key);

        Assert.NotNull(received);
        Assert.Null(received.Text);
        Assert.Equal(0, received.Number);
    }

    [ConformanceFact]
    public async Task KeyAndDataOnly_WorksWhereSupportedAndIsRejectedElsewhere()
    {
        var definition = Definition(withData: true, withVector: false);
        if (!TestStore.SupportsCollectionsWithoutVectors)
        {
            var name = NewCollectionName("shape");
            await Assert.ThrowsAsync<NotSupportedException>(
                () => Store.GetCollection<TKey, ConformanceRecord<TKey>>(name, definition).EnsureCollectionExistsAsync());
            Assert.False(await Store.CollectionExistsAsync(name));
            return;
        }

        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("shape", definition);
        ConformanceRecord<TKey>[] records =
        [
            new() { Key = NewKey(), Text = "one", Number = 1 },
            new() { Key = NewKey(), Text = "two", Number = 2 },
        ];

        await collection.UpsertAsync(records);
        var received = await collection.GetAsync(records[0].Key, new() { IncludeVectors = true });
        var filtered = await collection.GetAsync(r => r.Number == 2, All).SingleAsync();
        await collection.DeleteAsync(records[0].Key);

        Assert.Equal("one", received?.Text);
        Assert.Equal(records[1].Key, filtered.Key);
        Assert.Null(await collection.GetAsync(records[0].Key));
        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await collection.SearchAsync(new ReadOnlyMemory<float>([1, 0, 0]), top: 1).ToListAsync());
    }

    private static VectorStoreCollectionDefinition Definition(bool withData, bool withVector)
    {
        List<VectorStoreProperty> properties = [new VectorStoreKeyProperty(nameof(ConformanceRecord<TKey>.Key), typeof(TKey))];
        if (withData)
        {
            properties.Add(new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Text), typeof(string)) { IsIndexed = true });
            properties.Add(new VectorStoreDataProperty(nameof(ConformanceRecord<TKey>.Number), typeof(int)) { IsIndexed = true });
        }

        if (withVector)
        {
            properties.Add(new VectorStoreVectorProperty(nameof(ConformanceRecord<TKey>.Vector), typeof(ReadOnlyMemory<float>), 3));
        }

        return new() { Properties = properties };
    }
}
