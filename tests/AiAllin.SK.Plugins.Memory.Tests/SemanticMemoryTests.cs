using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Plugins.Memory.Tests.TestSupport;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Plugins.Memory.Tests;

public sealed class SemanticMemoryTests
{
    private static readonly MemoryScope Alice = new("acme", "alice");

    private static SemanticMemory Create(InMemoryVectorStore store, SemanticMemoryOptions? options = null) =>
        new(store, Embeddings.MiniLM, options);

    [Fact]
    public async Task Search_ByText_FindsTheMemoryClosestInMeaning()
    {
        using var memory = Create(new InMemoryVectorStore());
        await memory.AddAsync(Alice, "My daughter is allergic to peanuts.");
        await memory.AddAsync(Alice, "I prefer window seats on long flights.");
        await memory.AddAsync(Alice, "Our quarterly revenue grew twelve percent.");

        var results = await memory.SearchAsync(Alice, "Which foods should the child avoid?", new() { Top = 2 });

        Assert.Equal(2, results.Count);
        Assert.Contains("peanuts", results[0].Memory.Text);
        Assert.True(results[0].Score > results[1].Score);
        Assert.Equal(Alice, results[0].Memory.Scope);
        Assert.Equal(MemoryTrust.Untrusted, results[0].Memory.Trust);
        Assert.Equal("app", results[0].Memory.Source);
    }

    [Fact]
    public async Task Add_KeepsSourceTrustAndMetadata_AndMetadataFiltersMatchExactly()
    {
        using var memory = Create(new InMemoryVectorStore());
        var travel = new MemoryAddOptions { Source = "profile", Trust = MemoryTrust.Trusted, Metadata = { ["topic"] = "travel", ["lang"] = "en" } };
        await memory.AddAsync(Alice, "Alice flies to Lisbon every spring.", travel);
        await memory.AddAsync(Alice, "Alice flies a drone on weekends.", new MemoryAddOptions { Metadata = { ["topic"] = "hobby" } });

        var filtered = await memory.SearchAsync(Alice, "flights", new() { Top = 5, Metadata = { ["topic"] = "travel" } });
        var trustedOnly = await memory.SearchAsync(Alice, "flies", new() { Top = 5, TrustedOnly = true });
        var bySource = await memory.SearchAsync(Alice, "flies", new() { Top = 5, Source = "profile" });
        var noMatch = await memory.SearchAsync(Alice, "flies", new() { Top = 5, Metadata = { ["topic"] = "trav" } });

        var hit = Assert.Single(filtered).Memory;
        Assert.Equal("profile", hit.Source);
        Assert.Equal(MemoryTrust.Trusted, hit.Trust);
        Assert.Equal("travel", hit.Metadata["topic"]);
        Assert.Equal("en", hit.Metadata["lang"]);
        Assert.Equal(hit.Id, Assert.Single(trustedOnly).Memory.Id);
        Assert.Equal(hit.Id, Assert.Single(bySource).Memory.Id);
        Assert.Empty(noMatch);
    }

    [Fact]
    public async Task Search_MinScore_DropsWeakMatches()
    {
        using var memory = Create(new InMemoryVectorStore());
        await memory.AddAsync(Alice, "The cat sits on the mat.");
        await memory.AddAsync(Alice, "Quarterly revenue grew 12 percent.");

        var results = await memory.SearchAsync(Alice, "A kitten rests on a rug", new() { Top = 5, MinScore = 0.4 });

        var only = Assert.Single(results);
        Assert.Contains("cat", only.Memory.Text);
        Assert.True(only.Score >= 0.4);
    }

    [Fact]
    public async Task Search_KeywordMode_RanksByMatchedWords_OnAnyStore()
    {
        using var memory = Create(new InMemoryVectorStore());
        await memory.AddAsync(Alice, "Invoice INV-2291 was paid by bank transfer.");
        await memory.AddAsync(Alice, "The invoice template uses the blue logo.");
        await memory.AddAsync(Alice, "Lunch is at noon.");

        var results = await memory.SearchAsync(Alice, "invoice INV-2291 paid", new() { Mode = MemorySearchMode.Keyword, Top = 5 });

        Assert.Equal(2, results.Count);
        Assert.Contains("INV-2291", results[0].Memory.Text);
        Assert.Equal(1.0, results[0].Score);
        Assert.True(results[1].Score < 1.0);
    }

    [Fact]
    public async Task Search_HybridMode_UsesTheStoresFusedRanking()
    {
        using var memory = Create(new InMemoryVectorStore());
        await memory.AddAsync(Alice, "Error E-4107 means the printer tray is empty.");
        await memory.AddAsync(Alice, "Printers need paper to print.");
        await memory.AddAsync(Alice, "The office closes at six.");

        var results = await memory.SearchAsync(Alice, "what does E-4107 mean", new() { Mode = MemorySearchMode.Hybrid, Top = 2 });

        Assert.Equal(2, results.Count);
        Assert.Contains("E-4107", results[0].Memory.Text);
    }

