using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class EnumTests
{
    public enum Color : byte
    {
        Red = 1,
        Green = 2,
        Blue = 200,
    }

    public enum Priority
    {
        Low = -1,
        Normal = 0,
        High = 5,
    }

    public enum Size : long
    {
        Small = 1,
        Huge = 5_000_000_000,
    }

    public enum Counter : ulong
    {
        Overflowing = ulong.MaxValue,
    }

    [PostgresFact]
    public async Task Upsert_ThenGet_RoundTripsEnumsStoredAsTheirIntegers()
    {
        await using var fixture = await PostgresFixture.CreateAsync("enums");
        var collection = await TasksAsync(fixture);
        await collection.UpsertAsync(new TaskItem { Id = 1, Color = Color.Blue, Priority = Priority.Low, Size = Size.Huge });

        var stored = await collection.GetAsync(1);

        Assert.Equal(Color.Blue, stored!.Color);
        Assert.Equal(Priority.Low, stored.Priority);
        Assert.Equal(Size.Huge, stored.Size);
        Assert.Equal(200, await fixture.Server.ScalarAsync<short>($"SELECT \"Color\" FROM \"{fixture.Schema}\".tasks"));
        Assert.Equal(5_000_000_000L, await fixture.Server.ScalarAsync<long>($"SELECT \"Size\" FROM \"{fixture.Schema}\".tasks"));
        Assert.Equal("smallint,integer,bigint", await fixture.Server.ScalarAsync<string>(
            $"SELECT string_agg(data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns " +
            $"WHERE table_schema = '{fixture.Schema}' AND table_name = 'tasks' AND column_name IN ('Color', 'Priority', 'Size')"));
    }

    [PostgresFact]
    public async Task Filters_WithEnumConstantsAndCapturedValues_MatchLikeLinq()
    {
        await using var fixture = await PostgresFixture.CreateAsync("enums");
        var collection = await TasksAsync(fixture);
        TaskItem[] items =
        [
            new() { Id = 1, Color = Color.Red, Priority = Priority.Low, Size = Size.Small },
            new() { Id = 2, Color = Color.Green, Priority = Priority.High, Size = Size.Huge },
            new() { Id = 3, Color = Color.Blue, Priority = null, Size = Size.Small },
            new() { Id = 4, Color = Color.Blue, Priority = Priority.Normal, Size = Size.Huge },
        ];
        await collection.UpsertAsync(items);
        var wantedColor = Color.Blue;
        Priority? wantedPriority = Priority.High;
        var sizes = new[] { Size.Huge };
        var colors = new List<Color> { Color.Red, Color.Green };

        async Task AssertMatches(System.Linq.Expressions.Expression<Func<TaskItem, bool>> filter)
        {
            var expected = items.Where(filter.Compile()).Select(i => i.Id).Order().ToArray();
            var actual = (await collection.GetAsync(filter, 10).ToListAsync()).Select(i => i.Id).Order().ToArray();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }

        await AssertMatches(t => t.Color == Color.Blue);
        await AssertMatches(t => t.Color == wantedColor);
        await AssertMatches(t => t.Color != Color.Blue);
        await AssertMatches(t => t.Color > Color.Red && t.Color < Color.Blue);
        await AssertMatches(t => t.Priority == wantedPriority);
        await AssertMatches(t => t.Priority == Priority.Low);
        await AssertMatches(t => t.Priority != Priority.Low);
        await AssertMatches(t => t.Priority == null);
        await AssertMatches(t => t.Size == Size.Huge && t.Color == Color.Blue);
        await AssertMatches(t => sizes.Contains(t.Size));
        await AssertMatches(t => colors.Contains(t.Color));
        await AssertMatches(t => new[] { Color.Green, Color.Blue }.Contains(t.Color));
    }

    [PostgresFact]
    public async Task DynamicCollection_StoresAndFiltersEnums()
    {
        await using var fixture = await PostgresFixture.CreateAsync("enums");
        var collection = fixture.Store.GetDynamicCollection("dynamic_tasks", new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(long)),
                new VectorStoreDataProperty("Color", typeof(Color)) { IsIndexed = true },
            ],
        });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Dictionary<string, object?> { ["Id"] = 1L, ["Color"] = Color.Green },
            new Dictionary<string, object?> { ["Id"] = 2L, ["Color"] = Color.Blue },
        ]);

        var blue = await collection.GetAsync(r => (Color)r["Color"]! == Color.Blue, 10).SingleAsync();

        Assert.Equal(2L, blue["Id"]);
        Assert.Equal(Color.Blue, Assert.IsType<Color>(blue["Color"]));
    }

    [PostgresFact]
    public async Task UlongEnum_IsRejectedNamingTheSupportedTypes()
    {
        await using var fixture = await PostgresFixture.CreateAsync("enums");
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreKeyProperty("Id", typeof(long)), new VectorStoreDataProperty("Value", typeof(Counter))],
        };

        var exception = await Assert.ThrowsAsync<NotSupportedException>(() => fixture.Store.GetDynamicCollection("counters", definition).EnsureCollectionExistsAsync());

        Assert.Contains("enums", exception.Message, StringComparison.Ordinal);
        Assert.False(await fixture.Store.CollectionExistsAsync("counters"));
    }

    private static async Task<PostgresCollection<long, TaskItem>> TasksAsync(PostgresFixture fixture)
    {
        var collection = fixture.Store.GetCollection<long, TaskItem>("tasks");
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    public sealed class TaskItem
    {
        [VectorStoreKey]
        public long Id { get; set; }

        [VectorStoreData(IsIndexed = true)]
        public Color Color { get; set; }

        [VectorStoreData]
        public Priority? Priority { get; set; }

        [VectorStoreData]
        public Size Size { get; set; }
    }
}
