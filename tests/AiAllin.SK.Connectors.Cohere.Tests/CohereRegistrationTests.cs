using System.Collections.Concurrent;
using AiAllin.SK.Connectors.Core.Reranking;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Cohere.Tests;

public sealed class CohereRegistrationTests
{
    private const string Key = "co-reg-5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b";

    [Fact]
    public void Options_FallBackToCohereApiKeyThenCoApiKey()
    {
        var first = new CohereOptions();
        first.ApplyEnvironmentDefaults(name => name switch { "COHERE_API_KEY" => "from-cohere", "CO_API_KEY" => "from-co", _ => null });
        var second = new CohereOptions();
        second.ApplyEnvironmentDefaults(name => name == "CO_API_KEY" ? "from-co " : null);

        Assert.Equal("from-cohere", first.ApiKey);
        Assert.Equal("from-co", second.ApiKey);
    }

    [Fact]
    public void Options_EmbeddingModelComesFromItsOwnVariableFirst()
    {
        var options = new CohereEmbeddingOptions();
        options.ApplyEnvironmentDefaults(name => name switch { "COHERE_EMBEDDING_MODEL" => "embed-v4.0", "COHERE_MODEL" => "command-a-03-2025", _ => null });

        Assert.Equal("embed-v4.0", options.Model);
    }

    [Fact]
    public void AddCohereChatClient_WithoutKeyOrModel_FailsAtRegistrationNamingTheSettings()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddCohereChatClient(o => o.ApiKey = " "));

        Assert.Contains("AiAllin:Cohere:ApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("COHERE_API_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AiAllin:Cohere:Model", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(services, s => s.ServiceType == typeof(IChatClient));
    }

    [Fact]
    public void AddCohereEmbeddingGenerator_WithABatchOverTheApiLimit_FailsNamingIt()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCohereEmbeddingGenerator(o => { o.ApiKey = Key; o.Model = "embed-v4.0"; o.BatchSize = 200; }));

        Assert.Contains("AiAllin:Cohere:BatchSize", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var options = new CohereOptions { ApiKey = Key, Model = "command-a-03-2025", CitationMode = CohereCitationMode.Fast };

        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("CitationMode = Fast", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registrations_FromConfiguration_ResolveKeyedAndOnTheKernelBuilder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiAllin:Cohere:ApiKey"] = Key,
            ["AiAllin:Cohere:Model"] = "command-a-03-2025",
            ["AiAllin:CohereEmbed:ApiKey"] = Key,
            ["AiAllin:CohereEmbed:Model"] = "embed-v4.0",
            ["AiAllin:CohereEmbed:InputType"] = "Clustering",
            ["AiAllin:CohereRerank:ApiKey"] = Key,
            ["AiAllin:CohereRerank:Model"] = "rerank-v3.5",
        }).Build();
        var builder = Kernel.CreateBuilder();
        builder.AddCohereChatClient(configuration, serviceKey: "cohere");
        builder.AddCohereEmbeddingGenerator(configuration, "AiAllin:CohereEmbed");
        builder.AddCohereReranker(configuration, "AiAllin:CohereRerank");
        await using var provider = builder.Services.BuildServiceProvider();

        var chat = provider.GetRequiredKeyedService<IChatClient>("cohere");
        var embeddings = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.Equal("command-a-03-2025", chat.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.NotNull(chat.GetService<CohereChatClient>());
        Assert.Equal("embed-v4.0", embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.IsType<CohereReranker>(provider.GetRequiredService<IReranker>());
    }

    [Fact]
    public async Task HttpClientName_SendsChatEmbeddingsAndRerankThroughTheNamedClient()
    {
        await using var server = await WireServer.StartAsync<CohereWireServer>();
        server.Enqueue(ScriptedReply.WithText("named"), new ScriptedReply(), new ScriptedReply());
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("cohere").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddCohereChatClient(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "command-a-03-2025"; o.HttpClientName = "cohere"; });
        services.AddCohereEmbeddingGenerator(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "embed-v4.0"; o.HttpClientName = "cohere"; });
        services.AddCohereReranker(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "rerank-v3.5"; o.HttpClientName = "cohere"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");
        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["q"]);
        await provider.GetRequiredService<IReranker>().RerankAsync("q", ["a q", "b"]);

        Assert.Equal("named", response.Text);
        Assert.Equal([CohereWireServer.ChatPath, CohereWireServer.EmbedPath, CohereWireServer.RerankPath], paths);
    }
}
