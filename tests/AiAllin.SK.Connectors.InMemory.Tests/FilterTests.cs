using System.Linq.Expressions;

namespace AiAllin.SK.Connectors.InMemory.Tests;

public sealed class FilterTests
{
    private static readonly string[] s_names = ["apple", "pear", "plum"];

    public static TheoryData<string> Filters => [.. Cases().Keys];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task GetAndSearch_WithFilter_MatchLinqToObjects(string name)
    {
        var filter = Cases()[name];
        var seed = Seed();
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(seed);
        var expected = seed.Where(filter.Compile()).Select(p => p.Id).Order().ToList();

        var got = await collection.GetAsync(filter, 100).Select(p => p.Id).ToListAsync();
        var found = await collection.SearchAsync(new ReadOnlyMemory<float>([1, 1, 1]), 100, new() { Filter = filter }).Select(r => r.Record.Id).ToListAsync();

        Assert.NotEmpty(expected);
        Assert.NotEqual(seed.Count, expected.Count);
        Assert.Equal(expected, got.Order());
        Assert.Equal(expected, found.Order());
    }

    [Fact]
    public async Task Filter_WithAnUnsupportedMethod_ThrowsNotSupported()
    {
        var collection = await Stores.ProductsAsync();
        await collection.UpsertAsync(Seed());

        await Assert.ThrowsAsync<NotSupportedException>(
            () => collection.GetAsync(p => p.Name!.StartsWith('a'), 10).ToListAsync().AsTask());
    }

    [Fact]
    public async Task Equality_OnAListProperty_ComparesElementsBecauseStoredListsAreCopies()
    {
        var collection = await Stores.ProductsAsync();
        var seed = Seed();
        await collection.UpsertAsync(seed);
        var tags = seed[0].Tags;

        var found = await collection.GetAsync(p => p.Tags == tags, 100).Select(p => p.Id).ToListAsync();

        Assert.Equal(seed.Where(p => p.Tags.SequenceEqual(tags)).Select(p => p.Id).Order(), found.Order());
        Assert.Equal(5, found.Count);
    }

    [Fact]
    public async Task Filters_OverEnumsNullableEnumsAndDates_MatchLinqToObjects()
    {
        var collection = new InMemoryVectorStore().GetCollection<long, Ticket>("tickets");
        await collection.EnsureCollectionExistsAsync();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var tickets = Enumerable.Range(0, 12).Select(i => new Ticket
        {
            Id = i,
            Priority = (Priority)(i % 3),
            Escalation = i % 4 == 0 ? null : (Priority)(i % 2),
            Opened = start.AddDays(i),
            Vector = new([1, i]),
        }).ToList();
        await collection.UpsertAsync(tickets);
        var cutoff = start.AddDays(5);
        Expression<Func<Ticket, bool>>[] filters =
        [
            t => t.Priority == Priority.High,
            t => t.Priority >= Priority.Normal,
            t => t.Escalation == Priority.Normal,
            t => t.Escalation == null,
            t => t.Opened > cutoff,
            t => t.Opened <= new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero),
        ];

        foreach (var filter in filters)
        {
            var expected = tickets.Where(filter.Compile()).Select(t => t.Id).Order().ToList();
            var found = await collection.GetAsync(filter, 100).Select(t => t.Id).ToListAsync();

            Assert.NotEmpty(expected);
            Assert.Equal(expected, found.Order());
        }
    }

    private static List<Product> Seed()
        => [.. Enumerable.Range(0, 20).Select(i => new Product
        {
            Id = $"p{i:00}",
            Name = i % 5 == 0 ? null : s_names[i % 3],
            Price = i,
            InStock = i % 2 == 0,
            Tags = i % 4 == 0 ? ["sale", "new"] : ["new"],
            Embedding = new float[] { 1, i, 20 - i },
        })];

    private static Dictionary<string, Expression<Func<Product, bool>>> Cases()
    {
        var price = 7;
        var ids = new[] { "p01", "p03", "p19", "nope" };
        var idList = new List<string> { "p02", "p04" };
        string? nullName = null;
        int? nullablePrice = 8;
        var wanted = new[] { "sale", "unknown" };
        return new()
        {
            ["equal"] = p => p.Price == 3,
            ["equal-reversed"] = p => 3 == p.Price,
            ["not-equal"] = p => p.Price != 3,
            ["less"] = p => p.Price < 5,
            ["less-or-equal"] = p => p.Price <= 5,
            ["greater"] = p => p.Price > 15,
            ["greater-or-equal"] = p => p.Price >= 15,
            ["captured"] = p => p.Price == price,
            ["nullable-captured"] = p => p.Price == nullablePrice,
            ["string"] = p => p.Name == "pear",
            ["null"] = p => p.Name == null,
            ["not-null"] = p => p.Name != null,
            ["captured-null"] = p => p.Name == nullName,
            ["bool"] = p => p.InStock,
            ["not-bool"] = p => !p.InStock,
            ["and"] = p => p.InStock && p.Price > 10,
            ["or"] = p => p.Price < 2 || p.Name == "plum",
            ["not-and"] = p => !(p.Price > 3 && p.InStock),
            ["nested"] = p => (p.Price > 3 && p.Price < 12) || (p.Name == "apple" && !p.InStock),
            ["tags-contains"] = p => p.Tags.Contains("sale"),
            ["key-in-array"] = p => ids.Contains(p.Id),
            ["key-in-list"] = p => idList.Contains(p.Id),
            ["inline-array"] = p => new[] { 2, 9, 11 }.Contains(p.Price),
            ["tags-any-in"] = p => p.Tags.Any(t => wanted.Contains(t)),
        };
    }
}
