using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

[Collection(BundledModelTestGroup.Name)]
public sealed class LocalEmbeddingGeneratorModelPathTests(BundledModelFixture fixture)
{
    private static readonly string[] Texts = ["The cat sits on the mat", "Quarterly revenue grew 12 percent", ""];

    [Fact]
    public async Task ModelFromFolder_GivesTheSameVectorsAsTheBundledModel()
    {
        using var folder = new ModelFolder("my-minilm");
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.Root, BatchSize = 2 });

        var fromPath = await generator.GenerateAsync(Texts);
        var bundled = await fixture.EmbedAsync(Texts);

        for (var i = 0; i < Texts.Length; i++)
        {
            Vectors.AssertClose(bundled[i], fromPath[i].Vector.ToArray(), 1e-5f);
            Assert.Equal("my-minilm", fromPath[i].ModelId);
        }

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal("my-minilm", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(new Uri(folder.ModelFile), metadata.ProviderUri);
    }

    [Fact]
    public async Task ModelFromFilePaths_WithoutNormalization_KeepsDirectionButNotUnitLength()
    {
        using var folder = new ModelFolder("raw");
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions
        {
            ModelPath = folder.ModelFile,
            VocabularyPath = folder.VocabularyFile,
            ModelId = "custom-id",
            Normalize = false,
            IntraOpNumThreads = 1,
        });

        var raw = await generator.GenerateAsync(Texts);
        var bundled = await fixture.EmbedAsync(Texts);

        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal("custom-id", raw[i].ModelId);
            Assert.True(Math.Abs(Vectors.Norm(raw[i].Vector.Span) - 1f) > 0.01f, "an unnormalised mean should not be unit length");
            Assert.True(Vectors.Cosine(bundled[i], raw[i].Vector.Span) > 0.99999f);
        }
    }

    [Fact]
    public async Task ModelFolderConfigs_SetMaxSequenceLengthAndCasing()
    {
        using var folder = new ModelFolder("cased-short");
        await File.WriteAllTextAsync(Path.Combine(folder.Root, "sentence_bert_config.json"), """{ "max_seq_length": 5, "do_lower_case": false }""");
        await File.WriteAllTextAsync(Path.Combine(folder.Root, "tokenizer_config.json"), """{ "do_lower_case": false, "model_max_length": 512 }""");
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.Root });

        var embeddings = await generator.GenerateAsync(["hello world", "Hello world, how are you?", "hello"]);

        Assert.Equal(4 + 5 + 3, embeddings.Usage?.InputTokenCount);

        // The vocabulary is uncased, so a cased tokenizer turns "Hello" into [UNK] and the meaning is lost.
        var cased = await generator.GenerateAsync(["Hello"]);
        Assert.True(Vectors.Cosine(cased[0].Vector.Span, embeddings[2].Vector.Span) < 0.99f);
    }

    [Fact]
    public async Task ExplicitOptions_OverrideTheModelFolderConfigs()
    {
        using var folder = new ModelFolder("overridden");
        await File.WriteAllTextAsync(Path.Combine(folder.Root, "sentence_bert_config.json"), """{ "max_seq_length": 5 }""");
        await File.WriteAllTextAsync(Path.Combine(folder.Root, "tokenizer_config.json"), """{ "do_lower_case": false }""");
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.Root, LowerCase = true, MaxSequenceLength = 256 });

        var embeddings = await generator.GenerateAsync(["Hello world, how are you?", "hello world, how are you?"]);

        Assert.Equal(18, embeddings.Usage?.InputTokenCount);
        Vectors.AssertClose(embeddings[1].Vector.ToArray(), embeddings[0].Vector.ToArray(), 1e-5f);
    }

    [Fact]
    public void MalformedModelConfig_ThrowsInvalidDataNamingTheFile()
    {
        using var folder = new ModelFolder("bad-config");
        var config = Path.Combine(folder.Root, "tokenizer_config.json");
        File.WriteAllText(config, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.Root }));

        Assert.Contains(config, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptModelFile_FailsOnFirstUseNamingThePath_AndKeepsFailing()
    {
        using var folder = new ModelFolder("corrupt");
        File.WriteAllText(folder.ModelFile, "this is not an onnx model");
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.ModelFile });

        var first = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["text"]));
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["text"]));

        Assert.Contains(folder.ModelFile, first.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public void MissingModelPath_ThrowsFileNotFoundNamingPathAndOption()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = path }));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithoutModel_ThrowsFileNotFoundNamingTheFolder()
    {
        var path = Directory.CreateTempSubdirectory("aiallin-empty-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = path }));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("ModelPath", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Fact]
    public void MissingVocabularyPath_ThrowsFileNotFoundNamingPathAndOption()
    {
        using var folder = new ModelFolder("no-vocab");
        var path = Path.Combine(folder.Root, "missing-vocab.txt");

        var error = Assert.Throws<FileNotFoundException>(
            () => new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.ModelFile, VocabularyPath = path }));

        Assert.Equal(path, error.FileName);
        Assert.Contains("VocabularyPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithNoVocabularyBesideIt_ThrowsFileNotFoundNamingTheOption()
    {
        using var folder = new ModelFolder("vocab-deleted");
        File.Delete(folder.VocabularyFile);

        var error = Assert.Throws<FileNotFoundException>(() => new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder.ModelFile }));

        Assert.Contains("VocabularyPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(LocalEmbeddingOptions.BatchSize))]
    [InlineData(nameof(LocalEmbeddingOptions.MaxSequenceLength))]
    [InlineData(nameof(LocalEmbeddingOptions.IntraOpNumThreads))]
    public void OutOfRangeOption_ThrowsArgumentExceptionNamingIt(string option)
    {
        var options = new LocalEmbeddingOptions();
        switch (option)
        {
            case nameof(LocalEmbeddingOptions.BatchSize):
                options.BatchSize = 0;
                break;
            case nameof(LocalEmbeddingOptions.MaxSequenceLength):
                options.MaxSequenceLength = 2;
                break;
            default:
                options.IntraOpNumThreads = 0;
                break;
        }

        var error = Assert.Throws<ArgumentException>(() => new LocalEmbeddingGenerator(options));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortMaxSequenceLength_TruncatesInputs()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { MaxSequenceLength = 4 });

        var embeddings = await generator.GenerateAsync(["one two", "one two three four five"]);

        Assert.Equal(8, embeddings.Usage?.InputTokenCount);
        Vectors.AssertClose(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray(), 1e-5f);
    }
}
