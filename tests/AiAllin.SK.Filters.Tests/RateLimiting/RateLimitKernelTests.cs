using System.Net;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.RateLimiting;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.RateLimiting;

public sealed class RateLimitKernelTests
{
    private const string DefaultKey = "scripted/scripted-model/";

    [Fact]
    public async Task Kernel_InvokePrompt_OverTheRequestLimit_IsRejected()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("answer " + call.Index));
        var kernel = TestKernels.Create(inner, f => f.UseRateLimit(o =>
        {
            o.RequestsPerWindow = 2;
            o.TimeProvider = time;
        }));

        await kernel.InvokePromptAsync("one");
        await kernel.InvokePromptAsync("two");
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => kernel.InvokePromptAsync("three"));

        Assert.Equal(DefaultKey, error.PartitionKey);
        Assert.Equal(2, inner.CallCount);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("answer 2", (await kernel.InvokePromptAsync("four")).ToString());
    }

    [Fact]
    public async Task Kernel_InvokePromptStreaming_ChargesTheStreamedUsage()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("Pa", "ris").WithUsage(input: 12, output: 8));
        var kernel = TestKernels.Create(inner, f => f.UseRateLimit(o =>
        {
            o.TokensPerWindow = 1000;
            o.TimeProvider = time;
        }));

        var chunks = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Capital of France?"))
        {
            chunks.Add(chunk.ToString());
        }

        Assert.Equal("Paris", string.Concat(chunks));
        var policy = kernel.Services.GetRequiredService<RateLimitPolicy>();
        Assert.Equal(980, policy.GetTokenStatistics(DefaultKey)!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Kernel_InvokeFunction_PausedByProviderRetryAfter_IsRejectedUntilItPasses()
    {
        var time = new FakeTimeProvider();
        var throttled = new ProviderException("scripted", HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "slow down", TimeSpan.FromSeconds(10));
        var inner = new ScriptedChatClient(ScriptedTurn.Throw(throttled), ScriptedTurn.FromText("fine"));
        var kernel = TestKernels.Create(inner, f => f.UseRateLimit(o =>
        {
            o.RequestsPerWindow = 100;
            o.TimeProvider = time;
        }));
        var function = kernel.CreateFunctionFromPrompt("Summarise {{$topic}}");

        await Assert.ThrowsAsync<ProviderException>(() => kernel.InvokeAsync(function, new() { ["topic"] = "limits" }));
        var refused = await Assert.ThrowsAsync<RateLimitExceededException>(() => kernel.InvokeAsync(function, new() { ["topic"] = "limits" }));
        time.Advance(TimeSpan.FromSeconds(10));
        var result = await kernel.InvokeAsync(function, new() { ["topic"] = "limits" });

        Assert.Equal(RateLimitReason.ProviderRetryAfter, refused.Reason);
        Assert.Equal("fine", result.ToString());
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Kernel_FunctionRateLimit_LimitsEachNativeFunctionOnItsOwn()
    {
        var time = new FakeTimeProvider();
        var searches = 0;
        var plugin = KernelPluginFactory.CreateFromFunctions("Web", [
            KernelFunctionFactory.CreateFromMethod(() => ++searches, "Search"),
            KernelFunctionFactory.CreateFromMethod(() => "now", "Time"),
        ]);
        var kernel = TestKernels.Create(new ScriptedChatClient(), f => f.UseFunctionRateLimit(o =>
        {
            o.InvocationsPerWindow = 1;
            o.TimeProvider = time;
        }), plugins: plugin);

        await kernel.InvokeAsync("Web", "Search");
        await kernel.InvokeAsync("Web", "Time");
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => kernel.InvokeAsync("Web", "Search"));

        Assert.Equal("Web.Search", error.PartitionKey);
        Assert.Equal(1, searches);
        time.Advance(TimeSpan.FromMinutes(1));
        await kernel.InvokeAsync("Web", "Search");
        Assert.Equal(2, searches);
    }

    [Fact]
    public async Task Kernel_FunctionRateLimit_SelectorReturningNull_LeavesTheFunctionUnlimited()
    {
        var calls = 0;
        var plugin = KernelPluginFactory.CreateFromFunctions("Tools", [KernelFunctionFactory.CreateFromMethod(() => ++calls, "Free")]);
        var kernel = TestKernels.Create(new ScriptedChatClient(), f => f.UseFunctionRateLimit(o =>
        {
            o.InvocationsPerWindow = 1;
            o.PartitionKeySelector = (function, _) => function.Name == "Free" ? null : function.Name;
        }), plugins: plugin);

        await kernel.InvokeAsync("Tools", "Free");
        await kernel.InvokeAsync("Tools", "Free");

        Assert.Equal(2, calls);
    }

    [Fact]
    public void FunctionRateLimit_WithoutALimit_IsRejectedNamingTheSetting()
    {
        var builder = Kernel.CreateBuilder();
        var error = Assert.Throws<ArgumentException>(() => builder.AddAiAllinFilters(f => f.UseFunctionRateLimit(o => o.Window = TimeSpan.FromSeconds(1))));
        Assert.Contains("FunctionRateLimitOptions.InvocationsPerWindow", error.Message, StringComparison.Ordinal);
    }
}
