using System.Collections.Concurrent;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using static AiAllin.SK.Connectors.Ollama.Tests.OllamaTestServer;

namespace AiAllin.SK.Connectors.Ollama.Tests;

public sealed class OllamaRegistrationTests
{
    [Fact]
    public void AddOllamaChatClient_WithoutModel_FailsAtRegistrationNamingTheSetting()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddOllamaChatClient(o => o.Endpoint = new Uri("http://localhost:11434")));

        // The message names the environment variable as the other way to set it.
        Assert.Contains("AiAllin:Ollama:Model is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains("OLLAMA_MODEL", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOllamaChatClient_PlainHttpOffLoopback_FailsUnlessAllowed()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddOllamaChatClient(o => { o.Model = "m"; o.Endpoint = new Uri("http://ollama.internal:11434"); }));
        services.AddOllamaChatClient(o => { o.Model = "m"; o.Endpoint = new Uri("http://ollama.internal:11434"); o.AllowInsecureHttp = true; });
        services.AddOllamaChatClient(o => { o.Model = "m"; o.Endpoint = new Uri("https://ollama.example.com"); });

        Assert.Contains("AiAllin:Ollama:Endpoint", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IChatClient)));
    }

    [Fact]
    public void AddOllamaChatClient_FromConfiguration_ValidatesWithTheSectionName()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:Local:Endpoint"] = "http://127.0.0.1:11434",
            ["Ai:Local:NumCtx"] = "-5",
            ["Ai:Local:Model"] = "m",
        }).Build();

        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddOllamaChatClient(configuration, "Ai:Local"));

        Assert.Contains("Ai:Local:NumCtx must be positive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOllamaChatClient_FromConfiguration_BindsEverySettingIntoTheRequest()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("ok"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiAllin:Ollama:Endpoint"] = server.BaseAddress.ToString(),
            ["AiAllin:Ollama:Model"] = "my-model:latest",
            ["AiAllin:Ollama:KeepAlive"] = "-1",
            ["AiAllin:Ollama:NumCtx"] = "4096",
            ["AiAllin:Ollama:Temperature"] = "0.5",
            ["AiAllin:Ollama:MaxTokens"] = "99",
            ["AiAllin:Ollama:Think"] = "false",
            ["AiAllin:Ollama:ApiKey"] = "proxy-secret-7a8b9c0d1e2f",
            ["AiAllin:Ollama:ModelOptions:top_k"] = "5",
            ["AiAllin:Ollama:ModelOptions:repeat_penalty"] = "1.2",
            ["AiAllin:Ollama:ModelOptions:use_mmap"] = "false",
            ["AiAllin:Ollama:ModelOptions:stop_word"] = "END",
        }).Build();
        var services = new ServiceCollection();
        services.AddOllamaChatClient(configuration);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        var request = server.Requests.Single();
        var view = server.Describe(request);
        Assert.Equal("my-model:latest", view.Model);
        Assert.Equal(99, view.MaxTokens);
        Assert.Equal(0.5, view.Temperature);
        Assert.Equal("proxy-secret-7a8b9c0d1e2f", view.Credential);
        Assert.Equal("-1s", request.Body!["keep_alive"]!.GetValue<string>());
        Assert.Equal(4096, request.Body["options"]!["num_ctx"]!.GetValue<int>());
        Assert.False(request.Body["think"]!.GetValue<bool>());
        Assert.Equal(5, request.Body["options"]!["top_k"]!.GetValue<int>());
        Assert.Equal(1.2, request.Body["options"]!["repeat_penalty"]!.GetValue<double>());
        Assert.False(request.Body["options"]!["use_mmap"]!.GetValue<bool>());
        Assert.Equal("END", request.Body["options"]!["stop_word"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("127.0.0.1:11500", "http://127.0.0.1:11500/")]
    [InlineData("http://localhost:11434", "http://localhost:11434/")]
    [InlineData("https://ollama.example.com/", "https://ollama.example.com/")]
    public void EnvironmentDefaults_ReadOllamaHostWithOrWithoutSchemeAndTheModel(string host, string expected)
    {
        var variables = new Dictionary<string, string> { ["OLLAMA_HOST"] = host, ["OLLAMA_MODEL"] = "qwen3:8b" };
        var options = new OllamaOptions();

        options.ApplyEnvironmentDefaults(name => variables.GetValueOrDefault(name));

        Assert.Equal(new Uri(expected), options.EffectiveEndpoint);
        Assert.Equal("qwen3:8b", options.Model);
        Assert.Empty(options.GetValidationErrors(OllamaOptions.DefaultSectionName));
    }

    [Fact]
    public void EnvironmentDefaults_EmbeddingModelVariableWinsOverTheChatModel()
    {
        var variables = new Dictionary<string, string> { ["OLLAMA_MODEL"] = "qwen3:8b", ["OLLAMA_EMBEDDING_MODEL"] = "nomic-embed-text" };
        var options = new OllamaEmbeddingOptions();

        options.ApplyEnvironmentDefaults(name => variables.GetValueOrDefault(name));

        Assert.Equal("nomic-embed-text", options.Model);
        Assert.Equal(OllamaOptions.DefaultEndpoint, options.EffectiveEndpoint);
    }

    [Theory]
    [InlineData("5m", "5m")]
    [InlineData("-1", "-1s")]
    [InlineData("3600", "3600s")]
    [InlineData("0", "0")]
    public void KeepAlive_BareNumbersAreSentAsSeconds(string configured, string sent)
    {
        Assert.Equal(sent, new OllamaOptions { KeepAlive = configured }.KeepAliveForWire);
    }

    [Fact]
    public void Options_NeedNoKey_AndNeverShowOne()
    {
        var keyless = new OllamaOptions { Model = "m" };
        var withKey = new OllamaOptions { Model = "m", ApiKey = "proxy-secret-7a8b9c0d1e2f" };

        Assert.Empty(keyless.GetValidationErrors(OllamaOptions.DefaultSectionName));
        Assert.DoesNotContain("proxy-secret-7a8b9c0d1e2f", withKey.ToString(), StringComparison.Ordinal);
        Assert.Contains("localhost:11434", withKey.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelBuilder_AddOllamaEmbeddingGenerator_ResolvesAWorkingGenerator()
    {
        await using var server = await StartAsync();
        server.Enqueue(new ScriptedReply());
        var builder = Kernel.CreateBuilder();
        builder.AddOllamaEmbeddingGenerator(o => { o.Endpoint = server.BaseAddress; o.Model = "nomic-embed-text"; o.Dimensions = 4; }, serviceKey: "local");
        var kernel = builder.Build();

        var generator = kernel.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("local");
        var embeddings = await generator.GenerateAsync(["kernel text"], cancellationToken: Guard());

        Assert.Equal(DeterministicEmbedding.For("kernel text", 4), embeddings[0].Vector.ToArray());
        Assert.Equal("nomic-embed-text", embeddings[0].ModelId);
    }

    [Fact]
    public async Task KernelBuilder_AddOllamaChatClient_KeyedService_AnswersPrompts()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("keyed ", "answer"));
        var builder = Kernel.CreateBuilder();
        builder.AddOllamaChatClient(o => { o.Endpoint = server.BaseAddress; o.Model = "m"; }, serviceKey: "local");
        var kernel = builder.Build();

        var result = await kernel.InvokePromptAsync("hi", new KernelArguments(new PromptExecutionSettings { ServiceId = "local" }), cancellationToken: Guard());

        Assert.Equal("keyed answer", result.ToString());
    }

    [Fact]
    public async Task HttpClientName_SendsChatAndEmbeddingsThroughTheNamedClient()
    {
        await using var server = await StartAsync();
        server.Enqueue(ScriptedReply.WithText("named"));
        server.Enqueue(new ScriptedReply());
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("ollama").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddOllamaChatClient(o => { o.Endpoint = server.BaseAddress; o.Model = "m"; o.HttpClientName = "ollama"; });
        services.AddOllamaEmbeddingGenerator(o => { o.Endpoint = server.BaseAddress; o.Model = "e"; o.Dimensions = 4; o.HttpClientName = "ollama"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());
        var embeddings = await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["text"], cancellationToken: Guard());

        Assert.Equal("named", response.Text);
        Assert.Equal(DeterministicEmbedding.For("text", 4), embeddings[0].Vector.ToArray());
        Assert.Equal(["/api/chat", "/api/embed"], paths);
    }
}
