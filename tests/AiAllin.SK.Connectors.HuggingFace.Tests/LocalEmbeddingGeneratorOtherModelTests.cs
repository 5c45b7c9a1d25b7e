using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

/// <summary>
/// Runs the generator on a hand-built model with no token_type_ids input and a 2-D output of symbolic width,
/// so the values it returns can be worked out exactly.
/// </summary>
public sealed class LocalEmbeddingGeneratorOtherModelTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"aiallin-tiny-{Guid.NewGuid():N}", "tiny-model");

    public LocalEmbeddingGeneratorOtherModelTests() => TinyOnnxModel.Write(_folder);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public async Task SentenceEmbeddingOutput_IsUsedAsIs_WithPaddingMaskedOut()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = _folder, Normalize = false });

        var embeddings = await generator.GenerateAsync(["hello", "Hello worlds hello", ""]);

        // [CLS]=2 hello=5 [SEP]=3; [CLS] hello world ##s hello [SEP]; [CLS] [SEP]. Padding adds 0 to the id sum
        // and, being masked, nothing to the count.
        Assert.Equal([10f, 3f], embeddings[0].Vector.ToArray());
        Assert.Equal([28f, 6f], embeddings[1].Vector.ToArray());
        Assert.Equal([5f, 2f], embeddings[2].Vector.ToArray());
        Assert.All(embeddings, e => Assert.Equal("tiny-model", e.ModelId));
    }

    [Fact]
    public void Metadata_TakesTheWidthFromARunWhenTheModelLeavesItSymbolic()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = Path.Combine(_folder, "model.onnx") });

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal(2, metadata.DefaultModelDimensions);
        Assert.Equal("tiny-model", metadata.DefaultModelId);
    }

    [Fact]
    public async Task Normalization_AppliesToSentenceEmbeddingOutputs()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = _folder });

        var embeddings = await generator.GenerateAsync(["hello"]);

        var expected = new[] { 10f, 3f };
        var norm = MathF.Sqrt(109f);
        Vectors.AssertClose([expected[0] / norm, expected[1] / norm], embeddings[0].Vector.ToArray(), 1e-6f);
    }

    [Fact]
    public async Task Truncation_KeepsClsAndSep()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = _folder, Normalize = false, MaxSequenceLength = 4 });

        var embeddings = await generator.GenerateAsync(["hello worlds hello world"]);

        // [CLS] hello world [SEP]: cut inside "worlds", after its first piece.
        Assert.Equal([16f, 4f], embeddings[0].Vector.ToArray());
    }

    [Fact]
    public async Task Int32TokenInputs_AreFedAsInt32()
    {
        var folder = Path.Combine(Path.GetDirectoryName(_folder)!, "int32-model");
        TinyOnnxModel.Write(folder, TinyOnnxModel.Int32);
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder, Normalize = false });

        var embeddings = await generator.GenerateAsync(["hello world", "hello"]);

        Assert.Equal([16f, 4f], embeddings[0].Vector.ToArray());
        Assert.Equal([10f, 3f], embeddings[1].Vector.ToArray());
    }

    [Fact]
    public async Task UnknownModelInput_FailsOnFirstUseNamingTheInput()
    {
        var folder = Path.Combine(Path.GetDirectoryName(_folder)!, "position-ids-model");
        TinyOnnxModel.Write(folder, extraInput: "position_ids");
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { ModelPath = folder });

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync(["hello"]));

        Assert.Contains("'position_ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "model.onnx"), error.Message, StringComparison.Ordinal);
    }
}
