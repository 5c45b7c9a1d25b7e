using AiAllin.SK.Testing.Conditional;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Every filter shape the MEVD conformance suite uses, each checked four ways (typed and dynamic collection, through
/// <c>GetAsync(filter)</c> and <c>SearchAsync</c> with a filter) against LINQ to Objects over the same records;
/// plus <c>GetAsync(filter)</c> with Top, Skip and OrderBy.
/// </summary>
public abstract class FilterConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    /// <summary>Quotes, backslashes, wildcards and operator-like text that a translator must treat as plain data.</summary>
    protected const string SpecialText = "it's \"quoted\" \\ 100% _x_ {$gt: 1} ; -- é";

    private static readonly Guid GuidA = new("0b7c4f2e-1d3a-4e5b-8c6d-7e8f9a0b1c2d");
    private static readonly Guid GuidB = new("f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9");
    private static readonly DateTimeOffset Jan2024 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly int _memberField = 9;
    private readonly Holder _holder = new();

    #region Equality

    [ConformanceFact]
    public Task Equal_Int() => AssertFilterAsync(r => r.Count == 9);

    [ConformanceFact]
    public Task Equal_Int_ConstantOnLeft() => AssertFilterAsync(r => 9 == r.Count);

    [ConformanceFact]
    public Task Equal_Long() => AssertFilterAsync(r => r.Views == 3_000_000_000_000L);

    [ConformanceFact]
    public Task Equal_Double() => AssertFilterAsync(r => r.Price == 2.5);

    [ConformanceFact]
    public Task Equal_String() => AssertFilterAsync(r => r.Name == "foo");

    [ConformanceFact]
    public Task Equal_String_IsNotSubstringMatch() => AssertFilterAsync(r => r.Name == "fo", expectNone: true);

    [ConformanceFact]
    public Task Equal_String_WithSpecialCharacters() => AssertFilterAsync(r => r.Name == SpecialText);

    [ConformanceFact]
    public Task Equal_String_WithInjectionAttempt_MatchesNothing()
    {
        var injection = "foo' OR '1'='1";
        return AssertFilterAsync(r => r.Name == injection, expectNone: true);
    }

    [ConformanceFact]
    public Task Equal_Guid() => AssertFilterAsync(r => r.Reference == GuidA);

    [ConformanceFact]
    public Task Equal_DateTimeOffset() => AssertFilterAsync(r => r.Published == Jan2024);

    [ConformanceFact]
    public Task Equal_NullString() => AssertFilterAsync(r => r.Name == null);

    [ConformanceFact]
    public Task Equal_CapturedNullString()
    {
        string? name = null;
        return AssertFilterAsync(r => r.Name == name);
    }

    [ConformanceFact]
    public Task Equal_NullNullableInt() => AssertFilterAsync(r => r.Rank == null);

    [ConformanceFact]
    public Task Equal_NullableInt() => AssertFilterAsync(r => r.Rank == 3);

    [ConformanceFact]
    public Task Equal_IntWithCapturedNonNullNullable()
    {
        int? count = 9;
        return AssertFilterAsync(r => r.Count == count);
    }

    [ConformanceFact]
    public Task Equal_IntWithCapturedNullNullable_MatchesNothing()
    {
        int? count = null;
        return AssertFilterAsync(r => r.Count == count, expectNone: true);
    }

    [ConformanceFact]
    public Task NotEqual_Int() => AssertFilterAsync(r => r.Count != 9);

    [ConformanceFact]
    public Task NotEqual_String_KeepsNulls() => AssertFilterAsync(r => r.Name != "foo");

    [ConformanceFact]
    public Task NotEqual_NullString() => AssertFilterAsync(r => r.Name != null);

    [ConformanceFact]
    public Task NotEqual_NullNullableInt() => AssertFilterAsync(r => r.Rank != null);

    [ConformanceFact]
    public Task NotEqual_Guid() => AssertFilterAsync(r => r.Reference != GuidA);

    [ConformanceFact]
    public Task Bool_Member() => AssertFilterAsync(r => r.Active);

    [ConformanceFact]
    public Task Bool_EqualFalse() => AssertFilterAsync(r => r.Active == false);

    #endregion

    #region Comparison

    [ConformanceFact]
    public Task GreaterThan_Int() => AssertFilterAsync(r => r.Count > 9);

    [ConformanceFact]
    public Task GreaterThanOrEqual_Int() => AssertFilterAsync(r => r.Count >= 9);

    [ConformanceFact]
    public Task LessThan_Int() => AssertFilterAsync(r => r.Count < 10);

    [ConformanceFact]
    public Task LessThanOrEqual_Int() => AssertFilterAsync(r => r.Count <= 10);

    [ConformanceFact]
    public Task GreaterThan_Long_BeyondIntRange() => AssertFilterAsync(r => r.Views > 2_500_000_000_000L);

    [ConformanceFact]
    public Task LessThanOrEqual_Long_Negative() => AssertFilterAsync(r => r.Views <= 5);

    [ConformanceFact]
    public Task GreaterThan_Double() => AssertFilterAsync(r => r.Price > 2.5);

    [ConformanceFact]
    public Task LessThan_Double_Negative() => AssertFilterAsync(r => r.Price < 0);

    [ConformanceFact]
    public Task GreaterThanOrEqual_DateTimeOffset() => AssertFilterAsync(r => r.Published >= Jan2024);

    [ConformanceFact]
    public Task LessThan_DateTimeOffset() => AssertFilterAsync(r => r.Published < Jan2024);

    [ConformanceFact]
    public Task GreaterThan_NullableInt() => AssertFilterAsync(r => r.Rank > 2);

    #endregion

    #region Logical operators

    [ConformanceFact]
    public Task And() => AssertFilterAsync(r => r.Count == 9 && r.Name == "foo");

    [ConformanceFact]
    public Task Or() => AssertFilterAsync(r => r.Count == 8 || r.Name == "foo");

    [ConformanceFact]
    public Task And_WithinOr() => AssertFilterAsync(r => (r.Count == 8 && r.Name == "foo") || r.Price > 5);

    [ConformanceFact]
    public Task Or_WithinAnd() => AssertFilterAsync(r => (r.Count == 8 || r.Count == 9) && r.Name == "foo");

    [ConformanceFact]
    public Task Not_OverEqual() => AssertFilterAsync(r => !(r.Count == 9));

    [ConformanceFact]
    public Task Not_OverAnd() => AssertFilterAsync(r => !(r.Count == 9 && r.Name == "foo"));

    [ConformanceFact]
    public Task Not_OverOr() => AssertFilterAsync(r => !(r.Count == 8 || r.Name == "foo"));

    [ConformanceFact]
    public Task Not_OverBool() => AssertFilterAsync(r => !r.Active);

    [ConformanceFact]
    public Task Not_OverBoolAndComparison() => AssertFilterAsync(r => !r.Active && r.Count != 12);

    [ConformanceFact]
    public Task Bool_OrNotBool_MatchesAll() => AssertFilterAsync(r => r.Active || !r.Active, expectAll: true);

    [ConformanceFact]
    public Task True_MatchesAll() => AssertFilterAsync(_ => true, expectAll: true);

    #endregion

    #region Contains

    [ConformanceFact]
    public Task Contains_OverStringArrayProperty() => AssertFilterAsync(r => r.Tags.Contains("x"));

    [ConformanceFact]
    public Task Contains_OverStringListProperty() => AssertFilterAsync(r => r.Labels.Contains("x"));

    [ConformanceFact]
    public Task Contains_EnumerableContainsOverArrayProperty() => AssertFilterAsync(r => Enumerable.Contains(r.Tags, "z"));

    [ConformanceFact]
    public Task Contains_PropertyInInlineIntArray() => AssertFilterAsync(r => new[] { 8, 10 }.Contains(r.Count));

    [ConformanceFact]
    public Task Contains_PropertyInCapturedStringArray()
    {
        var names = new[] { "foo", "baz", "missing" };
        return AssertFilterAsync(r => names.Contains(r.Name));
    }

    [ConformanceFact]
    public Task Contains_PropertyInCapturedStringList()
    {
        var names = new List<string> { "bar", SpecialText };
        return AssertFilterAsync(r => names.Contains(r.Name!));
    }

    [ConformanceFact]
    public Task Contains_PropertyInCapturedArrayWithQuotesAndCommas()
    {
        var names = new[] { "foo", "un  , ' \"", "b'ar" };
        return AssertFilterAsync(r => names.Contains(r.Name));
    }

    [ConformanceFact]
    public Task Contains_PropertyInCapturedLongList()
    {
        var views = new List<long> { 5, 3_000_000_000_000L };
        return AssertFilterAsync(r => views.Contains(r.Views));
    }

    #endregion

    #region Captured values

    [ConformanceFact]
    public Task Captured_LocalVariable()
    {
        var count = 10;
        return AssertFilterAsync(r => r.Count == count);
    }

    [ConformanceFact]
    public Task Captured_MemberField() => AssertFilterAsync(r => r.Count == _memberField);

    [ConformanceFact]
    public Task Captured_NestedMember() => AssertFilterAsync(r => r.Count == _holder.Value);

    #endregion

    #region Filters that cannot be translated

    [ConformanceFact]
    public async Task Filter_UnknownDynamicProperty_ThrowsInvalidOperation()
    {
        var (collection, _) = await SeedAsync();
        var dynamic = Store.GetDynamicCollection(collection.Name, Definition());

        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await dynamic.GetAsync(r => (string?)r["Name = 'x'; DROP TABLE t; --"] == "x", All).ToListAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await dynamic.SearchAsync(new ReadOnlyMemory<float>([1, 1, 1]), All, new() { Filter = r => (int)r["Missing"]! == 1 }).ToListAsync());
    }

    [ConformanceFact]
    public async Task Filter_ValueOfNullCapturedNullable_ThrowsInvalidOperation()
    {
        var (collection, _) = await SeedAsync();
        int? count = null;

        var exception = await Record.ExceptionAsync(async () => await collection.GetAsync(r => r.Count == count!.Value, All).ToListAsync());

        Assert.True(
            exception is InvalidOperationException or VectorStoreException { InnerException: InvalidOperationException },
            $"Expected InvalidOperationException (possibly inside a VectorStoreException); got {exception?.GetType().Name ?? "no exception"}.");
    }

    #endregion

    #region GetAsync with Top, Skip and OrderBy

    [ConformanceFact]
    public async Task Get_WithTop_ReturnsAtMostTop()
    {
        var (collection, data) = await SeedAsync();

        var results = await collection.GetAsync(r => r.Count >= 9, top: 2).ToListAsync();

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Count >= 9));
        Assert.Equal(2, results.Select(r => r.Key).Distinct().Count());
        Assert.True(data.Count(r => r.Count >= 9) > 2);
    }

    [ConformanceFact]
    public async Task Get_OrderByAscendingWithSkipAndTop_ReturnsThatPage()
    {
        var (collection, data) = await SeedAsync();

        var results = await collection.GetAsync(
            r => r.Count > 8,
            top: 2,
            new() { OrderBy = o => o.Ascending(r => r.Price), Skip = 1 }).ToListAsync();

        var expected = data.Where(r => r.Count > 8).OrderBy(r => r.Price).Skip(1).Take(2).Select(r => r.Key);
        Assert.Equal(expected, results.Select(r => r.Key));
    }

    [ConformanceFact]
    public async Task Get_OrderByDescending_ReturnsHighestFirst()
    {
        var (collection, data) = await SeedAsync();

        var results = await collection.GetAsync(
            _ => true,
            top: 3,
            new() { OrderBy = o => o.Descending(r => r.Views) }).ToListAsync();

        Assert.Equal(data.OrderByDescending(r => r.Views).Take(3).Select(r => r.Key), results.Select(r => r.Key));
    }

    [ConformanceFact]
    public async Task Get_OrderByThenBy_BreaksTiesBySecondKey()
    {
        var (collection, data) = await SeedAsync();

        var thenDescending = await collection.GetAsync(
            r => r.Name != null,
            top: All,
            new() { OrderBy = o => o.Ascending(r => r.Count).Descending(r => r.Price) }).ToListAsync();
        var thenAscending = await collection.GetAsync(
            r => r.Name != null,
            top: All,
            new() { OrderBy = o => o.Ascending(r => r.Count).Ascending(r => r.Price) }).ToListAsync();

        var withName = data.Where(r => r.Name != null).ToList();
        Assert.Equal(withName.OrderBy(r => r.Count).ThenByDescending(r => r.Price).Select(r => r.Key), thenDescending.Select(r => r.Key));
        Assert.Equal(withName.OrderBy(r => r.Count).ThenBy(r => r.Price).Select(r => r.Key), thenAscending.Select(r => r.Key));
    }

    [ConformanceFact]
    public async Task Get_OrderByString_SortsOrdinally()
    {
        var (collection, data) = await SeedAsync();

        var results = await collection.GetAsync(
            r => r.Name != null && r.Name != SpecialText,
            top: All,
            new() { OrderBy = o => o.Descending(r => r.Name).Ascending(r => r.Count) }).ToListAsync();

        var expected = data.Where(r => r.Name != null && r.Name != SpecialText)
            .OrderByDescending(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Count).Select(r => r.Key);
        Assert.Equal(expected, results.Select(r => r.Key));
    }

    [ConformanceFact]
    public async Task Get_SkipPastEnd_ReturnsEmpty()
    {
        var (collection, data) = await SeedAsync();

        var results = await collection.GetAsync(
            _ => true,
            top: 5,
            new() { OrderBy = o => o.Ascending(r => r.Count), Skip = data.Count }).ToListAsync();

        Assert.Empty(results);
    }

    [ConformanceFact]
    public async Task Get_Dynamic_OrderByWithSkip_ReturnsThatPage()
    {
        var (collection, data) = await SeedAsync();
        var dynamic = Store.GetDynamicCollection(collection.Name, Definition());

        var results = await dynamic.GetAsync(
            r => (int)r[nameof(FilterRecord<TKey>.Count)]! > 8,
            top: 3,
            new() { OrderBy = o => o.Descending(r => r[nameof(FilterRecord<TKey>.Views)]), Skip = 1 }).ToListAsync();

        var expected = data.Where(r => r.Count > 8).OrderByDescending(r => r.Views).Skip(1).Take(3).Select(r => (object)r.Key);
        Assert.Equal(expected, results.Select(r => r[nameof(FilterRecord<TKey>.Key)]));
    }

    [ConformanceFact]
    public async Task Get_WithIncludeVectors_ReturnsVectorsOnlyWhenAsked()
    {
        var (collection, data) = await SeedAsync();

        var without = await collection.GetAsync(r => r.Count == 8, top: All).SingleAsync();
        var with = await collection.GetAsync(r => r.Count == 8, top: All, new() { IncludeVectors = true }).SingleAsync();

        Assert.Equal(0, without.Vector.Length);
        Assert.Equal(data.Single(r => r.Count == 8).Vector.ToArray(), with.Vector.ToArray());
    }

    #endregion

    /// <summary>The definition of <see cref="FilterRecord{TKey}"/> with every data property indexed.</summary>
    protected static VectorStoreCollectionDefinition Definition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(FilterRecord<TKey>.Key), typeof(TKey)),
            new VectorStoreVectorProperty(nameof(FilterRecord<TKey>.Vector), typeof(ReadOnlyMemory<float>), 3),
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Count), typeof(int)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Views), typeof(long)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Price), typeof(double)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Name), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Active), typeof(bool)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Reference), typeof(Guid)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Published), typeof(DateTimeOffset)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Rank), typeof(int?)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Tags), typeof(string[])) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(FilterRecord<TKey>.Labels), typeof(List<string>)) { IsIndexed = true },
        ],
    };

    /// <summary>
    /// Checks that <paramref name="filter"/> selects exactly the records LINQ to Objects selects, on the typed and the
    /// dynamic collection, through both GetAsync and SearchAsync. Guards against filters that select nothing or
    /// everything by accident, since such a test proves little.
    /// </summary>
    protected async Task AssertFilterAsync(Expression<Func<FilterRecord<TKey>, bool>> filter, bool expectNone = false, bool expectAll = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (collection, data) = await SeedAsync();
        var expected = data.Where(filter.Compile()).Select(r => r.Key).OrderBy(k => k).ToList();
        Assert.True(expectNone == (expected.Count == 0), $"The filter selects {expected.Count} of the test records; expectNone is {expectNone}.");
        Assert.True(expectAll == (expected.Count == data.Count), $"The filter selects {expected.Count} of {data.Count} test records; expectAll is {expectAll}.");

        var query = new ReadOnlyMemory<float>([1, 1, 1]);
        var got = await collection.GetAsync(filter, All).Select(r => r.Key).ToListAsync();
        Assert.True(expected.SequenceEqual(got.Order()), $"GetAsync(filter) on the typed collection returned [{string.Join(", ", got.Order())}]; expected [{string.Join(", ", expected)}].");

        var searched = await collection.SearchAsync(query, All, new() { Filter = filter }).Select(r => r.Record.Key).ToListAsync();
        Assert.True(expected.SequenceEqual(searched.Order()), $"SearchAsync with the filter on the typed collection returned [{string.Join(", ", searched.Order())}]; expected [{string.Join(", ", expected)}].");

        var dynamicFilter = DynamicFilter.From(filter);
        var dynamic = Store.GetDynamicCollection(collection.Name, Definition());
        var dynamicGot = await dynamic.GetAsync(dynamicFilter, All).Select(r => (TKey)r[nameof(FilterRecord<TKey>.Key)]!).ToListAsync();
        Assert.True(expected.SequenceEqual(dynamicGot.Order()), $"GetAsync(filter) on the dynamic collection returned [{string.Join(", ", dynamicGot.Order())}]; expected [{string.Join(", ", expected)}].");

        var dynamicSearched = await dynamic.SearchAsync(query, All, new() { Filter = dynamicFilter })
            .Select(r => (TKey)r.Record[nameof(FilterRecord<TKey>.Key)]!).ToListAsync();
        Assert.True(expected.SequenceEqual(dynamicSearched.Order()), $"SearchAsync with the filter on the dynamic collection returned [{string.Join(", ", dynamicSearched.Order())}]; expected [{string.Join(", ", expected)}].");
    }

    private async Task<(VectorStoreCollection<TKey, FilterRecord<TKey>> Collection, List<FilterRecord<TKey>> Data)> SeedAsync()
    {
        var collection = await CreateCollectionAsync<FilterRecord<TKey>>("filter", Definition());
        List<FilterRecord<TKey>> data =
        [
            Make(8, 1_000_000_000_000L, 1.5, "foo", true, GuidA, Jan2024, 1, ["x", "y"], [1, 0, 0]),
            Make(9, 2_000_000_000_000L, 2.5, "bar", false, GuidB, Jan2024.AddMonths(5), null, ["a", "b"], [0, 1, 0]),
            Make(9, 3_000_000_000_000L, -0.5, "foo", true, Guid.Empty, Jan2024.AddYears(1), 3, ["x"], [0, 0, 1]),
            Make(10, -4, 10.25, null, false, GuidA, Jan2024.AddDays(-1), null, ["x", "y", "z"], [1, 1, 0]),
            Make(11, 5, 3.75, SpecialText, true, GuidB, Jan2024.AddDays(74), 5, ["y", "z"], [0, 1, 1]),
            Make(12, 6_000_000_000_000L, 0, "baz", false, Guid.Empty, Jan2024.AddYears(2), 6, [], [1, 0, 1]),
        ];
        await collection.UpsertAsync(data);
        return (collection, data);
    }

    private FilterRecord<TKey> Make(
        int count, long views, double price, string? name, bool active, Guid reference, DateTimeOffset published, int? rank, string[] tags, float[] vector)
        => new()
        {
            Key = NewKey(),
            Count = count,
            Views = views,
            Price = price,
            Name = name,
            Active = active,
            Reference = reference,
            Published = published,
            Rank = rank,
            Tags = tags,
            Labels = [.. tags],
            Vector = new(vector),
        };

    private sealed class Holder
    {
        public int Value { get; } = 11;
    }
}
