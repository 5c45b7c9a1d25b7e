using AiAllin.SK.Testing.Conditional;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Xunit;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Embedding generation through <see cref="IEmbeddingGenerator"/>: string vector properties embedded on upsert,
/// string queries embedded on search, generator precedence (property, then collection definition, then store),
/// search-only generation for float vector properties, and the IncludeVectors and bad-input rules of MEVD.
/// </summary>
public abstract class EmbeddingGenerationConformance<TKey> : VectorStoreConformanceBase<TKey>
    where TKey : notnull
{
    private static readonly string[] Vocabulary = ["cat", "dog", "fish"];

    [ConformanceFact]
    public async Task Upsert_StringVector_IsEmbeddedByTheGenerator()
    {
        var generator = TestEmbeddingGenerator.Words(Vocabulary);
        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", TextDefinition(), CreateStore(generator));
        var dog = new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = "dog", Label = "dog" };

        await collection.UpsertAsync(dog);

        Assert.Contains("dog", generator.Inputs);
        var result = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 1, 0]), top: 1).SingleAsync();
        Assert.Equal("dog", result.Record.Label);
        Assert.Equal(1, result.Score!.Value, 1e-4);
    }

    [ConformanceFact]
    public async Task GeneratedVectorProperty_ReadsBackAsDefault_OnGetAndSearch()
    {
        // MEVD providers store the embedding, not its source: the string property is not loaded back.
        var generator = TestEmbeddingGenerator.Words(Vocabulary);
        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", TextDefinition(), CreateStore(generator));
        var dog = new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = "dog", Label = "dog" };
        await collection.UpsertAsync(dog);

        var got = await collection.GetAsync(dog.Key);
        var found = await collection.SearchAsync("dog", top: 1).SingleAsync();

        Assert.Equal("dog", got!.Label);
        Assert.Null(got.Embedding);
        Assert.Equal("dog", found.Record.Label);
        Assert.Null(found.Record.Embedding);
    }

    [ConformanceFact]
    public async Task UpsertBatch_StringVectors_EmbedsEveryRecord()
    {
        var generator = TestEmbeddingGenerator.Words(Vocabulary);
        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", TextDefinition(), CreateStore(generator));

        await collection.UpsertAsync(Vocabulary.Select(w => new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = w, Label = w }));

        Assert.Equal(Vocabulary.Order(), generator.Inputs.Order());
        for (var i = 0; i < Vocabulary.Length; i++)
        {
            var axis = new float[Vocabulary.Length];
            axis[i] = 1;
            var result = await collection.SearchAsync(new ReadOnlyMemory<float>(axis), top: 1).SingleAsync();
            Assert.Equal(Vocabulary[i], result.Record.Label);
        }
    }

    [ConformanceFact]
    public async Task SearchAsync_String_EmbedsTheQuery()
    {
        var generator = TestEmbeddingGenerator.Words(Vocabulary);
        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", TextDefinition(), CreateStore(generator));
        await collection.UpsertAsync(Vocabulary.Select(w => new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = $"a {w} here", Label = w }));

        var result = await collection.SearchAsync("where is the fish", top: 1).SingleAsync();

        Assert.Equal("fish", result.Record.Label);
        Assert.Contains("where is the fish", generator.Inputs);
    }

    [ConformanceFact]
    public async Task Generator_OnStoreOnly_IsUsed()
        => await AssertGeneratorUsedAsync(definitionGenerator: false, propertyGenerator: false, expectedAxis: 0);

    [ConformanceFact]
    public async Task Generator_OnDefinition_WinsOverStore()
        => await AssertGeneratorUsedAsync(definitionGenerator: true, propertyGenerator: false, expectedAxis: 1);

    [ConformanceFact]
    public async Task Generator_OnProperty_WinsOverDefinitionAndStore()
        => await AssertGeneratorUsedAsync(definitionGenerator: true, propertyGenerator: true, expectedAxis: 2);

    [ConformanceFact]
    public async Task Dynamic_UpsertAndSearchByString_UseTheGenerator()
    {
        var generator = TestEmbeddingGenerator.Words(Vocabulary);
        var collection = await CreateDynamicCollectionAsync("embed", TextDefinition(), CreateStore(generator));
        await collection.UpsertAsync(Vocabulary.Select(w => new Dictionary<string, object?>
        {
            [nameof(TextEmbeddingRecord<TKey>.Key)] = NewKey(),
            [nameof(TextEmbeddingRecord<TKey>.Embedding)] = w,
            [nameof(TextEmbeddingRecord<TKey>.Label)] = w,
        }));

        var result = await collection.SearchAsync("the cat sat", top: 1).SingleAsync();

        Assert.Equal("cat", result.Record[nameof(TextEmbeddingRecord<TKey>.Label)]);
    }

    [ConformanceFact]
    public async Task StringVector_WithAHalfPrecisionGenerator_IsEmbeddedAndSearched_OrRejectedAtCreation()
    {
        var generator = new HalfEmbeddingGenerator(Vocabulary);
        var store = CreateStore(generator);
        if (!TestStore.SupportsHalfVectors)
        {
            await AssertRejectedAsync(() => CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", TextDefinition(), store));
            return;
        }

        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", TextDefinition(), store);
        await collection.UpsertAsync(Vocabulary.Select(w => new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = w, Label = w }));

        Assert.Equal(Vocabulary.Order(), generator.Inputs.Order());
        var result = await collection.SearchAsync("a dog", top: 1).SingleAsync();
        Assert.Equal("dog", result.Record.Label);
        Assert.Equal(1, result.Score!.Value, 1e-3);
    }

    [ConformanceTheory]
    [InlineData(typeof(ReadOnlyMemory<Half>))]
    [InlineData(typeof(Embedding<Half>))]
    [InlineData(typeof(Half[]))]
    public async Task HalfVectorProperty_WithAHalfPrecisionGenerator_EmbedsSearchQueries(Type vectorType)
    {
        ArgumentNullException.ThrowIfNull(vectorType);
        var generator = new HalfEmbeddingGenerator(Vocabulary);
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Key", typeof(TKey)),
                new VectorStoreDataProperty("Label", typeof(string)),
                new VectorStoreVectorProperty("Vector", vectorType, 3),
            ],
        };
        var store = CreateStore(generator);
        if (!TestStore.SupportsHalfVectors)
        {
            await AssertRejectedAsync(() => CreateDynamicCollectionAsync("embed", definition, store));
            return;
        }

        var collection = await CreateDynamicCollectionAsync("embed", definition, store);
        await collection.UpsertAsync(Vocabulary.Select((w, i) => new Dictionary<string, object?>
        {
            ["Key"] = NewKey(),
            ["Label"] = w,
            ["Vector"] = HalfVector(vectorType, i),
        }));

        var result = await collection.SearchAsync("the fish", top: 1, new() { IncludeVectors = true }).SingleAsync();

        Assert.Equal("fish", result.Record["Label"]);
        Assert.IsType(vectorType, result.Record["Vector"]);
        Assert.Contains("the fish", generator.Inputs);
    }

    private static object HalfVector(Type vectorType, int hot)
    {
        var values = new Half[3];
        values[hot] = (Half)1;
        return vectorType == typeof(Half[]) ? values
            : vectorType == typeof(Embedding<Half>) ? new Embedding<Half>(values)
            : new ReadOnlyMemory<Half>(values);
    }

    [ConformanceFact]
    public async Task Get_WithoutIncludeVectors_ReturnsData()
    {
        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>(
            "embed", TextDefinition(), CreateStore(TestEmbeddingGenerator.Words(Vocabulary)));
        var record = new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = "cat", Label = "kitty" };
        await collection.UpsertAsync(record);

        var received = await collection.GetAsync(record.Key);

        Assert.NotNull(received);
        Assert.Equal("kitty", received.Label);
    }

    [ConformanceFact]
    public async Task Get_IncludeVectorsOnGeneratedProperty_ThrowsNotSupported()
    {
        var (collection, record) = await SeedTextAsync();

        await Assert.ThrowsAsync<NotSupportedException>(() => collection.GetAsync(record.Key, new() { IncludeVectors = true }));
    }

    [ConformanceFact]
    public async Task GetBatch_IncludeVectorsOnGeneratedProperty_ThrowsNotSupported()
    {
        var (collection, record) = await SeedTextAsync();

        await Assert.ThrowsAsync<NotSupportedException>(
            async () => await collection.GetAsync([record.Key], new() { IncludeVectors = true }).ToListAsync());
    }

    [ConformanceFact]
    public async Task Search_IncludeVectorsOnGeneratedProperty_ThrowsNotSupported()
    {
        var (collection, _) = await SeedTextAsync();

        await Assert.ThrowsAsync<NotSupportedException>(
            async () => await collection.SearchAsync("cat", top: 1, new() { IncludeVectors = true }).ToListAsync());
    }

    [ConformanceFact]
    public async Task FloatVectorProperty_WithGenerator_EmbedsOnlySearchQueries()
    {
        var generator = TestEmbeddingGenerator.Words(Vocabulary);
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>(
            "embed", ConformanceDefinition(3, DistanceFunction.CosineSimilarity), CreateStore(generator));
        ConformanceRecord<TKey>[] records =
        [
            new() { Key = NewKey(), Text = "cat", Number = 1, Vector = new([1, 0, 0]) },
            new() { Key = NewKey(), Text = "dog", Number = 2, Vector = new([0, 1, 0]) },
        ];
        await collection.UpsertAsync(records);
        Assert.Empty(generator.Inputs);

        var result = await collection.SearchAsync("dog", top: 1, new() { IncludeVectors = true }).SingleAsync();

        Assert.Equal("dog", result.Record.Text);
        Assert.Equal([0f, 1, 0], result.Record.Vector.ToArray());
        Assert.Equal(["dog"], generator.Inputs);
    }

    [ConformanceFact]
    public async Task SearchAsync_StringWithoutGenerator_ThrowsNotSupported()
    {
        var collection = await CreateCollectionAsync<ConformanceRecord<TKey>>("embed", ConformanceDefinition(3, DistanceFunction.CosineSimilarity));
        await collection.UpsertAsync(new ConformanceRecord<TKey> { Key = NewKey(), Number = 1, Vector = new([1, 0, 0]) });

        await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync("cat", top: 1).ToListAsync());
    }

    [ConformanceFact]
    public async Task SearchAsync_InputTheGeneratorCannotEmbed_ThrowsInvalidOperation()
    {
        var (collection, _) = await SeedTextAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await collection.SearchAsync(42, top: 1).ToListAsync());
    }

    [ConformanceFact]
    public async Task StringVectorWithoutAnyGenerator_IsRejectedWhenTheCollectionIsCreated()
    {
        var name = NewCollectionName("embed");

        await AssertRejectedAsync(async () =>
        {
            var collection = Store.GetCollection<TKey, TextEmbeddingRecord<TKey>>(name, TextDefinition());
            await collection.EnsureCollectionExistsAsync();
        });
        Assert.False(await Store.CollectionExistsAsync(name));
    }

    private static VectorStoreCollectionDefinition TextDefinition(IEmbeddingGenerator? propertyGenerator = null) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(TextEmbeddingRecord<TKey>.Key), typeof(TKey)),
            new VectorStoreVectorProperty(nameof(TextEmbeddingRecord<TKey>.Embedding), typeof(string), Vocabulary.Length)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
                EmbeddingGenerator = propertyGenerator,
            },
            new VectorStoreDataProperty(nameof(TextEmbeddingRecord<TKey>.Label), typeof(string)) { IsIndexed = true },
        ],
    };

    private async Task<(VectorStoreCollection<TKey, TextEmbeddingRecord<TKey>> Collection, TextEmbeddingRecord<TKey> Record)> SeedTextAsync()
    {
        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>(
            "embed", TextDefinition(), CreateStore(TestEmbeddingGenerator.Words(Vocabulary)));
        var record = new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = "cat", Label = "cat" };
        await collection.UpsertAsync(record);
        return (collection, record);
    }

    // Each level's generator maps everything to its own axis, so the stored vector and the query vector show which
    // generator the store picked.
    private async Task AssertGeneratorUsedAsync(bool definitionGenerator, bool propertyGenerator, int expectedAxis)
    {
        var store = CreateStore(TestEmbeddingGenerator.Constant(1, 0, 0));
        var definition = TextDefinition(propertyGenerator ? TestEmbeddingGenerator.Constant(0, 0, 1) : null);
        if (definitionGenerator)
        {
            definition.EmbeddingGenerator = TestEmbeddingGenerator.Constant(0, 1, 0);
        }

        var collection = await CreateCollectionAsync<TextEmbeddingRecord<TKey>>("embed", definition, store);
        await collection.UpsertAsync(new TextEmbeddingRecord<TKey> { Key = NewKey(), Embedding = "anything", Label = "only" });

        var axis = new float[3];
        axis[expectedAxis] = 1;
        var byVector = await collection.SearchAsync(new ReadOnlyMemory<float>(axis), top: 1).SingleAsync();
        var byText = await collection.SearchAsync("something else", top: 1).SingleAsync();

        Assert.Equal(1, byVector.Score!.Value, 1e-4);
        Assert.Equal(1, byText.Score!.Value, 1e-4);
    }
}
