using AiAllin.SK.Plugins.Memory.Tests.TestSupport;

namespace AiAllin.SK.Plugins.Memory.Tests;

/// <summary>One scope never sees, lists or deletes another's memories, whatever the arguments say.</summary>
public sealed class TenantIsolationTests
{
    private static readonly MemoryScope Acme = new("acme", "alice");
    private static readonly MemoryScope Globex = new("globex", "alice");

    private static async Task<(MemoryStores Stores, SemanticMemory Memory, string AcmeId)> SeedAsync(string kind)
    {
        var stores = await MemoryStores.CreateAsync(kind);
        var memory = new SemanticMemory(stores.Store, Embeddings.MiniLM);
        var acme = await memory.AddAsync(Acme, "The merger code name is Bluebird.", new MemoryAddOptions { Metadata = { ["topic"] = "merger" } });
        await memory.AddAsync(Acme, "Acme's payroll runs on the 25th.");
        await memory.AddAsync(Globex, "Globex's merger code name is Redwood.", new MemoryAddOptions { Metadata = { ["topic"] = "merger" } });
        return (stores, memory, acme.Ids[0]);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Search_InEveryMode_ReturnsOnlyTheCallersScope(string kind)
    {
        var (stores, memory, _) = await SeedAsync(kind);
        await using var _1 = stores;
        using var _2 = memory;

        foreach (var mode in new[] { MemorySearchMode.Vector, MemorySearchMode.Keyword, MemorySearchMode.Hybrid })
        {
            var globex = await memory.SearchAsync(Globex, "merger code name", new() { Top = 10, Mode = mode });
            var acme = await memory.SearchAsync(Acme, "merger code name", new() { Top = 10, Mode = mode });

            Assert.All(globex, r => Assert.Equal("globex", r.Memory.Scope.Tenant));
            Assert.Contains("Redwood", Assert.Single(globex, r => r.Memory.Text.Contains("merger")).Memory.Text);
            Assert.All(acme, r => Assert.Equal("acme", r.Memory.Scope.Tenant));
            Assert.DoesNotContain(acme, r => r.Memory.Text.Contains("Redwood"));
        }
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task UserAndSessionLevels_AreSeparateScopes(string kind)
    {
        await using var stores = await MemoryStores.CreateAsync(kind);
        using var memory = new SemanticMemory(stores.Store, Embeddings.MiniLM);
        var bob = new MemoryScope("acme", "bob");
        var bobSession = new MemoryScope("acme", "bob", "s1");
        await memory.AddAsync(new MemoryScope("acme"), "Tenant-wide: the office closes at six.");
        await memory.AddAsync(bob, "Bob's desk is 4B.");
        await memory.AddAsync(bobSession, "In this chat Bob asked about parking.");

        Assert.Equal("Bob's desk is 4B.", Assert.Single(await memory.ListAsync(bob).ToListAsync()).Text);
        Assert.Equal("In this chat Bob asked about parking.", Assert.Single(await memory.ListAsync(bobSession).ToListAsync()).Text);
        Assert.Equal("Tenant-wide: the office closes at six.", Assert.Single(await memory.ListAsync(new MemoryScope("acme")).ToListAsync()).Text);
        Assert.Empty(await memory.ListAsync(new MemoryScope("acme", "alice")).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task GetAndDelete_WithAnotherScopesId_SeeAndRemoveNothing(string kind)
    {
        var (stores, memory, acmeId) = await SeedAsync(kind);
        await using var _1 = stores;
        using var _2 = memory;

        Assert.Null(await memory.GetAsync(Globex, acmeId));
        Assert.Equal(0, await memory.DeleteAsync(Globex, acmeId));
        Assert.Equal(0, await memory.DeleteAsync(new MemoryScope("acme", "mallory"), acmeId));
        Assert.Equal(0, await memory.DeleteAsync(new MemoryScope("acme"), acmeId));

        Assert.NotNull(await memory.GetAsync(Acme, acmeId));
        Assert.Equal(2, (await memory.ListAsync(Acme).ToListAsync()).Count);
        Assert.Equal(1, await memory.DeleteAsync(Acme, acmeId));
        Assert.Null(await memory.GetAsync(Acme, acmeId));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task CraftedArguments_NeverCrossTheScope(string kind)
    {
        var (stores, memory, acmeId) = await SeedAsync(kind);
        await using var _1 = stores;
        using var _2 = memory;
        string[] craftedIds =
        [
            "' OR '1'='1", "*", "%", "acme", acmeId + "' OR Tenant <> '", acmeId.ToUpperInvariant(), acmeId + " ", "r => true",
            "\") || true || (\"", "{\"$ne\": null}", new string('a', 1_000_000), acmeId[..31] + "%",
        ];

        foreach (var id in craftedIds)
        {
            Assert.Null(await memory.GetAsync(Globex, id));
            Assert.Equal(0, await memory.DeleteAsync(Globex, id));
        }

        string[] craftedQueries = ["' OR 1=1 --", "Tenant == \"acme\"", "*) | (tenant=*", new string('x', 1_000_000) + " Bluebird", "Bluebird"];
        foreach (var query in craftedQueries)
        {
            foreach (var mode in new[] { MemorySearchMode.Vector, MemorySearchMode.Keyword, MemorySearchMode.Hybrid })
            {
                var hits = await memory.SearchAsync(Globex, query, new() { Top = 10, Mode = mode, Metadata = { ["topic"] = "merger' OR '1'='1" } });
                Assert.Empty(hits);
                hits = await memory.SearchAsync(Globex, query, new() { Top = 10, Mode = mode });
                Assert.DoesNotContain(hits, r => r.Memory.Scope.Tenant != "globex");
            }
        }

        // A tenant id that looks like a filter is just another, empty tenant.
        var crafted = new MemoryScope("globex' OR Tenant = 'acme", "alice");
        Assert.Empty(await memory.ListAsync(crafted).ToListAsync());
        Assert.Equal(0, await memory.DeleteAllAsync(crafted));
        Assert.Throws<ArgumentException>(() => new MemoryScope(new string('t', MemoryScope.MaxIdLength + 1)));
        Assert.Throws<ArgumentException>(() => new MemoryScope("acme\0"));
        Assert.Throws<ArgumentException>(() => new MemoryScope("acme", ""));

        Assert.Equal(2, (await memory.ListAsync(Acme).ToListAsync()).Count);
        Assert.NotNull(await memory.GetAsync(Acme, acmeId));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task DeleteAll_RemovesOnlyTheCallersScope(string kind)
    {
        var (stores, memory, _) = await SeedAsync(kind);
        await using var _1 = stores;
        using var _2 = memory;

        Assert.Equal(1, await memory.DeleteAllAsync(Globex));
        Assert.Empty(await memory.ListAsync(Globex).ToListAsync());
        Assert.Equal(2, (await memory.ListAsync(Acme).ToListAsync()).Count);
    }
}
