using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>What the Azure client puts on the wire: route, api-version, the key header, and the body.</summary>
public sealed class AzureRequestTests : IAsyncLifetime
{
    private const string Key = "azure-key-0123456789abcdef0123456789abcdef";
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<OpenAIWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chat_UsesTheDeploymentRouteWithTheDefaultApiVersionAndTheApiKeyHeader()
    {
        _server.Enqueue(ScriptedReply.WithText("hi"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options());

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("hi", response.Text);
        var request = _server.Requests.Single();
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal(Key, request.Header("api-key"));
        Assert.Null(request.Header("authorization"));
        Assert.Equal("my-gpt4o", (string?)request.Body!["model"]);
    }

    [Fact]
    public async Task Chat_SendsTheConfiguredApiVersion()
    {
        _server.Enqueue(ScriptedReply.WithText("hi"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o => o.ApiVersion = "2025-04-01-preview"));

        await client.GetResponseAsync("hello");

        Assert.Equal("?api-version=2025-04-01-preview", _server.Requests.Single().Query);
    }

    [Fact]
    public async Task Chat_WithV1Api_UsesTheVersionlessRouteAndNamesTheDeploymentInTheBody()
    {
        _server.Enqueue(ScriptedReply.WithText("v1"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o => o.ApiVersion = "v1"));

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("v1", response.Text);
        var request = _server.Requests.Single();
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal(string.Empty, request.Query);
        Assert.Equal("my-gpt4o", (string?)request.Body!["model"]);
        Assert.Equal(Key, request.Header("api-key"));
    }

    [Fact]
    public async Task Chat_WithPreviewApi_UsesTheV1RouteWithApiVersionPreview()
    {
        _server.Enqueue(ScriptedReply.WithText("preview"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o => o.ApiVersion = "preview"));

        await client.GetResponseAsync("hello");

        var request = _server.Requests.Single();
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal("?api-version=preview", request.Query);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("openai/")]
    [InlineData("openai/v1")]
    public async Task Chat_EndpointCopiedWithTheOpenAISuffix_StillReachesTheDeployment(string suffix)
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o => o.Endpoint = new Uri(_server.BaseAddress, suffix)));

        await client.GetResponseAsync("hello");

        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions", _server.Requests.Single().Path);
    }

    [Fact]
    public async Task Chat_DeploymentNameWithSpecialCharacters_IsEscapedInThePath()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o => o.Deployment = "gpt 4o/mini"));

        await client.GetResponseAsync("hello");

        // The server unescapes the path; an unescaped slash would have split the deployment into two segments.
        Assert.Equal("/openai/deployments/gpt 4o%2Fmini/chat/completions", _server.Requests.Single().Path);
    }

    [Fact]
    public async Task Chat_WithModelIdOption_GoesToThatDeploymentsRoute()
    {
        _server.Enqueue(ScriptedReply.WithText("other"), ScriptedReply.WithText("other again"), ScriptedReply.WithText("default"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options());

        await client.GetResponseAsync("hello", new ChatOptions { ModelId = "gpt-4o-mini-eu" });
        await ToListAsync(client.GetStreamingResponseAsync("hello", new ChatOptions { ModelId = "gpt-4o-mini-eu" }));
        await client.GetResponseAsync("hello");

        Assert.Equal(
            ["/openai/deployments/gpt-4o-mini-eu/chat/completions", "/openai/deployments/gpt-4o-mini-eu/chat/completions", "/openai/deployments/my-gpt4o/chat/completions"],
            _server.Requests.Select(r => r.Path));
        Assert.All(_server.Requests, r => Assert.Equal("?api-version=2024-10-21", r.Query));
        Assert.All(_server.Requests, r => Assert.Equal(Key, r.Header("api-key")));
    }

    [Fact]
    public async Task Chat_WithV1ApiAndModelIdOption_NamesThatDeploymentInTheBody()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o => o.ApiVersion = "v1"));

        await client.GetResponseAsync("hello", new ChatOptions { ModelId = "gpt-4o-mini-eu" });

        var request = _server.Requests.Single();
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal("gpt-4o-mini-eu", (string?)request.Body!["model"]);
    }

    [Fact]
    public async Task Chat_AdditionalProperties_AreSentAsAzureRequestFields()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options());
        var options = new ChatOptions
        {
            ModelId = "my-gpt4o",
            AdditionalProperties = new() { ["user_security_context"] = new Dictionary<string, object> { ["application_name"] = "billing", ["end_user_id"] = "u-42" } },
        };

        await client.GetResponseAsync("hello", options);

        var context = _server.Requests.Single().Body!["user_security_context"];
        Assert.Equal("billing", (string?)context?["application_name"]);
        Assert.Equal("u-42", (string?)context?["end_user_id"]);
    }

    [Fact]
    public async Task Streaming_UsesTheDeploymentRouteAndStreams()
    {
        _server.Enqueue(ScriptedReply.WithText("one ", "two ", "three"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options());

        var text = string.Concat(await ToListAsync(client.GetStreamingResponseAsync("count")));

        Assert.Equal("one two three", text);
        var request = _server.Requests.Single();
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions", request.Path);
        Assert.Equal(true, (bool?)request.Body!["stream"]);
    }

    [Fact]
    public async Task Embeddings_UseTheEmbeddingDeploymentRouteWithApiVersionAndDimensions()
    {
        _server.Enqueue(new ScriptedReply());
        using var generator = AzureOpenAIClientFactory.CreateEmbeddingGenerator(Options(o =>
        {
            o.EmbeddingDeployment = "my-embeddings";
            o.EmbeddingDimensions = 12;
        }));

        var embeddings = await generator.GenerateAsync(["some text"]);

        Assert.Equal(DeterministicEmbedding.For("some text", 12), embeddings[0].Vector.ToArray());
        var request = _server.Requests.Single();
        Assert.Equal("/openai/deployments/my-embeddings/embeddings", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal(Key, request.Header("api-key"));
        Assert.Equal(12, (int?)request.Body!["dimensions"]);
    }

    [Fact]
    public async Task Chat_WithModelDefaults_SendsMaxTokensAndTemperatureFromOptions()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(o =>
        {
            o.MaxTokens = 321;
            o.Temperature = 0.5f;
        }));

        await client.GetResponseAsync("hello");

        var view = _server.Describe(_server.Requests.Single());
        Assert.Equal(321, view.MaxTokens);
        Assert.Equal(0.5, view.Temperature!.Value, 3);
    }

    [Fact]
    public async Task Chat_KeyNeverAppearsInLogsOrErrors()
    {
        var logs = new CollectingLoggerProvider();
        _server.Enqueue(ScriptedReply.WithError(401, "invalid_api_key", "Access denied due to invalid subscription key " + Key));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(), logs.CreateFactory());

        var exception = await Assert.ThrowsAsync<Core.ProviderException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(401, (int?)exception.StatusCode);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, Options().ToString(), StringComparison.Ordinal);
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<string>();
        await foreach (var update in updates)
        {
            list.Add(update.Text);
        }

        return list;
    }

    private AzureOpenAIOptions Options(Action<AzureOpenAIOptions>? configure = null)
    {
        var options = new AzureOpenAIOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Deployment = "my-gpt4o" };
        configure?.Invoke(options);
        return options;
    }
}
