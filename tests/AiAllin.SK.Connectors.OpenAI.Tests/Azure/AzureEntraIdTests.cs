using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>Entra ID (RBAC) authentication: the token from a TokenCredential as a bearer header, cached, never logged.</summary>
public sealed class AzureEntraIdTests : IAsyncLifetime
{
    private const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-test-token.c2lnbmF0dXJl";
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<OpenAIWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chat_WithCredential_SendsTheBearerTokenForTheCognitiveServicesScopeAndNoApiKey()
    {
        _server.Enqueue(ScriptedReply.WithText("authorised"));
        var credential = new AzureTestCredential(Token);
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(credential));

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("authorised", response.Text);
        var request = _server.Requests.Single();
        Assert.Equal("Bearer " + Token, request.Header("authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.Equal(Token, _server.Describe(request).Credential);
        Assert.Equal(["https://cognitiveservices.azure.com/.default"], Assert.Single(credential.RequestedScopes));
    }

    [Fact]
    public async Task Chat_WithCredential_ReusesTheTokenUntilItNearsExpiry()
    {
        _server.Enqueue(ScriptedReply.WithText("one"), ScriptedReply.WithText("two"), ScriptedReply.WithText("three"));
        var credential = new AzureTestCredential(Token);
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(credential));

        await client.GetResponseAsync("1");
        await client.GetResponseAsync("2");
        await ToListAsync(client.GetStreamingResponseAsync("3"));

        Assert.Equal(1, credential.Calls);
        Assert.All(_server.Requests, r => Assert.Equal("Bearer " + Token, r.Header("authorization")));
    }

    [Fact]
    public async Task Chat_WithTokenAboutToExpire_FetchesAFreshOneForEachRequest()
    {
        _server.Enqueue(ScriptedReply.WithText("one"), ScriptedReply.WithText("two"));
        var credential = new AzureTestCredential(Token, lifetime: TimeSpan.FromMinutes(2));
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(credential));

        await client.GetResponseAsync("1");
        await client.GetResponseAsync("2");

        Assert.Equal(2, credential.Calls);
    }

    [Fact]
    public async Task Chat_WhenTheTokenIsRejected_FetchesANewOneForTheNextRequest()
    {
        _server.Enqueue(ScriptedReply.WithError(401, "PermissionDenied", "Principal does not have access to API/Operation."), ScriptedReply.WithText("after refresh"));
        var credential = new AzureTestCredential(Token);
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(credential));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("1"));
        var response = await client.GetResponseAsync("2");

        Assert.Equal(401, (int?)exception.StatusCode);
        Assert.Equal("after refresh", response.Text);
        Assert.Equal(2, credential.Calls);
    }

    [Fact]
    public async Task Chat_WithCustomScope_AsksTheCredentialForThatScope()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        var credential = new AzureTestCredential(Token);
        using var client = AzureOpenAIClientFactory.CreateChatClient(Options(credential, o => o.TokenScope = "https://ai.azure.com/.default"));

        await client.GetResponseAsync("hello");

        Assert.Equal(["https://ai.azure.com/.default"], Assert.Single(credential.RequestedScopes));
    }

    [Fact]
    public async Task Embeddings_WithCredential_SendTheBearerToken()
    {
        _server.Enqueue(new ScriptedReply());
        var credential = new AzureTestCredential(Token);
        using var generator = AzureOpenAIClientFactory.CreateEmbeddingGenerator(Options(credential, o => o.EmbeddingDeployment = "emb"));

        await generator.GenerateAsync(["text"]);

        var request = _server.Requests.Single();
        Assert.Equal("/openai/deployments/emb/embeddings", request.Path);
        Assert.Equal("Bearer " + Token, request.Header("authorization"));
        Assert.Null(request.Header("api-key"));
    }

    [Fact]
    public async Task Registered_WithCredential_IgnoresAnApiKeyInTheEnvironmentAndUsesTheToken()
    {
        _server.Enqueue(ScriptedReply.WithText("ok"));
        var credential = new AzureTestCredential(Token);
        var services = new ServiceCollection();

        // Were the variable's key applied next to the credential, validation would refuse both.
        OpenAIServiceCollectionExtensions.AddAzureOpenAIChatClient(
            services,
            o =>
            {
                o.Endpoint = _server.BaseAddress;
                o.Deployment = "my-gpt4o";
                o.Credential = credential;
            },
            serviceKey: null,
            getVariable: name => name == "AZURE_OPENAI_API_KEY" ? "env-key-that-must-not-be-used-0123456789" : null);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello");

        var request = _server.Requests.Single();
        Assert.Equal("Bearer " + Token, request.Header("authorization"));
        Assert.Null(request.Header("api-key"));
    }

    [Fact]
    public async Task Chat_WithCredential_TokenNeverAppearsInLogsErrorsOrOptions()
    {
        var logs = new CollectingLoggerProvider();
        _server.Enqueue(
            ScriptedReply.WithError(401, "PermissionDenied", "Token Bearer " + Token + " is not authorised"),
            ScriptedReply.WithError(500, "server_error", "boom"),
            ScriptedReply.WithText("ok"));
        var credential = new AzureTestCredential(Token);
        var options = Options(credential);
        using var client = AzureOpenAIClientFactory.CreateChatClient(options, logs.CreateFactory());

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("1"));
        await client.GetResponseAsync("2");

        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain("entra-test-token", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("entra-test-token", exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("entra-test-token", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("AzureTestCredential", options.ToString(), StringComparison.Ordinal);
    }

    private static async Task ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        await foreach (var update in updates)
        {
            _ = update;
        }
    }

    private AzureOpenAIOptions Options(AzureTestCredential credential, Action<AzureOpenAIOptions>? configure = null)
    {
        var options = new AzureOpenAIOptions { Endpoint = _server.BaseAddress, Credential = credential, Deployment = "my-gpt4o" };
        configure?.Invoke(options);
        return options;
    }
}
