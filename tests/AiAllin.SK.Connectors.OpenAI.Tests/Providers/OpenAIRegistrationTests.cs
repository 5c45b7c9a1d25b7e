using System.Collections.Concurrent;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Providers;

/// <summary>Registration of OpenAI, Groq and OpenAI-compatible clients: delegate, configuration, environment, validation at startup.</summary>
public sealed class OpenAIRegistrationTests
{
    private const string Key = "sk-registration-5e4d3c2b1a0f9e8d7c6b";

    [Fact]
    public void AddOpenAIChatClient_WithoutKey_ThrowsAtRegistrationNamingTheSettingAndVariable()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() =>
            OpenAIServiceCollectionExtensions.AddOpenAIChatClient(services, o => o.Model = "gpt-4o-mini", null, NoVariables));

        Assert.Contains("AiAllin:OpenAI:ApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public void AddOpenAIChatClient_WithoutModel_ThrowsNamingModelButNotTheKey()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            OpenAIServiceCollectionExtensions.AddOpenAIChatClient(new ServiceCollection(), o => o.ApiKey = Key, null, NoVariables));

        Assert.Contains("AiAllin:OpenAI:Model", exception.Message, StringComparison.Ordinal);
        Assert.Contains("OPENAI_MODEL", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOpenAIChatClient_PlainHttpToRemoteHost_IsRejectedUnlessAllowed()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddOpenAIChatClient(o => Configure(o, new Uri("http://models.internal:8000/v1"))));

        Assert.Contains("AiAllin:OpenAI:Endpoint", exception.Message, StringComparison.Ordinal);
        new ServiceCollection().AddOpenAIChatClient(o =>
        {
            Configure(o, new Uri("http://models.internal:8000/v1"));
            o.AllowInsecureHttp = true;
        });
    }

    [Fact]
    public void AddOpenAICompatibleChatClient_WithoutEndpoint_ThrowsNamingEndpoint_AndNeedsNoKey()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            OpenAIServiceCollectionExtensions.AddOpenAICompatibleChatClient(new ServiceCollection(), o => o.Model = "qwen2.5", null, NoVariables));

        Assert.Contains("AiAllin:OpenAICompatible:Endpoint", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ApiKey", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOpenAIEmbeddingGenerator_WithNonPositiveDimensions_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            OpenAIServiceCollectionExtensions.AddOpenAIEmbeddingGenerator(new ServiceCollection(), o => { o.ApiKey = Key; o.EmbeddingDimensions = 0; }, null, NoVariables));

        Assert.Contains("AiAllin:OpenAI:EmbeddingDimensions", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOpenAIChatClient_FromConfigurationSection_UsesItsSettingsIncludingOrganizationAndProject()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("configured"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiAllin:OpenAI:ApiKey"] = Key,
            ["AiAllin:OpenAI:Model"] = "gpt-4o-mini",
            ["AiAllin:OpenAI:Endpoint"] = new Uri(server.BaseAddress, "v1").ToString(),
            ["AiAllin:OpenAI:Organization"] = "org-abc",
            ["AiAllin:OpenAI:Project"] = "proj_xyz",
            ["AiAllin:OpenAI:MaxTokens"] = "321",
        }).Build();
        await using var provider = new ServiceCollection().AddOpenAIChatClient(configuration).BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("configured", response.Text);
        var request = server.Requests.Single();
        var view = server.Describe(request);
        Assert.Equal("gpt-4o-mini", view.Model);
        Assert.Equal(Key, view.Credential);
        Assert.Equal(321, view.MaxTokens);
        Assert.Equal("org-abc", request.Header("OpenAI-Organization"));
        Assert.Equal("proj_xyz", request.Header("OpenAI-Project"));
    }

    [Fact]
    public async Task AddOpenAIChatClient_FromEnvironment_UsesOpenAIVariables()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("from env"));
        var variables = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = Key,
            ["OPENAI_MODEL"] = "gpt-4.1-mini",
            ["OPENAI_BASE_URL"] = new Uri(server.BaseAddress, "v1").ToString(),
        };
        var services = new ServiceCollection();
        OpenAIServiceCollectionExtensions.AddOpenAIChatClient(services, null, null, name => variables.GetValueOrDefault(name));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("from env", response.Text);
        var view = server.Describe(server.Requests.Single());
        Assert.Equal("gpt-4.1-mini", view.Model);
        Assert.Equal(Key, view.Credential);
    }

    [Fact]
    public async Task AddGroqChatClient_FromEnvironment_UsesGroqKeyAndGroqEndpoint()
    {
        var variables = new Dictionary<string, string?> { ["GROQ_API_KEY"] = "gsk_registration0123456789", ["GROQ_MODEL"] = "llama-3.3-70b-versatile", ["OPENAI_API_KEY"] = Key };
        var services = new ServiceCollection();
        OpenAIServiceCollectionExtensions.AddGroqChatClient(services, null, null, name => variables.GetValueOrDefault(name));
        await using var provider = services.BuildServiceProvider();

        var metadata = provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();

        Assert.Equal(new Uri("https://api.groq.com/openai/v1"), metadata?.ProviderUri);
        Assert.Equal("llama-3.3-70b-versatile", metadata?.DefaultModelId);
    }

    [Fact]
    public void AddGroqChatClient_WithoutKey_NamesTheGroqSectionAndVariable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            OpenAIServiceCollectionExtensions.AddGroqChatClient(new ServiceCollection(), o => o.Model = "llama-3.1-8b-instant", null, name => name == "OPENAI_API_KEY" ? Key : null));

        Assert.Contains("AiAllin:Groq:ApiKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("GROQ_API_KEY", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOpenAIChatClient_WithServiceKey_RegistersAKeyedClient()
    {
        var services = new ServiceCollection();
        services.AddOpenAIChatClient(o => Configure(o, new Uri("http://127.0.0.1:9/v1")), serviceKey: "fast");
        await using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetKeyedService<IChatClient>("fast"));
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task KernelBuilder_AddOpenAIEmbeddingGenerator_ResolvesAndUsesTheEmbeddingModelAndDimensions()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(new ScriptedReply());
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIEmbeddingGenerator(o =>
        {
            o.ApiKey = Key;
            o.Endpoint = new Uri(server.BaseAddress, "v1");
            o.EmbeddingModel = "text-embedding-3-large";
            o.EmbeddingDimensions = 12;
        });
        var kernel = builder.Build();

        var embeddings = await kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["hello"]);

        Assert.Equal(DeterministicEmbedding.For("hello", 12), embeddings[0].Vector.ToArray());
        var body = server.Requests.Single().Body!;
        Assert.Equal("text-embedding-3-large", (string?)body["model"]);
        Assert.Equal(12, (int?)body["dimensions"]);
    }

    [Fact]
    public async Task AddOpenAIEmbeddingGenerator_WithoutEmbeddingModel_UsesTextEmbedding3Small()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(new ScriptedReply());
        var services = new ServiceCollection();
        OpenAIServiceCollectionExtensions.AddOpenAIEmbeddingGenerator(services, o => { o.ApiKey = Key; o.Endpoint = new Uri(server.BaseAddress, "v1"); }, null, NoVariables);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["x"]);

        Assert.Equal("text-embedding-3-small", (string?)server.Requests.Single().Body!["model"]);
    }

    [Fact]
    public void Presets_FillTheUsualBaseUrls()
    {
        Assert.Equal(new Uri("http://localhost:1234/v1"), OpenAICompatibleOptions.LMStudio("qwen2.5-7b").Endpoint);
        Assert.Equal(new Uri("http://localhost:8000/v1"), OpenAICompatibleOptions.Vllm("meta-llama/Llama-3.1-8B").Endpoint);
        Assert.Equal(new Uri("http://localhost:8080/v1"), OpenAICompatibleOptions.LlamaCpp().Endpoint);
        Assert.Equal(new Uri("http://localhost:11434/v1"), OpenAICompatibleOptions.Ollama("llama3.2").Endpoint);
        var together = OpenAICompatibleOptions.Together("meta-llama/Llama-3.3-70B-Instruct-Turbo", "tg-key-0123456789");
        Assert.Equal(new Uri("https://api.together.xyz/v1"), together.Endpoint);
        Assert.Equal("Together", together.ProviderName);
        Assert.Equal(new Uri("https://openrouter.ai/api/v1"), OpenAICompatibleOptions.OpenRouter("openai/gpt-4o-mini", "sk-or-v1-0123456789").Endpoint);
        Assert.Empty(OpenAICompatibleOptions.LMStudio("m").GetValidationErrors(OpenAICompatibleOptions.DefaultSectionName));
    }

    [Fact]
    public void Options_ToString_NeverShowsTheKey()
    {
        var options = new OpenAIOptions { ApiKey = Key, Model = "gpt-4o", Organization = "org-1" };

        var text = options.ToString();

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains("gpt-4o", text, StringComparison.Ordinal);
        Assert.Contains("org-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClientName_SendsChatAndEmbeddingsThroughTheNamedClient()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("named"));
        server.Enqueue(new ScriptedReply());
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("openai").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddOpenAIChatClient(o => { Configure(o, new Uri(server.BaseAddress, "v1")); o.HttpClientName = "openai"; });
        services.AddOpenAIEmbeddingGenerator(o => { Configure(o, new Uri(server.BaseAddress, "v1")); o.EmbeddingModel = "text-embedding-3-small"; o.HttpClientName = "openai"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");
        var embeddings = await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["text"]);

        Assert.Equal("named", response.Text);
        Assert.Single(embeddings);
        Assert.Equal(["/v1/chat/completions", "/v1/embeddings"], paths);
    }

    [Fact]
    public async Task HttpClientName_Azure_SendsThroughTheNamedClient()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("named"));
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("azure").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddAzureOpenAIChatClient(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Deployment = "gpt-4o"; o.HttpClientName = "azure"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("named", response.Text);
        Assert.Equal(["/openai/deployments/gpt-4o/chat/completions"], paths);
    }

    private static string? NoVariables(string name) => null;

    private static void Configure(OpenAIOptions options, Uri endpoint)
    {
        options.ApiKey = Key;
        options.Model = "gpt-4o-mini";
        options.Endpoint = endpoint;
    }
}
