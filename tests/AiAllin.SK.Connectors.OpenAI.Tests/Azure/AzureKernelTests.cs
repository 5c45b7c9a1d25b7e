using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>Azure OpenAI through a Semantic Kernel built with the kernel-builder registrations.</summary>
public sealed class AzureKernelTests : IAsyncLifetime
{
    private const string Key = "azure-key-0123456789abcdef0123456789abcdef";
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<OpenAIWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task InvokePrompt_WithModelIdInTheExecutionSettings_GoesToThatDeployment()
    {
        _server.Enqueue(ScriptedReply.WithText("from the other deployment"));
        var kernel = Kernel.CreateBuilder().AddAzureOpenAIChatClient(Configure).Build();

        var result = await kernel.InvokePromptAsync("hello", new KernelArguments(new PromptExecutionSettings { ModelId = "gpt-4o-eu" }));

        Assert.Equal("from the other deployment", result.ToString());
        Assert.Equal("/openai/deployments/gpt-4o-eu/chat/completions", _server.Requests.Single().Path);
    }

    [Fact]
    public async Task InvokePromptStreaming_SurfacesTheContentFilterVerdictsOnTheStreamedContent()
    {
        _server.Enqueue(ScriptedReply.WithText("The ", "fight") with
        {
            FinishReason = "content_filter",
            Extras = new Dictionary<string, object?> { [OpenAIWireServer.AzureContentFilterExtra] = "violence" },
        });
        var kernel = Kernel.CreateBuilder().AddAzureOpenAIChatClient(Configure).Build();
        var text = string.Empty;
        var verdicts = new List<AzureOpenAIContentFilterResults>();

        await foreach (var chunk in kernel.InvokePromptStreamingAsync<ChatResponseUpdate>("a story"))
        {
            text += chunk.Text;
            if (AzureOpenAIContentFilterResults.ForCompletion(chunk.AdditionalProperties) is { } verdict)
            {
                verdicts.Add(verdict);
            }
        }

        Assert.Equal("The fight", text);
        Assert.True(verdicts[^1].Categories["violence"].Filtered);
    }

    [Fact]
    public async Task EmbeddingGenerator_RegisteredOnTheKernelBuilder_ResolvesAndEmbeds()
    {
        _server.Enqueue(new ScriptedReply());
        var kernel = Kernel.CreateBuilder().AddAzureOpenAIEmbeddingGenerator(o =>
        {
            Configure(o);
            o.EmbeddingDeployment = "embeddings";
        }).Build();

        var generator = kernel.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embeddings = await generator.GenerateAsync(["kernel text"]);

        Assert.Equal(DeterministicEmbedding.For("kernel text", 8), embeddings[0].Vector.ToArray());
        Assert.Equal("/openai/deployments/embeddings/embeddings", _server.Requests.Single().Path);
    }

    private void Configure(AzureOpenAIOptions options)
    {
        options.Endpoint = _server.BaseAddress;
        options.ApiKey = Key;
        options.Deployment = "gpt-4o";
    }
}
