using System.ClientModel;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Filters.Timeouts;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using OpenAI;

namespace AiAllin.SK.Filters.Tests.Timeouts;

/// <summary>
/// Timeouts and the caller's cancellation against an OpenAI-format server on loopback, in the README's order
/// (<c>UseRetry().UseTimeout()</c>), through direct <see cref="IChatClient"/> calls and through the kernel.
/// </summary>
public sealed class TimeoutWireTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static IChatClient OpenAIClient(WireServer server) =>
        new OpenAI.Chat.ChatClient(
            "gpt-4o-mini",
            new ApiKeyCredential("sk-test-key-0123456789abcdef"),
            new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1/"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) }).AsIChatClient();

    private static void ReadmeOrder(AiAllinFiltersBuilder f, Action<TimeoutOptions> limits) =>
        f.UseRetry(o => o.BaseDelay = TimeSpan.FromMilliseconds(10)).UseTimeout(limits);

    private static Kernel CreateKernel(WireServer server, Action<TimeoutOptions> limits) =>
        TestKernels.Create(OpenAIClient(server), f => ReadmeOrder(f, limits));

    private static IChatClient DirectClient(WireServer server, Action<TimeoutOptions> limits) =>
        new ChatClientBuilder(OpenAIClient(server))
            .UseAiAllinRetry(o => o.BaseDelay = TimeSpan.FromMilliseconds(10))
            .UseAiAllinTimeout(limits)
            .Build();

    [Fact]
    public async Task Direct_StalledCall_RetryThenTimeout_ThrowsChatTimeoutAfterOneRequest()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(new ScriptedReply { StallAfter = 0 });
        using var client = DirectClient(server, o => o.Total = Limit);

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => client.GetResponseAsync("hi").WaitAsync(Patience));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
        Assert.Single(server.Requests);
        Assert.True(await server.WaitForDisconnectAsync(1, Patience), "the stalled request was not cancelled");
    }

    [Fact]
    public async Task Direct_StalledStream_RetryThenTimeout_ThrowsChatTimeoutAfterOneRequest()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(new ScriptedReply { StallAfter = 0 });
        using var client = DirectClient(server, o => o.FirstToken = Limit);

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("hi")).WaitAsync(Patience));

        Assert.Equal(TimeoutLimit.FirstToken, error.Limit);

        // On a loaded machine the limit may pass before the server has read the request; it is never sent twice.
        Assert.InRange(server.Requests.Count, 0, 1);
    }

    [Fact]
    public async Task Direct_StreamStallingAfterTokens_ThrowsIdleChatTimeout_NotAnInterruption()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hello", " world") with { StallAfter = 1 });
        using var client = DirectClient(server, o => o.Idle = Limit);
        var delivered = new List<string>();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi"))
            {
                delivered.Add(update.Text);
            }
        });

        Assert.Equal(TimeoutLimit.Idle, error.Limit);
        Assert.Equal("Hello", string.Concat(delivered));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Registered_DirectCall_StalledModel_ThrowsChatTimeoutAfterOneRequest()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(new ScriptedReply { StallAfter = 0 });
        var kernel = CreateKernel(server, o => o.Total = Limit);
        var client = kernel.Services.GetRequiredService<IChatClient>();

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => client.GetResponseAsync("hi").WaitAsync(Patience));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Kernel_Prompt_StalledModel_ThrowsChatTimeoutAfterOneRequest()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(new ScriptedReply { StallAfter = 0 });
        var kernel = CreateKernel(server, o => o.Total = Limit);

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => kernel.InvokePromptAsync("hi").WaitAsync(Patience));

        Assert.Equal(TimeoutLimit.Total, error.Limit);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Kernel_StreamingPrompt_StalledFirstToken_ThrowsChatTimeout()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(new ScriptedReply { StallAfter = 0 });
        var kernel = CreateKernel(server, o => o.FirstToken = Limit);

        var error = await Assert.ThrowsAsync<ChatTimeoutException>(() => TestKernels.ToListAsync(kernel.InvokePromptStreamingAsync<string>("hi")).WaitAsync(Patience));

        Assert.Equal(TimeoutLimit.FirstToken, error.Limit);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Kernel_StreamingPrompt_CallerCancelsDuringTheStream_ThrowsOperationCanceled()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hello", " world") with { StallAfter = 1 });
        var kernel = CreateKernel(server, o => { o.Total = TimeSpan.FromMinutes(1); o.Idle = TimeSpan.FromMinutes(1); });
        using var cts = new CancellationTokenSource();
        var delivered = new List<string>();

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var chunk in kernel.InvokePromptStreamingAsync<string>("hi", cancellationToken: cts.Token))
            {
                delivered.Add(chunk);
                if (string.Concat(delivered).Contains("Hello", StringComparison.Ordinal))
                {
                    cts.CancelAfter(TimeSpan.FromMilliseconds(100));
                }
            }
        }).WaitAsync(Patience);

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Contains("Hello", string.Concat(delivered));
        Assert.True(await server.WaitForDisconnectAsync(1, Patience), "the cancelled stream's connection was not released");
    }

    [Fact]
    public async Task Kernel_StreamingPrompt_CallerCancelsBeforeTheFirstToken_ThrowsOperationCanceled()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(new ScriptedReply { StallAfter = 0 });
        var kernel = CreateKernel(server, o => { o.Total = TimeSpan.FromMinutes(1); o.FirstToken = TimeSpan.FromMinutes(1); });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var error = await Record.ExceptionAsync(() => TestKernels.ToListAsync(kernel.InvokePromptStreamingAsync<string>("hi", cancellationToken: cts.Token))).WaitAsync(Patience);

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(await server.WaitForDisconnectAsync(1, Patience), "the cancelled request was not released");
    }

    [Fact]
    public async Task Kernel_StreamingPrompt_AlreadyCancelledToken_ThrowsOperationCanceled()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hello"));
        var kernel = CreateKernel(server, o => o.Total = TimeSpan.FromMinutes(1));

        var error = await Record.ExceptionAsync(() => TestKernels.ToListAsync(kernel.InvokePromptStreamingAsync<string>("hi", cancellationToken: new CancellationToken(true)))).WaitAsync(Patience);

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task Direct_CallerCancelsDuringTheStream_ThrowsOperationCanceled()
    {
        await using var server = await WireServer.StartAsync<StallingOpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Hello", " world") with { StallAfter = 1 });
        using var client = DirectClient(server, o => { o.Total = TimeSpan.FromMinutes(1); o.Idle = TimeSpan.FromMinutes(1); });
        using var cts = new CancellationTokenSource();

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                if (update.Text.Length > 0)
                {
                    cts.CancelAfter(TimeSpan.FromMilliseconds(100));
                }
            }
        }).WaitAsync(Patience);

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Single(server.Requests);
    }
}
