using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

[Collection(BundledModelTestGroup.Name)]
public sealed class LocalEmbeddingGeneratorTests(BundledModelFixture fixture)
{
    private static readonly string[] MixedLengths =
    [
        "Hi",
        "The quick brown fox jumps over the lazy dog.",
        "",
        "Semantic Kernel lets .NET developers orchestrate large language models, plugins and memory in one place, with filters around every call.",
        "Café crème, s'il vous plaît!",
        "Q3 revenue: $4.2M (+12%).",
    ];

    [Fact]
    public async Task Generate_SimilarSentences_AreCloserThanUnrelatedOnes()
    {
        var vectors = await fixture.EmbedAsync(["The cat sits on the mat", "A kitten rests on a rug", "Quarterly revenue grew 12 percent"]);

        var related = Vectors.Cosine(vectors[0], vectors[1]);
        var unrelated = Vectors.Cosine(vectors[0], vectors[2]);

        Assert.True(related > unrelated + 0.3f, $"related {related}, unrelated {unrelated}");
    }

    [Fact]
    public async Task Generate_MatchesTheIndependentSentenceEncoder()
    {
        string[] texts =
        [
            "The cat sits on the mat",
            "Semantic Kernel orchestrates AI plugins, memory and planners.",
            "What's the WEATHER like in Reykjavik tomorrow?",
            "e-mail me at 9:30 -- or don't!",
        ];

        var ours = await fixture.EmbedAsync(texts);
        var theirs = fixture.Reference.Encode(texts, CancellationToken.None);

        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = Vectors.Cosine(ours[i], theirs[i]);
            Assert.True(cosine > 0.999f, $"'{texts[i]}': cosine {cosine}");
        }
    }

    [Fact]
    public async Task Generate_AccentsAndCase_AreFoldedAsUncasedBertDoes()
    {
        // Hugging Face's uncased BERT tokenizer lower-cases and strips accents; the reference SentenceEncoder does
        // not (it maps "é" to [UNK]), so this is checked against the folded text instead.
        var vectors = await fixture.EmbedAsync(["Café Crème, s'il vous PLAÎT!", "cafe creme, s'il vous plait!", "caf creme, s'il vous plait!"]);

        Vectors.AssertClose(vectors[1], vectors[0], 1e-5f);
        Assert.True(Vectors.Cosine(vectors[1], vectors[2]) < 0.99f);
    }

    [Fact]
    public async Task Generate_Batch_EqualsOneByOne()
    {
        var batched = await fixture.EmbedAsync(MixedLengths);

        for (var i = 0; i < MixedLengths.Length; i++)
        {
            Vectors.AssertClose(await fixture.EmbedAsync(MixedLengths[i]), batched[i], 1e-4f);
        }
    }

    [Fact]
    public async Task Generate_MoreInputsThanBatchSize_KeepsInputOrder()
    {
        var texts = Enumerable.Range(0, 70).Select(i => i % 3 == 0 ? $"Sentence number {i} is a bit longer than the others." : $"Item {i}").ToArray();

        var all = await fixture.EmbedAsync(texts);

        Assert.Equal(texts.Length, all.Length);
        foreach (var i in new[] { 0, 1, 33, 69 })
        {
            Vectors.AssertClose(await fixture.EmbedAsync(texts[i]), all[i], 1e-4f);
        }
    }

    [Fact]
    public async Task Generate_FromEightThreads_GivesIdenticalVectors()
    {
        var expected = await fixture.EmbedAsync(MixedLengths);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => fixture.EmbedAsync(MixedLengths))));

        foreach (var result in results)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], result[i]);
            }
        }
    }

    [Fact]
    public async Task Generate_ReturnsUnitVectorsOf384Dimensions_WithModelIdAndTime()
    {
        var before = DateTimeOffset.UtcNow;

        var embeddings = await fixture.Generator.GenerateAsync(MixedLengths);

        Assert.Equal(MixedLengths.Length, embeddings.Count);
        foreach (var embedding in embeddings)
        {
            Assert.Equal(384, embedding.Vector.Length);
            Assert.Equal(1f, Vectors.Norm(embedding.Vector.Span), 1e-4f);
            Assert.Equal("all-MiniLM-L6-v2", embedding.ModelId);
            Assert.NotNull(embedding.CreatedAt);
            Assert.InRange(embedding.CreatedAt.Value, before, DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task Generate_ReportsTokenUsage_IncludingSpecialTokens()
    {
        var embeddings = await fixture.Generator.GenerateAsync(["hello world", "cat"]);

        Assert.Equal(7, embeddings.Usage?.InputTokenCount);
        Assert.Equal(7, embeddings.Usage?.TotalTokenCount);
    }

    [Fact]
    public void Metadata_Reports384DimensionsAndModelId()
    {
        var metadata = fixture.Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("aiallin.local", metadata.ProviderName);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Null(metadata.ProviderUri);
    }

    [Fact]
    public void GetService_ReturnsItself_AndNothingForKeysOrOtherTypes()
    {
        Assert.Same(fixture.Generator, fixture.Generator.GetService<LocalEmbeddingGenerator>());
        Assert.Same(fixture.Generator, fixture.Generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(fixture.Generator.GetService(typeof(EmbeddingGeneratorMetadata), "some key"));
        Assert.Null(fixture.Generator.GetService<IChatClient>());
    }

    [Fact]
    public async Task Generate_VeryLongInput_IsTruncatedToMaxSequenceLength()
    {
        var longText = string.Join(' ', Enumerable.Range(0, 5000).Select(i => $"word{i}"));

        var embeddings = await fixture.Generator.GenerateAsync([longText]);

        Assert.Equal(384, embeddings[0].Vector.Length);
        Assert.Equal(1f, Vectors.Norm(embeddings[0].Vector.Span), 1e-4f);
        Assert.Equal(256, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Generate_LongInput_IsCutAtTheWordPieceLikeSentenceTransformers()
    {
        // "unaffable" is three pieces (un ##aff ##able); 254 pieces of text is not a whole number of words, so
        // cutting at word boundaries would give 254 tokens instead of 256.
        var longText = string.Join(' ', Enumerable.Repeat("unaffable", 1000));

        var embeddings = await fixture.Generator.GenerateAsync([longText]);

        Assert.Equal(256, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Generate_EmptyList_ReturnsEmptyResult()
    {
        var embeddings = await fixture.Generator.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task Generate_EmptyString_GivesAUnitVector()
    {
        var vector = await fixture.EmbedAsync(string.Empty);

        Assert.Equal(384, vector.Length);
        Assert.Equal(1f, Vectors.Norm(vector), 1e-4f);
    }
}
