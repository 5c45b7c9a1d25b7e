using System.Collections.Concurrent;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Gemini.Tests;

public sealed class GeminiRegistrationTests
{
    private const string Key = "AIzaSyRegistration-0123456789abcdefghij";

    [Fact]
    public void AddGeminiChatClient_WithoutKey_FailsAtRegistrationNamingTheSettingAndVariables()
    {
        var options = new GeminiOptions { Model = "gemini-2.5-flash" };
        options.ApplyEnvironmentDefaults(_ => null);

        var exception = Assert.Throws<InvalidOperationException>(() => options.Validate(GeminiOptions.DefaultSectionName));

        Assert.Contains("AiAllin:Gemini:ApiKey is required (or set GEMINI_API_KEY or GOOGLE_API_KEY)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GEMINI_API_KEY")]
    [InlineData("GOOGLE_API_KEY")]
    public void EnvironmentDefaults_TakeTheKeyFromEitherVariable_GeminiFirst(string variable)
    {
        var options = new GeminiOptions();
        var environment = new Dictionary<string, string?> { [variable] = Key, ["GEMINI_MODEL"] = "gemini-2.5-pro" };
        if (variable == "GOOGLE_API_KEY")
        {
            environment["GEMINI_API_KEY"] = null;
        }
        else
        {
            environment["GOOGLE_API_KEY"] = "AIzaSy-the-other-one";
        }

        options.ApplyEnvironmentDefaults(name => environment.GetValueOrDefault(name));

        Assert.Equal(Key, options.ApiKey);
        Assert.Equal("gemini-2.5-pro", options.Model);
        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("AIza", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void VertexOptions_WithoutLocationOrToken_FailNamingBoth_AndNeedNoKey()
    {
        var options = new GeminiOptions { Model = "gemini-2.5-flash", VertexProject = "p" };

        var errors = options.GetValidationErrors("AiAllin:Gemini");

        Assert.Contains(errors, e => e.StartsWith("AiAllin:Gemini:VertexLocation is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiAllin:Gemini:AccessTokenProvider is required", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("ApiKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_RejectBadSafetySettingsThinkingBudgetAndEmbeddingVertex()
    {
        var chat = new GeminiOptions { ApiKey = Key, Model = "m", ThinkingBudget = -7 };
        chat.SafetySettings.Add(new GeminiSafetySetting { Category = "HARM_CATEGORY_HARASSMENT" });
        var embed = new GeminiEmbeddingOptions { Model = "text-embedding-004", VertexProject = "p", VertexLocation = "us-central1", AccessTokenProvider = _ => ValueTask.FromResult("t"), Dimensions = 0, TaskType = "retrieval" };

        var chatErrors = chat.GetValidationErrors("S");
        var embedErrors = embed.GetValidationErrors("S");

        Assert.Contains(chatErrors, e => e.StartsWith("S:ThinkingBudget", StringComparison.Ordinal));
        Assert.Contains(chatErrors, e => e.StartsWith("S:SafetySettings:0 needs both", StringComparison.Ordinal));
        Assert.Contains(embedErrors, e => e.StartsWith("S:VertexProject is not supported for embeddings", StringComparison.Ordinal));
        Assert.Contains(embedErrors, e => e.StartsWith("S:Dimensions must be positive", StringComparison.Ordinal));
        Assert.Contains(embedErrors, e => e.StartsWith("S:TaskType must be", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddGeminiChatClient_FromConfiguration_BindsEverySettingIntoTheRequest()
    {
        await using var server = await WireServer.StartAsync<GeminiWireServer>();
        server.Enqueue(ScriptedReply.WithText("ok"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:Google:Endpoint"] = server.BaseAddress.ToString(),
            ["Ai:Google:ApiKey"] = Key,
            ["Ai:Google:Model"] = "gemini-2.5-flash-lite",
            ["Ai:Google:MaxTokens"] = "99",
            ["Ai:Google:Temperature"] = "1.5",
            ["Ai:Google:ThinkingBudget"] = "0",
            ["Ai:Google:SafetySettings:0:Category"] = "HARM_CATEGORY_HATE_SPEECH",
            ["Ai:Google:SafetySettings:0:Threshold"] = "BLOCK_LOW_AND_ABOVE",
        }).Build();
        var services = new ServiceCollection();
        services.AddGeminiChatClient(configuration, "Ai:Google", serviceKey: "google");
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IChatClient>("google").GetResponseAsync("hi");

        var request = server.Requests.Single();
        var view = server.Describe(request);
        Assert.Equal("gemini-2.5-flash-lite", view.Model);
        Assert.Equal(99, view.MaxTokens);
        Assert.Equal(1.5, view.Temperature);
        Assert.Equal(Key, view.Credential);
        Assert.Equal(0, request.Body!["generationConfig"]!["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());
        Assert.Equal("BLOCK_LOW_AND_ABOVE", request.Body!["safetySettings"]![0]!["threshold"]!.GetValue<string>());
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task KernelBuilder_Registrations_ResolveBothServices()
    {
        await using var server = await WireServer.StartAsync<GeminiWireServer>();
        server.Enqueue(ScriptedReply.WithText("kernel ok"), new ScriptedReply());
        var builder = Kernel.CreateBuilder()
            .AddGeminiChatClient(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "gemini-2.5-flash"; })
            .AddGeminiEmbeddingGenerator(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "gemini-embedding-001"; o.TaskType = "RETRIEVAL_QUERY"; });
        var kernel = builder.Build();

        var answer = await kernel.InvokePromptAsync("hello");
        var vectors = await kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["q"]);

        Assert.Equal("kernel ok", answer.ToString());
        Assert.Equal(DeterministicEmbedding.For("q", 8), vectors[0].Vector.ToArray());
        Assert.Equal("RETRIEVAL_QUERY", server.Requests[1].Body!["taskType"]!.GetValue<string>());
    }

    [Fact]
    public void AddGeminiEmbeddingGenerator_WithoutModel_FailsNamingTheVariable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddGeminiEmbeddingGenerator(o => { o.ApiKey = Key; o.Model = " "; }));

        Assert.Contains("AiAllin:Gemini:Model is required (or set GEMINI_EMBEDDING_MODEL)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClientName_SendsChatAndEmbeddingsThroughTheNamedClient()
    {
        await using var server = await WireServer.StartAsync<GeminiWireServer>();
        server.Enqueue(ScriptedReply.WithText("named"), new ScriptedReply());
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("gemini").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddGeminiChatClient(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "gemini-2.5-flash"; o.HttpClientName = "gemini"; });
        services.AddGeminiEmbeddingGenerator(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "gemini-embedding-001"; o.HttpClientName = "gemini"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");
        var vectors = await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["q"]);

        Assert.Equal("named", response.Text);
        Assert.Single(vectors);
        Assert.Equal(server.Requests.Select(r => r.Path), paths);
        Assert.Equal(2, paths.Count);
    }
}
