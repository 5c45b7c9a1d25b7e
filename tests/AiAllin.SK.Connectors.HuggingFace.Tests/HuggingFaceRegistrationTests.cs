using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

public sealed class HuggingFaceRegistrationTests
{
    [Fact]
    public void KernelBuilder_AddLocalEmbeddingGenerator_ResolvesOneSharedGenerator()
    {
        var kernel = Kernel.CreateBuilder().AddLocalEmbeddingGenerator().Build();

        var generator = kernel.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var local = Assert.IsType<LocalEmbeddingGenerator>(generator);
        Assert.Equal("all-MiniLM-L6-v2", local.ModelId);
        Assert.Same(generator, kernel.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public async Task KernelBuilder_ResolvedGenerator_Embeds()
    {
        var kernel = Kernel.CreateBuilder().AddLocalEmbeddingGenerator(o => o.BatchSize = 1).Build();

        var embeddings = await kernel.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()
            .GenerateAsync(["hello", "world"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(384, e.Vector.Length));
    }

    [Fact]
    public void ServiceCollection_WithKey_RegistersOnlyUnderThatKey()
    {
        using var provider = new ServiceCollection()
            .AddLocalEmbeddingGenerator(o => o.ModelId = "minilm-keyed", serviceKey: "local")
            .BuildServiceProvider();

        var keyed = provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("local");

        Assert.Equal("minilm-keyed", Assert.IsType<LocalEmbeddingGenerator>(keyed).ModelId);
        Assert.Null(provider.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void ServiceCollection_WithBadModelPath_FailsAtRegistration()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "model.onnx");
        var services = new ServiceCollection();

        var error = Assert.Throws<FileNotFoundException>(() => services.AddLocalEmbeddingGenerator(o => o.ModelPath = path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public async Task DisposingTheContainer_DisposesTheGenerator()
    {
        var provider = new ServiceCollection().AddLocalEmbeddingGenerator().BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        await provider.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["text"]));
    }
}
