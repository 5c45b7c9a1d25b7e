using System.Collections.Concurrent;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using static AiAllin.SK.Connectors.HuggingFace.Tests.Remote.TeiTestKit;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Remote;

/// <summary>Registration of the TEI generator and reranker and the Inference API generator: delegate, configuration, environment, keys, validation at startup.</summary>
public sealed class RemoteRegistrationTests
{
    [Fact]
    public async Task AddTextEmbeddingsInferenceGenerator_FromEnvironment_UsesTeiUrlAndKey()
    {
        await using var server = await WireServer.StartAsync<TextEmbeddingsInferenceWireServer>();
        server.Enqueue(new ScriptedReply());
        var variables = new Dictionary<string, string?> { ["TEI_URL"] = server.BaseAddress.AbsoluteUri, ["TEI_API_KEY"] = Key, ["HF_TOKEN"] = "hf_not_for_tei" };
        var services = new ServiceCollection();
        HuggingFaceServiceCollectionExtensions.AddTextEmbeddingsInferenceGenerator(services, null, null, variables.GetValueOrDefault);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["x"]);

        Assert.Equal(Key, server.Describe(server.Requests.Single()).Credential);
    }

    [Fact]
    public void AddTextEmbeddingsInferenceGenerator_WithoutEndpoint_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() =>
            HuggingFaceServiceCollectionExtensions.AddTextEmbeddingsInferenceGenerator(services, o => o.MaxBatchSize = 0, null, _ => null));

        Assert.Contains("AiAllin:TextEmbeddingsInference:Endpoint", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AiAllin:TextEmbeddingsInference:MaxBatchSize", exception.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public async Task AddTextEmbeddingsInferenceReranker_FromConfigurationWithKey_ResolvesKeyedReranker()
    {
        await using var server = await WireServer.StartAsync<TextEmbeddingsInferenceWireServer>();
        server.IsReranker = true;
        server.Enqueue(new ScriptedReply());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiAllin:TextEmbeddingsInferenceReranker:Endpoint"] = server.BaseAddress.AbsoluteUri,
            ["AiAllin:TextEmbeddingsInferenceReranker:MaxBatchSize"] = "16",
            ["AiAllin:TextEmbeddingsInferenceReranker:RawScores"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddTextEmbeddingsInferenceReranker(configuration, serviceKey: "rerank");
        await using var provider = services.BuildServiceProvider();

        var results = await provider.GetRequiredKeyedService<IReranker>("rerank").RerankAsync("deep learning", ["cats", "deep learning basics"]);

        Assert.Null(provider.GetService<IReranker>());
        Assert.Equal(1, results[0].Index);
        Assert.True(server.Requests.Single().Body!["raw_scores"]!.GetValue<bool>());
    }

    [Fact]
    public async Task KernelBuilder_AddHuggingFaceInferenceEmbeddingGenerator_TakesTheKeyFromHuggingFaceApiKeyVariable()
    {
        await using var server = await WireServer.StartAsync<HuggingFaceInferenceWireServer>();
        server.Enqueue(new ScriptedReply());
        var variables = new Dictionary<string, string?>
        {
            ["HUGGINGFACE_API_KEY"] = Key,
            ["HF_EMBEDDING_MODEL"] = "intfloat/multilingual-e5-large",
            ["HF_INFERENCE_ENDPOINT"] = new Uri(server.BaseAddress, "hf-inference/").AbsoluteUri,
        };
        var services = new ServiceCollection();
        HuggingFaceServiceCollectionExtensions.AddHuggingFaceInferenceEmbeddingGenerator(services, null, "hf", variables.GetValueOrDefault);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("hf").GenerateAsync(["x"]);

        var view = server.Describe(server.Requests.Single());
        Assert.Equal(Key, view.Credential);
        Assert.Equal("intfloat/multilingual-e5-large", view.Model);
    }

    [Fact]
    public void KernelBuilder_AddsEachRemoteClient()
    {
        var builder = Kernel.CreateBuilder();
        builder.AddTextEmbeddingsInferenceGenerator(o => o.Endpoint = new Uri("http://127.0.0.1:9/"), serviceKey: "tei");
        builder.AddTextEmbeddingsInferenceReranker(o => o.Endpoint = new Uri("http://127.0.0.1:9/"));
        builder.AddHuggingFaceInferenceEmbeddingGenerator(o =>
        {
            o.ApiKey = Key;
            o.Model = "BAAI/bge-small-en-v1.5";
        });
        var kernel = builder.Build();

        Assert.IsType<TextEmbeddingsInferenceGenerator>(kernel.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("tei"));
        Assert.IsType<TextEmbeddingsInferenceReranker>(kernel.Services.GetRequiredService<IReranker>());
        Assert.IsType<HuggingFaceInferenceEmbeddingGenerator>(kernel.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public async Task HttpClientName_SendsEmbeddingsAndRerankThroughTheNamedClient()
    {
        await using var server = await WireServer.StartAsync<TextEmbeddingsInferenceWireServer>();
        server.IsReranker = true;
        server.Enqueue(new ScriptedReply(), new ScriptedReply());
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("tei").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddTextEmbeddingsInferenceGenerator(o => { o.Endpoint = server.BaseAddress; o.HttpClientName = "tei"; });
        services.AddTextEmbeddingsInferenceReranker(o => { o.Endpoint = server.BaseAddress; o.HttpClientName = "tei"; });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["text"]);
        await provider.GetRequiredService<IReranker>().RerankAsync("q", ["d"]);

        Assert.Equal(["/embed", "/rerank"], paths);
    }

    [Fact]
    public void Options_PlainHttpToRemoteTeiHost_IsRejectedUnlessAllowed()
    {
        var options = new TextEmbeddingsInferenceOptions { Endpoint = new Uri("http://tei.internal:8080/"), ApiKey = Key };

        var exception = Assert.Throws<InvalidOperationException>(() => options.Validate(TextEmbeddingsInferenceOptions.DefaultSectionName));
        options.AllowInsecureHttp = true;
        options.Validate(TextEmbeddingsInferenceOptions.DefaultSectionName);

        Assert.Contains("AllowInsecureHttp", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.Message, StringComparison.Ordinal);
    }
}
