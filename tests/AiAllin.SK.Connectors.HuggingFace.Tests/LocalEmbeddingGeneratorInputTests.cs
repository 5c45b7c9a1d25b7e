using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

[Collection(BundledModelTestGroup.Name)]
public sealed class LocalEmbeddingGeneratorInputTests(BundledModelFixture fixture)
{
    [Fact]
    public async Task Generate_WithNullElement_ThrowsArgumentExceptionNamingTheIndex()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Generator.GenerateAsync(["fine", null!, "also fine"]));

        Assert.Equal("values", error.ParamName);
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithNullElement_LeavesTheGeneratorWorking()
    {
        var before = await fixture.EmbedAsync("still works");

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Generator.GenerateAsync([null!]));

        Vectors.AssertClose(before, await fixture.EmbedAsync("still works"), 1e-6f);
    }

    [Fact]
    public async Task Generate_WithNullList_ThrowsArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => fixture.Generator.GenerateAsync(null!));
    }

    [Fact]
    public async Task Generate_WithCancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Generator.GenerateAsync(["some text"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Generate_CancelledWhileRunning_ThrowsOperationCanceled_AndKeepsWorking()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { BatchSize = 4 });
        var expected = await generator.GenerateAsync(["The cat sits on the mat"]);

        // Far more work than the moment it takes to cancel: hundreds of full-length inputs.
        var texts = Enumerable.Range(0, 400).Select(i => string.Join(' ', Enumerable.Range(i, 300).Select(j => $"w{j}"))).ToArray();
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(texts, cancellationToken: cts.Token));

        var after = await generator.GenerateAsync(["The cat sits on the mat"]);
        Assert.Equal(expected[0].Vector.ToArray(), after[0].Vector.ToArray());
    }

    [Fact]
    public async Task Generate_WithOtherRequestedDimensions_ThrowsArgumentException()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => fixture.Generator.GenerateAsync(["some text"], new EmbeddingGenerationOptions { Dimensions = 768 }));

        Assert.Contains("384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithMatchingRequestedDimensions_Works()
    {
        var embeddings = await fixture.Generator.GenerateAsync(["some text"], new EmbeddingGenerationOptions { Dimensions = 384 });

        Assert.Equal(384, embeddings[0].Vector.Length);
    }

    [Fact]
    public async Task Generate_MaxSequenceLengthBeyondTheModel_ThrowsNamingTheOption_AndKeepsWorking()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { MaxSequenceLength = 600 });
        var longText = string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"w{i}"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync([longText]));

        Assert.Contains("MaxSequenceLength", error.Message, StringComparison.Ordinal);
        var shortText = await generator.GenerateAsync(["The cat sits on the mat"]);
        Vectors.AssertClose(await fixture.EmbedAsync("The cat sits on the mat"), shortText[0].Vector.ToArray(), 1e-5f);
    }

    [Fact]
    public async Task Generate_AfterDispose_ThrowsObjectDisposed()
    {
        var generator = new LocalEmbeddingGenerator();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["text"]));
    }
}
