using AiAllin.SK.Testing.Servers;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class JsonDataTests
{
    [PostgresFact]
    public async Task DictionaryAndNestedObject_RoundTripThroughJsonb()
    {
        await using var fixture = await PostgresFixture.CreateAsync("json");
        var collection = fixture.Store.GetCollection<string, Profile>("profiles");
        await collection.EnsureCollectionExistsAsync();
        var profile = new Profile
        {
            Id = "ada",
            Scores = new() { ["math"] = 10, ["it's \"quoted\""] = -1 },
            Address = new Address { City = "London", Lines = ["12 St James's Square"] },
            Embedding = new([1, 0]),
        };

        await collection.UpsertAsync(profile);
        profile.Scores["math"] = 0;
        profile.Address.City = "changed";
        var stored = await collection.GetAsync("ada");
        var dynamic = await fixture.Store.GetDynamicCollection("profiles", Definition()).GetAsync("ada");

        Assert.NotNull(stored);
        Assert.Equal(10, stored.Scores["math"]);
        Assert.Equal(-1, stored.Scores["it's \"quoted\""]);
        Assert.Equal("London", stored.Address!.City);
        Assert.Equal(["12 St James's Square"], stored.Address.Lines);
        Assert.Equal(10, Assert.IsType<Dictionary<string, int>>(dynamic!["Scores"])["math"]);
        Assert.Equal("jsonb", await fixture.Server.ScalarAsync<string>(
            $"SELECT data_type FROM information_schema.columns WHERE table_schema = '{fixture.Schema}' AND table_name = 'profiles' AND column_name = 'Scores'"));
    }

    [PostgresFact]
    public async Task NullNestedObject_RoundTripsNull()
    {
        await using var fixture = await PostgresFixture.CreateAsync("json");
        var collection = fixture.Store.GetCollection<string, Profile>("profiles");
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(new Profile { Id = "nobody", Embedding = new([0, 1]) });

        Assert.Null((await collection.GetAsync("nobody"))!.Address);
    }

    [PostgresFact]
    public async Task FilterOnJsonProperty_IsRejectedClearly()
    {
        await using var fixture = await PostgresFixture.CreateAsync("json");
        var collection = fixture.Store.GetCollection<string, Profile>("profiles");
        await collection.EnsureCollectionExistsAsync();

        var exception = await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.GetAsync(p => p.Address == null, 10).ToListAsync());

        Assert.Contains("Address", exception.Message, StringComparison.Ordinal);
    }

    private static VectorStoreCollectionDefinition Definition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Id", typeof(string)),
            new VectorStoreDataProperty("Scores", typeof(Dictionary<string, int>)),
            new VectorStoreDataProperty("Address", typeof(Address)),
            new VectorStoreVectorProperty("Embedding", typeof(ReadOnlyMemory<float>), 2),
        ],
    };

    public sealed class Profile
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;

        [VectorStoreData]
        public Dictionary<string, int> Scores { get; set; } = [];

        [VectorStoreData]
        public Address? Address { get; set; }

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Embedding { get; set; }
    }

    public sealed class Address
    {
        public string City { get; set; } = string.Empty;

        public List<string> Lines { get; set; } = [];
    }
}
