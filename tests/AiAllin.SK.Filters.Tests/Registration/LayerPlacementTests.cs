using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.ChatClients;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Registration;

public sealed class LayerPlacementTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProviderRegistration_PutsLayersInsideTheToolLoop_SoEachModelCallIsSeen(bool filtersFirst)
    {
        var inner = new ScriptedChatClient(TestPlugins.CallFirstToolThenAnswer("Sunny."));
        var seen = new List<int>();
        var builder = Kernel.CreateBuilder();
        builder.Plugins.Add(TestPlugins.Weather());
        if (filtersFirst)
        {
            builder.AddAiAllinFilters(f => f.AddChatLayer((_, next) => new CountingChatClient(next, seen)));
        }

        builder.Services.AddProviderChatClient(serviceKey: null, new ProviderOptions(), (_, _) => inner);
        if (!filtersFirst)
        {
            builder.AddAiAllinFilters(f => f.AddChatLayer((_, next) => new CountingChatClient(next, seen)));
        }

        var kernel = builder.Build();

        var result = await kernel.InvokePromptAsync("Weather in Paris?", new KernelArguments(TestKernels.AutoInvokeSettings()));

        Assert.Equal("Sunny.", result.ToString());
        Assert.Equal(2, inner.CallCount);
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public async Task OtherClientRegistration_IsWrappedAsAWhole()
    {
        var inner = new ScriptedChatClient(TestPlugins.CallFirstToolThenAnswer("Sunny."));
        var seen = new List<int>();

        var kernel = TestKernels.Create(inner, f => f.AddChatLayer((_, next) => new CountingChatClient(next, seen)), plugins: TestPlugins.Weather());
        var result = await kernel.InvokePromptAsync("Weather in Paris?", new KernelArguments(TestKernels.AutoInvokeSettings()));

        Assert.Equal("Sunny.", result.ToString());
        Assert.Equal(2, inner.CallCount);
        Assert.Equal([1], seen);
    }

    [Fact]
    public async Task UseRegisteredLayers_WithoutFilters_LeavesTheClientAlone()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("plain"));
        var services = new ServiceCollection().BuildServiceProvider();

        var client = inner.AsBuilder().UseRegisteredLayers().Build(services);

        Assert.Same(inner, client);
        Assert.Equal("plain", (await client.GetResponseAsync("hi")).Text);
    }

    private sealed class CountingChatClient(IChatClient inner, List<int> seen) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            lock (seen)
            {
                seen.Add(seen.Count + 1);
            }

            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            lock (seen)
            {
                seen.Add(seen.Count + 1);
            }

            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }
}
