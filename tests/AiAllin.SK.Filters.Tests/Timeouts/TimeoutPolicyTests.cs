using System.ClientModel;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Filters.Timeouts;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;
using OpenAI;

namespace AiAllin.SK.Filters.Tests.Timeouts;

public sealed class TimeoutPolicyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    [Fact]
    public async Task NonStreaming_OverTheTotalLimit_ThrowsChatTimeoutNamingTheLimit_AndCancelsTheInnerCall()
    {
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        using var client = new ChatClientBuilder(inner).UseAiAllinTimeout(Short).Build();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => client.GetResponseAsync("x"));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
        Assert.Equal(Short, error.Timeout);
        Assert.Contains("total time limit of 0.15 s", error.Message);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Equal(1, inner.CancelledCalls);
    }

    [Fact]
    public async Task NonStreaming_TotalLimit_FiresOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        using var client = new ChatClientBuilder(inner).UseAiAllinTimeout(o =>
        {
            o.Total = TimeSpan.FromMinutes(5);
            o.TimeProvider = time;
        }).Build();

        var call = client.GetResponseAsync("x");
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMinutes(5), error.Timeout);
    }

    [Fact]
    public async Task Streaming_WithoutAFirstToken_ThrowsFirstTokenTimeout()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a") with { StallAfter = 0 });
        using var client = new ChatClientBuilder(inner).UseAiAllinTimeout(o =>
        {
            o.FirstToken = Short;
            o.Idle = TimeSpan.FromMinutes(1);
            o.Total = TimeSpan.FromMinutes(1);
        }).Build();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("x")));

        Assert.Equal(TimeoutLimit.FirstToken, error.Limit);
        Assert.Contains("time-to-first-token", error.Message);
        Assert.Equal(1, inner.CancelledCalls);
        Assert.Equal(0, inner.ActiveStreams);
    }

    [Fact]
    public async Task Streaming_StallingMidStream_ThrowsIdleTimeout_AfterTheDeliveredTokens()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c") with { StallAfter = 2 });
        using var client = new ChatClientBuilder(inner).UseAiAllinTimeout(o =>
        {
            o.FirstToken = TimeSpan.FromMinutes(1);
            o.Idle = Short;
        }).Build();
        var delivered = new List<string>();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("x"))
            {
                delivered.Add(update.Text);
            }
        });

        Assert.Equal(TimeoutLimit.Idle, error.Limit);
        Assert.Equal(["a", "b"], delivered);
        Assert.Equal(1, inner.CancelledCalls);
    }

    [Fact]
    public async Task Streaming_ASlowCaller_DoesNotCountAsIdleTime()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c"));
        using var client = new ChatClientBuilder(inner).UseAiAllinTimeout(o => o.Idle = TimeSpan.FromMilliseconds(100)).Build();
        var delivered = new List<string>();

        await foreach (var update in client.GetStreamingResponseAsync("x"))
        {
            delivered.Add(update.Text);
            await Task.Delay(300);
        }

        Assert.Equal(["a", "b", "c"], delivered);
    }

    [Fact]
    public async Task CallerCancellation_StaysOperationCanceled_NotATimeout()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b") with { StallAfter = 1 });
        using var client = new ChatClientBuilder(inner).UseAiAllinTimeout(o =>
        {
            o.Total = TimeSpan.FromMinutes(1);
            o.Idle = TimeSpan.FromMinutes(1);
        }).Build();
        using var cts = new CancellationTokenSource();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("x", cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });
        var plain = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("x", cancellationToken: new CancellationToken(true)));

        Assert.IsNotType<ChatTimeoutException>(error);
        Assert.IsAssignableFrom<OperationCanceledException>(plain);
    }

    [Fact]
    public async Task OpenAIWire_StalledStream_TimesOutAndReleasesTheConnection()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hello", " world", " again") with { StallAfter = 1 });
        server.Enqueue(ScriptedReply.WithText("Hi") with { ChunkDelay = TimeSpan.FromSeconds(60) });
        var openAi = new OpenAI.Chat.ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test-key-0123456789abcdef"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1/") }).AsIChatClient();
        // The first-token limit of the idle case only guards against a hang: a loaded machine may take seconds to connect.
        using var idleClient = new ChatClientBuilder(openAi).UseAiAllinTimeout(o =>
        {
            o.FirstToken = TimeSpan.FromSeconds(30);
            o.Idle = TimeSpan.FromMilliseconds(300);
        }).Build();
        using var firstTokenClient = new ChatClientBuilder(openAi).UseAiAllinTimeout(o => o.FirstToken = TimeSpan.FromSeconds(2)).Build();
        var delivered = new List<string>();

        var idle = await Assert.ThrowsAsync<ChatTimeoutException>(async () =>
        {
            await foreach (var update in idleClient.GetStreamingResponseAsync("hi"))
            {
                delivered.Add(update.Text);
            }
        });
        Assert.True(await server.WaitForDisconnectAsync(1, TimeSpan.FromSeconds(10)), "the stalled response's connection was not released");

        var first = await Assert.ThrowsAsync<ChatTimeoutException>(() => TestKernels.ToListAsync(firstTokenClient.GetStreamingResponseAsync("hi")));
        Assert.True(await server.WaitForDisconnectAsync(2, TimeSpan.FromSeconds(10)), "the second stalled response's connection was not released");

        Assert.Equal(TimeoutLimit.Idle, idle.Limit);
        Assert.Equal("Hello", string.Concat(delivered));
        Assert.Equal(TimeoutLimit.FirstToken, first.Limit);
    }

    [Fact]
    public async Task Kernel_StreamingPrompt_StalledModel_ThrowsChatTimeout()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b") with { StallAfter = 1 });
        var kernel = TestKernels.Create(inner, f => f.UseTimeout(o => o.Idle = Short));
        var delivered = new List<string>();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(async () =>
        {
            await foreach (var chunk in kernel.InvokePromptStreamingAsync<string>("x"))
            {
                delivered.Add(chunk);
            }
        });

        Assert.Equal(TimeoutLimit.Idle, error.Limit);
        Assert.Equal(["a"], delivered);
        Assert.Equal(1, inner.CancelledCalls);
    }

    [Fact]
    public async Task Kernel_Prompt_OverTheTotalLimit_ThrowsChatTimeout()
    {
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        var kernel = TestKernels.Create(inner, f => f.UseTimeout(Short));

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => kernel.InvokePromptAsync("x"));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
    }

    [Fact]
    public async Task Kernel_SlowNativeFunction_ThrowsChatTimeoutNamingTheFunction()
    {
        var function = KernelFunctionFactory.CreateFromMethod(async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return "late";
        }, "Slow");
        var kernel = TestKernels.Create(new ScriptedChatClient(), f => f.UseTimeout(Short), plugins: KernelPluginFactory.CreateFromFunctions("Tools", [function]));

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => kernel.InvokeAsync("Tools", "Slow"));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
        Assert.Contains("function Tools.Slow", error.Message);
    }

    [Fact]
    public async Task Kernel_StreamingNativeFunction_StallingBetweenChunks_ThrowsIdleTimeout()
    {
        static async IAsyncEnumerable<string> Slow([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return "first";
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            yield return "never";
        }

        var function = KernelFunctionFactory.CreateFromMethod(() => Slow(), "Chunks");
        var kernel = TestKernels.Create(new ScriptedChatClient(), f => f.UseTimeout(o => o.Idle = Short), plugins: KernelPluginFactory.CreateFromFunctions("Tools", [function]));
        var delivered = new List<string>();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(async () =>
        {
            await foreach (var chunk in kernel.InvokeStreamingAsync<string>(kernel.Plugins["Tools"]["Chunks"]))
            {
                delivered.Add(chunk);
            }
        });

        Assert.Equal(TimeoutLimit.Idle, error.Limit);
        Assert.Equal(["first"], delivered);
    }

    [Fact]
    public void Options_WithoutAnyLimitOrWithANegativeOne_AreRejectedNamingTheSetting()
    {
        var none = Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseAiAllinTimeout(_ => { }));
        var negative = Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseAiAllinTimeout(o => o.Idle = TimeSpan.FromSeconds(-1)));

        Assert.Contains("Total", none.Message);
        Assert.Contains("TimeoutOptions.Idle", negative.Message);
    }
}