    [Fact]
    public async Task Add_WithTimeToLive_ExpiresFromEveryRead()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        using var memory = Create(new InMemoryVectorStore(), new SemanticMemoryOptions { TimeProvider = clock });
        var shortLived = await memory.AddAsync(Alice, "The door code today is 4711.", new MemoryAddOptions { TimeToLive = TimeSpan.FromHours(1) });
        await memory.AddAsync(Alice, "The office is on the third floor.");

        var before = await memory.SearchAsync(Alice, "door code", new() { Top = 5 });
        clock.Advance(TimeSpan.FromHours(2));
        var after = await memory.SearchAsync(Alice, "door code", new() { Top = 5 });
        var listed = await memory.ListAsync(Alice).ToListAsync();

        Assert.Contains(before, r => r.Memory.Id == shortLived.Ids[0]);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T01:00:00Z"), before.Single(r => r.Memory.Id == shortLived.Ids[0]).Memory.ExpiresAt);
        Assert.DoesNotContain(after, r => r.Memory.Id == shortLived.Ids[0]);
        Assert.Null(await memory.GetAsync(Alice, shortLived.Ids[0]));
        Assert.DoesNotContain(listed, m => m.Id == shortLived.Ids[0]);
        Assert.Single(listed);
    }

    [Fact]
    public async Task Add_NearDuplicate_UpdatesInPlaceByDefault()
    {
        using var memory = Create(new InMemoryVectorStore());
        var first = await memory.AddAsync(Alice, "Alice's favourite colour is green.");
        var second = await memory.AddAsync(Alice, "Alice's favourite colour is green!", new MemoryAddOptions { Metadata = { ["v"] = "2" } });

        var all = await memory.ListAsync(Alice).ToListAsync();

        Assert.Equal(MemoryWriteOutcome.Added, first.Outcome);
        Assert.Equal(MemoryWriteOutcome.Updated, second.Outcome);
        Assert.Equal(first.Ids, second.Ids);
        var only = Assert.Single(all);
        Assert.Equal("Alice's favourite colour is green!", only.Text);
        Assert.Equal("2", only.Metadata["v"]);
    }

    [Fact]
    public async Task Add_NearDuplicate_SkipAndAllow_AsConfigured()
    {
        using var memory = Create(new InMemoryVectorStore(), new SemanticMemoryOptions { Duplicates = DuplicateHandling.Skip });
        var first = await memory.AddAsync(Alice, "The wifi password is on the fridge.");
        var skipped = await memory.AddAsync(Alice, "The wifi password is on the fridge");
        var allowed = await memory.AddAsync(Alice, "The wifi password is on the fridge", new MemoryAddOptions { Duplicates = DuplicateHandling.Allow });
        var different = await memory.AddAsync(Alice, "Bob likes jazz.");

        Assert.Equal(MemoryWriteOutcome.Skipped, skipped.Outcome);
        Assert.Equal(first.Ids, skipped.Ids);
        Assert.Equal(MemoryWriteOutcome.Added, allowed.Outcome);
        Assert.NotEqual(first.Ids, allowed.Ids);
        Assert.Equal(MemoryWriteOutcome.Added, different.Outcome);
        Assert.Equal(3, (await memory.ListAsync(Alice).ToListAsync()).Count);
    }

    [Fact]
    public async Task Add_LongText_IsChunkedWithOverlap_KeepingSourceAndOffsets()
    {
        using var memory = Create(new InMemoryVectorStore(), new SemanticMemoryOptions { ChunkSize = 400, ChunkOverlap = 80, Duplicates = DuplicateHandling.Allow });
        var sentences = Enumerable.Range(1, 40).Select(i => $"Paragraph {i} talks about topic number {i} in some detail.");
        var text = string.Join(' ', sentences);

        var result = await memory.AddAsync(Alice, text, new MemoryAddOptions { Source = "handbook.pdf" });
        var chunks = await memory.ListAsync(Alice, top: 100).ToListAsync();

        Assert.True(result.Ids.Count > 3);
        Assert.Equal(result.Ids.Count, chunks.Count);
        var ordered = chunks.OrderBy(c => c.ChunkIndex).ToList();
        Assert.All(ordered, c => Assert.Equal("handbook.pdf", c.Source));
        Assert.All(ordered, c => Assert.Equal(ordered[0].DocumentId, c.DocumentId));
        Assert.All(ordered, c => Assert.Equal(c.Text, text.Substring(c.ChunkOffset, c.Text.Length)));
        Assert.All(ordered, c => Assert.True(c.Text.Length <= 400));
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].ChunkOffset < ordered[i - 1].ChunkOffset + ordered[i - 1].Text.Length, "chunks overlap");
        }

        Assert.Equal(text.Length, ordered[^1].ChunkOffset + ordered[^1].Text.Length);

        var hit = (await memory.SearchAsync(Alice, "topic number 33", new() { Top = 1 }))[0].Memory;
        Assert.Contains("Paragraph 33", hit.Text);
        Assert.Equal(result.Ids.Count, await memory.DeleteAsync(Alice, hit.DocumentId));
        Assert.Empty(await memory.ListAsync(Alice).ToListAsync());
    }

    [Fact]
    public async Task Add_WithPrecomputedVector_StoresIt_AndWrongDimensionThrowsAndKeepsData()
    {
        using var memory = Create(new InMemoryVectorStore());
        var kept = await memory.AddAsync(Alice, "Kept memory.");
        var vector = (await Embeddings.MiniLM.GenerateAsync(["Ski trip in February"]))[0].Vector;

        var added = await memory.AddAsync(Alice, "Ski trip in February", vector);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.AddAsync(Alice, "Wrong size", new float[10]));
        var byVector = await memory.SearchAsync(Alice, vector, new() { Top = 1 });

        Assert.Equal("embedding", error.ParamName);
        Assert.Contains("384", error.Message);
        Assert.Equal(added.Ids[0], byVector[0].Memory.Id);
        Assert.True(byVector[0].Score > 0.99);
        Assert.Equal(2, (await memory.ListAsync(Alice).ToListAsync()).Count);
        Assert.NotNull(await memory.GetAsync(Alice, kept.Ids[0]));
    }

    [Fact]
    public async Task Add_BadInput_ThrowsClearly_AndLosesNothing()
    {
        using var memory = Create(new InMemoryVectorStore(), new SemanticMemoryOptions { MaxTextLength = 1000 });
        await memory.AddAsync(Alice, "Existing memory.");

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => memory.AddAsync(Alice, "   "));
        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() => memory.AddAsync(Alice, new string('x', 1001)));
        var badKey = await Assert.ThrowsAsync<ArgumentException>(() => memory.AddAsync(Alice, "x", new MemoryAddOptions { Metadata = { ["a=b"] = "c" } }));
        var badTtl = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => memory.AddAsync(Alice, "x", new MemoryAddOptions { TimeToLive = TimeSpan.Zero }));

        Assert.Contains("empty", empty.Message);
        Assert.Contains("1000", tooLong.Message);
        Assert.Contains("a=b", badKey.Message);
        Assert.Contains("time to live", badTtl.Message);
        Assert.Equal("Existing memory.", Assert.Single(await memory.ListAsync(Alice).ToListAsync()).Text);
    }

    [Fact]
    public async Task Reranker_ReordersResults()
    {
        using var memory = Create(new InMemoryVectorStore(), new SemanticMemoryOptions { Reranker = new ReverseReranker() });
        await memory.AddAsync(Alice, "The cat sits on the mat.");
        await memory.AddAsync(Alice, "Quarterly revenue grew 12 percent.");

        var reranked = await memory.SearchAsync(Alice, "kitten on a rug", new() { Top = 2 });
        var plain = await memory.SearchAsync(Alice, "kitten on a rug", new() { Top = 2, Rerank = false });

        Assert.Equal(plain.Select(r => r.Memory.Id).Reverse(), reranked.Select(r => r.Memory.Id));
    }

    [Fact]
    public async Task ModelChange_IsDetected_AndMigrationReembedsEveryMemory()
    {
        var store = new InMemoryVectorStore();
        using (var original = Create(store))
        {
            await original.AddAsync(Alice, "capital of france is paris");
            await original.AddAsync(new MemoryScope("other"), "capital of italy is rome");
        }

        var words = TestEmbeddingGenerator.Words("capital", "france", "italy", "paris", "rome");
        using var changed = new SemanticMemory(store, words);

        var error = await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => changed.SearchAsync(Alice, "france"));
        Assert.Equal(384, error.StoredDimensions);
        Assert.Equal(5, error.CurrentDimensions);
        Assert.Contains("all-MiniLM-L6-v2", error.StoredModelId);
        Assert.Contains("MigrateAsync", error.Message);

        Assert.Equal(2, await changed.MigrateAsync());
        var results = await changed.SearchAsync(Alice, "france", new() { Top = 5 });
        Assert.Equal("capital of france is paris", Assert.Single(results).Memory.Text);
        Assert.Equal(0, await changed.MigrateAsync());

        using var originalAgain = Create(store);
        await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => originalAgain.SearchAsync(Alice, "france"));
        Assert.False(await store.CollectionExistsAsync("memories_v1"));
        Assert.True(await store.CollectionExistsAsync("memories_v2"));
    }

    [Fact]
    public async Task Options_OutOfRange_FailAtConstruction()
    {
        var store = new InMemoryVectorStore();
        Assert.Throws<ArgumentException>(() => new SemanticMemory(store, Embeddings.MiniLM, new() { CollectionName = "bad name; drop" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticMemory(store, Embeddings.MiniLM, new() { DuplicateThreshold = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticMemory(store, Embeddings.MiniLM, new() { ChunkSize = 500, ChunkOverlap = 300 }));
        Assert.Empty(await store.ListCollectionNamesAsync().ToListAsync());
    }

    private sealed class ReverseReranker : IMemoryReranker
    {
        public Task<IReadOnlyList<MemorySearchResult>> RerankAsync(string query, IReadOnlyList<MemorySearchResult> results, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MemorySearchResult>>([.. results.Reverse()]);
    }
}
