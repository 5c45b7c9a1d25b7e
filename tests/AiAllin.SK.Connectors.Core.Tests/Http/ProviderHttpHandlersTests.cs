using System.Collections.Concurrent;
using System.Net;
using AiAllin.SK.Connectors.Core.ChatClients;
using AiAllin.SK.Connectors.Core.Http;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.Core.Tests.Http;

public sealed class ProviderHttpHandlersTests
{
    [Fact]
    public void Resolve_WithoutName_LeavesTheProviderItsOwnHandler()
    {
        using var provider = new ServiceCollection().AddHttpClient().BuildServiceProvider();

        Assert.Null(ProviderHttpHandlers.Resolve(provider, new TestProviderOptions()));
    }

    [Fact]
    public async Task Resolve_WithName_SendsEveryRequestThroughThatClientsHandlerChain()
    {
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("llm")
            .AddHttpMessageHandler(() => new RecordingHandler(paths))
            .ConfigurePrimaryHttpMessageHandler(() => new AnsweringHandler());
        using var provider = services.BuildServiceProvider();
        var handler = ProviderHttpHandlers.Resolve(provider, new TestProviderOptions { HttpClientName = "llm" });
        using var client = new HttpClient(handler!, disposeHandler: false);

        using var first = await client.GetAsync(new Uri("http://127.0.0.1/one"));
        using var second = await client.GetAsync(new Uri("http://127.0.0.1/two"));

        Assert.Equal("answered /one", await first.Content.ReadAsStringAsync());
        Assert.Equal("answered /two", await second.Content.ReadAsStringAsync());
        Assert.Equal(["/one", "/two"], paths);
    }

    [Fact]
    public void Resolve_WithNameButNoFactory_FailsNamingTheFix()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => ProviderHttpHandlers.Resolve(provider, new TestProviderOptions { HttpClientName = "llm" }));

        Assert.Contains("HttpClientName is 'llm'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AddHttpClient(\"llm\")", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BlankName_IsRefusedNamingTheSetting()
    {
        var options = new TestProviderOptions { ApiKey = "k", Model = "m", HttpClientName = " " };

        var exception = Assert.Throws<InvalidOperationException>(() => options.Validate("AiAllin:Test"));

        Assert.Contains("AiAllin:Test:HttpClientName must not be blank", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_ShowsTheName()
    {
        var options = new TestProviderOptions { Model = "m", HttpClientName = "llm" };

        Assert.Contains("HttpClientName = llm", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddProviderChatClient_PassesTheNamedHandlerToTheFactoryDelegate()
    {
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("llm")
            .AddHttpMessageHandler(() => new RecordingHandler(paths))
            .ConfigurePrimaryHttpMessageHandler(() => new AnsweringHandler());
        services.AddProviderChatClient(serviceKey: null, new TestProviderOptions { HttpClientName = "llm" }, (_, handler) => new HttpEchoChatClient(handler!));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("answered /chat", response.Text);
        Assert.Equal(["/chat"], paths);
    }

    private sealed class AnsweringHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("answered " + request.RequestUri!.AbsolutePath) });
    }

    private sealed class HttpEchoChatClient(HttpMessageHandler handler) : IChatClient
    {
        private readonly HttpClient _http = new(handler, disposeHandler: false);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => new(new ChatMessage(ChatRole.Assistant, await _http.GetStringAsync(new Uri("http://127.0.0.1/chat"), cancellationToken)));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => _http.Dispose();
    }
}
