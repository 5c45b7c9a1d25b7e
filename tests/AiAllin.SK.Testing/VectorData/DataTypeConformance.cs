using AiAllin.SK.Testing.Conditional;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Each data property type MEVD providers commonly support: the value round-trips through typed and dynamic
/// collections, equality filters find it, and nulls round-trip and filter where the type allows them. A type the store
/// lists in <see cref="IVectorStoreTestStore.UnsupportedDataTypes"/> must be rejected when the collection is created
/// (<see cref="NotSupportedException"/>), never stored wrongly.
/// </summary>
public abstract class DataTypeConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    [ConformanceFact]
    public Task Bool_RoundTripsAndFilters() => AssertRoundTripAsync(true, false);

    [ConformanceFact]
    public Task Short_RoundTripsAndFilters() => AssertRoundTripAsync<short>(-8, 9);

    [ConformanceFact]
    public Task Int_RoundTripsAndFilters() => AssertRoundTripAsync(int.MinValue, 9);

    [ConformanceFact]
    public Task Long_RoundTripsAndFilters() => AssertRoundTripAsync(long.MaxValue, -9L);

    [ConformanceFact]
    public Task Float_RoundTripsAndFilters() => AssertRoundTripAsync(8.5f, -9.25f);

    [ConformanceFact]
    public Task Double_RoundTripsAndFilters() => AssertRoundTripAsync(8.125, -1e300);

    [ConformanceFact]
    public Task Decimal_RoundTripsAndFilters() => AssertRoundTripAsync(1234567.891m, -0.5m);

    [ConformanceFact]
    public Task String_RoundTripsAndFilters() => AssertRoundTripAsync("héllo \"wörld\" 'x' \\ \u263A", string.Empty);

    [ConformanceFact]
    public Task Guid_RoundTripsAndFilters() => AssertRoundTripAsync(new Guid("4f1c2b3a-5d6e-4f70-8192-a3b4c5d6e7f8"), new Guid("00000000-0000-0000-0000-000000000001"));

    [ConformanceFact]
    public Task DateTime_RoundTripsAndFilters() => AssertRoundTripAsync(
        new DateTime(2024, 2, 29, 13, 45, 59, 123, DateTimeKind.Utc), new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc));

    [ConformanceFact]
    public Task DateTimeOffset_RoundTripsAndFilters() => AssertRoundTripAsync(
        new DateTimeOffset(2024, 2, 29, 13, 45, 59, 123, TimeSpan.Zero), new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero));

    [ConformanceFact]
    public Task DateOnly_RoundTripsAndFilters() => AssertRoundTripAsync(new DateOnly(2024, 2, 29), new DateOnly(1999, 12, 31));

    [ConformanceFact]
    public Task TimeOnly_RoundTripsAndFilters() => AssertRoundTripAsync(new TimeOnly(13, 45, 59), new TimeOnly(0, 0, 1));

    [ConformanceFact]
    public Task NullableInt_RoundTripsAndFilters() => AssertRoundTripAsync<int?>(8, 9);

    [ConformanceFact]
    public Task NullableDouble_RoundTripsAndFilters() => AssertRoundTripAsync<double?>(0.5, 9);

    [ConformanceFact]
    public Task StringArray_RoundTrips() => AssertRoundTripAsync<string[]>(["a", "b, c", "d'e"], [], filterable: false);

    [ConformanceFact]
    public Task StringList_RoundTrips() => AssertRoundTripAsync<List<string>>(["a", "b"], ["c"], filterable: false);

    [ConformanceFact]
    public Task IntArray_RoundTrips() => AssertRoundTripAsync<int[]>([1, -2, 3], [4], filterable: false);

    private async Task AssertRoundTripAsync<TValue>(TValue main, TValue other, bool filterable = true)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(ValueRecord<TKey, TValue>.Key), typeof(TKey)),
                new VectorStoreDataProperty(nameof(ValueRecord<TKey, TValue>.Value), typeof(TValue)) { IsIndexed = filterable },
                new VectorStoreVectorProperty(nameof(ValueRecord<TKey, TValue>.Vector), typeof(ReadOnlyMemory<float>), 2),
            ],
        };

        var name = NewCollectionName("types");
        if (TestStore.UnsupportedDataTypes.Contains(typeof(TValue)))
        {
            // Honest refusal of the type, and nothing half-created.
            await Assert.ThrowsAsync<NotSupportedException>(
                () => Store.GetCollection<TKey, ValueRecord<TKey, TValue>>(name, definition).EnsureCollectionExistsAsync());
            Assert.False(await Store.CollectionExistsAsync(name));
            return;
        }

        var collection = Store.GetCollection<TKey, ValueRecord<TKey, TValue>>(name, definition);
        await collection.EnsureCollectionExistsAsync();

        var nullable = default(TValue) is null;
        List<ValueRecord<TKey, TValue>> records =
        [
            new() { Key = NewKey(), Value = main, Vector = new([1, 0]) },
            new() { Key = NewKey(), Value = other, Vector = new([0, 1]) },
        ];
        if (nullable)
        {
            records.Add(new() { Key = NewKey(), Value = default!, Vector = new([1, 1]) });
        }

        await collection.UpsertAsync(records);

        foreach (var record in records)
        {
            var received = await collection.GetAsync(record.Key);
            Assert.NotNull(received);
            Assert.Equal(record.Value, received.Value);
        }

        var dynamic = Store.GetDynamicCollection(name, definition);
        var dynamicMain = await dynamic.GetAsync(records[0].Key);
        Assert.NotNull(dynamicMain);
        Assert.Equal(main, Assert.IsAssignableFrom<TValue>(dynamicMain[nameof(ValueRecord<TKey, TValue>.Value)]));

        if (!filterable)
        {
            return;
        }

        var byMain = EqualsFilter<TValue>(main);
        Assert.Equal(records[0].Key, (await collection.GetAsync(byMain, All).SingleAsync()).Key);
        Assert.Equal(records[0].Key, (await collection.SearchAsync(new ReadOnlyMemory<float>([0, 1]), All, new() { Filter = byMain }).SingleAsync()).Record.Key);
        Assert.Equal(records[0].Key, (await dynamic.GetAsync(DynamicFilter.From(byMain), All).SingleAsync())[nameof(ValueRecord<TKey, TValue>.Key)]);

        if (nullable)
        {
            var byNull = EqualsFilter<TValue>(default);
            Assert.Equal(records[2].Key, (await collection.GetAsync(byNull, All).SingleAsync()).Key);
            Assert.Equal(records[2].Key, (await dynamic.GetAsync(DynamicFilter.From(byNull), All).SingleAsync())[nameof(ValueRecord<TKey, TValue>.Key)]);
        }
    }

    // r => r.Value == value, built by hand because == is not defined over an unconstrained TValue.
    private static Expression<Func<ValueRecord<TKey, TValue>, bool>> EqualsFilter<TValue>(TValue? value)
    {
        var record = Expression.Parameter(typeof(ValueRecord<TKey, TValue>), "r");
        return Expression.Lambda<Func<ValueRecord<TKey, TValue>, bool>>(
            Expression.Equal(Expression.Property(record, nameof(ValueRecord<TKey, TValue>.Value)), Expression.Constant(value, typeof(TValue))),
            record);
    }
}
