using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Resilience;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Resilience;

public sealed class ResilienceKernelTests
{
    /// <summary>SK may pick any registered chat client, keyed ones included; the primary is named explicitly.</summary>
    private static PromptExecutionSettings UsePrimary() => new() { ServiceId = "primary" };

    private static void FastRetry(RetryOptions o)
    {
        o.BaseDelay = TimeSpan.Zero;
        o.TimeProvider = new FakeTimeProvider();
    }

    [Fact]
    public async Task Kernel_InvokePrompt_TransientFailure_IsRetried()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()), ScriptedTurn.FromText("Paris"));
        var kernel = TestKernels.Create(inner, f => f.UseRetry(FastRetry));

        var result = await kernel.InvokePromptAsync("Capital of France?");

        Assert.Equal("Paris", result.ToString());
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Kernel_InvokePromptStreaming_FailureBeforeFirstChunkIsRetried_FailureAfterItIsNot()
    {
        var inner = new ScriptedChatClient(
            ScriptedTurn.Throw(Failures.Unavailable()),
            ScriptedTurn.FromText("Pa", "ris"),
            ScriptedTurn.FromText("Ro", "me") with { Error = Failures.Unavailable(), FailAfter = 1 });
        var kernel = TestKernels.Create(inner, f => f.UseRetry(FastRetry));

        var first = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Capital of France?"))
        {
            first.Add(chunk.ToString());
        }

        var second = new List<string>();
        var error = await Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (var chunk in kernel.InvokePromptStreamingAsync("Capital of Italy?"))
            {
                second.Add(chunk.ToString());
            }
        });

        Assert.Equal("Paris", string.Concat(first));
        Assert.Equal(["Ro"], second);
        Assert.Equal(1, error.DeliveredUpdates);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task Kernel_InvokeFunction_FallsBackToAKeyedClient()
    {
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.FromText("from backup"));
        var kernel = TestKernels.Create(
            primary,
            f => f.UseFallback(o => o.FallbackClientKey = "backup"),
            services: s => s.AddKeyedSingleton<IChatClient>("primary", primary).AddKeyedSingleton<IChatClient>("backup", backup));
        var function = kernel.CreateFunctionFromPrompt("Summarise {{$topic}}", UsePrimary());

        var result = await kernel.InvokeAsync(function, new() { ["topic"] = "resilience" });

        Assert.Equal("from backup", result.ToString());
        Assert.Equal(1, primary.CallCount);
        Assert.Equal("Summarise resilience", backup.Calls.Single().LastUserText);
    }

    [Fact]
    public async Task Kernel_KeyedFallbackDecoratedByTheSameFilters_FailingToo_SurfacesWithoutLooping()
    {
        var second = Failures.BadRequest();
        var primary = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var backup = new ScriptedChatClient(ScriptedTurn.Throw(second));
        var kernel = TestKernels.Create(
            primary,
            f => f.UseFallback(o => o.FallbackClientKey = "backup"),
            services: s => s.AddKeyedSingleton<IChatClient>("primary", primary).AddKeyedSingleton<IChatClient>("backup", backup));

        var error = await Assert.ThrowsAsync<ProviderException>(() => kernel.InvokePromptAsync("hi", new KernelArguments(UsePrimary())));

        Assert.Same(second, error);
        Assert.Equal(1, primary.CallCount);
        Assert.Equal(1, backup.CallCount);
    }

    [Fact]
    public async Task Kernel_InvokePromptStreaming_FallsBackBeforeTheFirstChunk()
    {
        var primary = new ScriptedChatClient(call => call.Options?.ModelId == "small" ? ScriptedTurn.FromText("o", "k") : ScriptedTurn.Throw(new HttpRequestException("reset")));
        var kernel = TestKernels.Create(primary, f => f.UseFallback(o => o.FallbackModelId = "small"));

        var chunks = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("hi"))
        {
            chunks.Add(chunk.ToString());
        }

        Assert.Equal("ok", string.Concat(chunks));
        Assert.Equal(2, primary.CallCount);
        Assert.NotEqual("small", primary.Calls[0].Options?.ModelId);
        Assert.Equal("small", primary.Calls[1].Options?.ModelId);
    }

    [Fact]
    public async Task Kernel_CircuitBreaker_OpensAndRefusesPromptCalls()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(Failures.Unavailable()));
        var kernel = TestKernels.Create(inner, f => f.UseCircuitBreaker(o =>
        {
            o.MinimumThroughput = 2;
            o.TimeProvider = time;
        }));

        await Assert.ThrowsAsync<ProviderException>(() => kernel.InvokePromptAsync("1"));
        await Assert.ThrowsAsync<ProviderException>(() => kernel.InvokePromptAsync("2"));
        var refused = await Assert.ThrowsAsync<ProviderException>(() => kernel.InvokePromptAsync("3"));

        Assert.Equal("circuit_open", refused.ErrorCode);
        Assert.Equal(2, inner.CallCount);
    }
}
