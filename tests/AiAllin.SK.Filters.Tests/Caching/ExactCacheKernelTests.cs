using AiAllin.SK.Filters.Caching;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Caching;

public sealed class ExactCacheKernelTests
{
    [Fact]
    public async Task Kernel_InvokePrompt_SecondCallIsServedFromTheCache()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("Paris #" + call.Index));
        var kernel = TestKernels.Create(inner, f => f.UseCache());

        var first = await kernel.InvokePromptAsync("Capital of France?");
        var second = await kernel.InvokePromptAsync("Capital of France?");
        var other = await kernel.InvokePromptAsync("Capital of Italy?");

        Assert.Equal("Paris #0", first.ToString());
        Assert.Equal("Paris #0", second.ToString());
        Assert.Equal("Paris #1", other.ToString());
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Kernel_InvokePromptStreaming_ReplaysChunks()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("Pa", "ri", "s"));
        var kernel = TestKernels.Create(inner, f => f.UseCache());

        var live = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Capital of France?"))
        {
            live.Add(chunk.ToString());
        }

        var replay = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Capital of France?"))
        {
            replay.Add(chunk.ToString());
        }

        Assert.Equal(1, inner.CallCount);
        Assert.Equal(["Pa", "ri", "s"], replay.Where(c => c.Length > 0));
        Assert.Equal(live, replay);
    }

    [Fact]
    public async Task Kernel_InvokeFunction_UsesTheCacheAndThePolicyIsResolvableForInvalidation()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var kernel = TestKernels.Create(inner, f => f.UseCache(o => o.Tags.Add("faq")));
        var function = kernel.CreateFunctionFromPrompt("Summarise {{$topic}}");

        await kernel.InvokeAsync(function, new() { ["topic"] = "caching" });
        var cached = await kernel.InvokeAsync(function, new() { ["topic"] = "caching" });
        await kernel.Services.GetRequiredService<CachePolicy>().InvalidateTagAsync("faq");
        var fresh = await kernel.InvokeAsync(function, new() { ["topic"] = "caching" });

        Assert.Equal("v0", cached.ToString());
        Assert.Equal("v1", fresh.ToString());
    }

    [Fact]
    public async Task Kernel_PartitionFromExecutionSettings_KeepsTenantsApart()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var kernel = TestKernels.Create(inner, f => f.UseCache());
        KernelArguments For(string tenant) => new(new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object> { [CacheOptions.PartitionProperty] = tenant },
        });

        var alice = await kernel.InvokePromptAsync("my balance?", For("alice"));
        var bob = await kernel.InvokePromptAsync("my balance?", For("bob"));
        var aliceAgain = await kernel.InvokePromptAsync("my balance?", For("alice"));

        Assert.Equal("v0", alice.ToString());
        Assert.Equal("v1", bob.ToString());
        Assert.Equal("v0", aliceAgain.ToString());
        Assert.Equal("alice", inner.Calls[0].Options?.AdditionalProperties?[CacheOptions.PartitionProperty]?.ToString());
    }

    [Fact]
    public async Task Kernel_Composition_LayersWrittenBeforeTheCacheSeeEveryCall_LayersAfterItOnlyMisses()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("v" + call.Index));
        var before = 0;
        var after = 0;
        var kernel = TestKernels.Create(inner, f => f
            .AddChatLayer((_, next) => Counting(next, () => Interlocked.Increment(ref before)))
            .UseCache()
            .AddChatLayer((_, next) => Counting(next, () => Interlocked.Increment(ref after))));

        await kernel.InvokePromptAsync("q");
        await kernel.InvokePromptAsync("q");
        await kernel.InvokePromptAsync("q");

        Assert.Equal(3, before);
        Assert.Equal(1, after);
        Assert.Equal(1, inner.CallCount);
    }

    private static Microsoft.Extensions.AI.IChatClient Counting(Microsoft.Extensions.AI.IChatClient next, Action onCall) =>
        new Microsoft.Extensions.AI.ChatClientBuilder(next).Use(async (messages, options, nextAsync, ct) =>
        {
            onCall();
            await nextAsync(messages, options, ct);
        }).Build();
}
