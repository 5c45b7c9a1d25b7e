using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Filters.Tests.Resilience;

/// <summary>
/// The OpenAI-compatible client (its own HTTP retry on, <c>MaxRetries = 2</c> by default) against an OpenAI-format
/// server that keeps failing: the number of HTTP requests one failing call sends, with and without the filter pack's retry.
/// </summary>
public sealed class RetryWireTests
{
    private const int FilterRetries = 3;

    private static IChatClient Client(WireServer server, Action<AiAllinFiltersBuilder>? filters)
    {
        var services = new ServiceCollection();
        services.AddOpenAICompatibleChatClient(o =>
        {
            o.Name = "wire";
            o.Model = "local-model";
            o.Endpoint = new Uri(server.BaseAddress, "v1");
        });
        if (filters is not null)
        {
            services.AddAiAllinFilters(filters);
        }

        return services.BuildServiceProvider().GetRequiredService<IChatClient>();
    }

    private static void FailAlways(WireServer server)
    {
        for (var i = 0; i < 20; i++)
        {
            server.Enqueue(ScriptedReply.WithError(503, "server_overloaded", "The server is overloaded."));
        }
    }

    [Fact]
    public async Task FailingCall_UnderUseRetry_SendsOneRequestPerFilterAttempt_NotMultipliedByTheProvidersRetries()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        FailAlways(server);
        var client = Client(server, f => f.UseRetry(o =>
        {
            o.MaxRetries = FilterRetries;
            o.BaseDelay = TimeSpan.FromMilliseconds(5);
        }));

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(503, (int?)error.StatusCode);
        Assert.Equal(1 + FilterRetries, server.Requests.Count);
    }

    [Fact]
    public async Task FailingStream_UnderUseRetry_SendsOneRequestPerFilterAttempt()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        FailAlways(server);
        var client = Client(server, f => f.UseRetry(o =>
        {
            o.MaxRetries = FilterRetries;
            o.BaseDelay = TimeSpan.FromMilliseconds(5);
        }));

        await Assert.ThrowsAsync<ProviderException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi")));

        Assert.Equal(1 + FilterRetries, server.Requests.Count);
    }

    [Fact]
    public async Task FailingCall_WithoutTheFilterPacksRetry_IsRetriedByTheProvider()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        FailAlways(server);
        var client = Client(server, f => f.UseTimeout(TimeSpan.FromMinutes(1)));

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(1 + new OpenAICompatibleOptions().MaxRetries, server.Requests.Count);
    }
}
