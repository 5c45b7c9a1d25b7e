using AiAllin.SK.Filters.Hooks;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Hooks;

public sealed class HooksPolicyTests
{
    [Fact]
    public async Task Chat_BeforeHookEditsMessages_AfterHookSeesResponseAndElapsed()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("pong").WithUsage(3, 1));
        ChatHookContext? seen = null;
        using var client = new ChatClientBuilder(inner).UseAiAllinHooks(o =>
        {
            o.BeforeChat = (c, _) =>
            {
                c.Messages.Insert(0, new ChatMessage(ChatRole.System, "be brief"));
                c.Items["started"] = true;
                return ValueTask.CompletedTask;
            };
            o.AfterChat = (c, _) =>
            {
                seen = c;
                return ValueTask.CompletedTask;
            };
        }).Build();

        var response = await client.GetResponseAsync("ping");

        Assert.Equal("pong", response.Text);
        Assert.Equal(["be brief", "ping"], inner.Calls[0].Messages.Select(m => m.Text));
        Assert.NotNull(seen);
        Assert.False(seen.IsStreaming);
        Assert.Equal("pong", seen.Response!.Text);
        Assert.Equal(1, seen.Response.Usage!.OutputTokenCount);
        Assert.True(seen.Elapsed > TimeSpan.Zero);
        Assert.Equal(true, seen.Items["started"]);
        Assert.Null(seen.Exception);
    }

    [Fact]
    public async Task Streaming_UpdateHookSeesEachChunkBeforeTheCaller_AfterHookGetsComposedResponse()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c"));
        var order = new List<string>();
        ChatHookContext? after = null;
        using var client = new ChatClientBuilder(inner).UseAiAllinHooks(o =>
        {
            o.OnChatUpdate = (_, u) => order.Add("hook:" + u.Text);
            o.AfterChat = (c, _) =>
            {
                after = c;
                order.Add("after");
                return ValueTask.CompletedTask;
            };
        }).Build();

        await foreach (var update in client.GetStreamingResponseAsync("x"))
        {
            order.Add("caller:" + update.Text);
        }

        Assert.Equal(["hook:a", "caller:a", "hook:b", "caller:b", "hook:c", "caller:c", "after"], order);
        Assert.True(after!.IsStreaming);
        Assert.Equal(3, after.UpdateCount);
        Assert.Equal("abc", after.Response!.Text);
    }

    [Fact]
    public async Task FailedCall_RunsAfterHookWithTheError_AndRethrows()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("x", "y") with { Error = new InvalidOperationException("boom"), FailAfter = 1 });
        var errors = new List<Exception?>();
        using var client = new ChatClientBuilder(inner).UseAiAllinHooks(o => o.AfterChat = (c, _) =>
        {
            errors.Add(c.Exception);
            return ValueTask.CompletedTask;
        }).Build();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("x"));
        var delivered = new List<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var u in client.GetStreamingResponseAsync("x"))
            {
                delivered.Add(u.Text);
            }
        });

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("boom", e!.Message));
        Assert.Equal(["x"], delivered);
    }

    [Fact]
    public async Task Kernel_FunctionAndPromptHooks_SeeArgumentsRenderedPromptAndResult()
    {
        var inner = new ScriptedChatClient(call => ScriptedTurn.FromText("answer to: " + call.LastUserText));
        var events = new List<string>();
        var kernel = TestKernels.Create(inner, f => f.UseHooks(o =>
        {
            o.BeforeFunction = c =>
            {
                events.Add($"before:{c.Arguments["topic"]}");
                return ValueTask.CompletedTask;
            };
            o.AfterPromptRender = c =>
            {
                events.Add($"rendered:{c.RenderedPrompt}");
                c.RenderedPrompt += " (hooked)";
                return ValueTask.CompletedTask;
            };
            o.AfterFunction = c =>
            {
                events.Add($"after:{c.Result.RenderedPrompt}|{c.Result}");
                return ValueTask.CompletedTask;
            };
        }));

        var result = await kernel.InvokePromptAsync("About {{$topic}}", new KernelArguments { ["topic"] = "bees" });

        Assert.Equal("answer to: About bees (hooked)", result.ToString());
        Assert.Equal(["before:bees", "rendered:About bees", "after:About bees (hooked)|answer to: About bees (hooked)"], events);
    }

    [Fact]
    public async Task Kernel_StreamingFunction_ChunkHookSeesEveryChunk_AfterHookRunsAtTheEnd()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("one ", "two ", "three"));
        var events = new List<string>();
        var kernel = TestKernels.Create(inner, f => f.UseHooks(o =>
        {
            o.OnFunctionChunk = (_, chunk) => events.Add("chunk:" + chunk);
            o.AfterFunction = c =>
            {
                events.Add("after:" + c.IsStreaming);
                return ValueTask.CompletedTask;
            };
        }));

        var received = new List<string>();
        await foreach (var chunk in kernel.InvokePromptStreamingAsync<string>("count"))
        {
            received.Add(chunk);
        }

        Assert.Equal(["one ", "two ", "three"], received);
        Assert.Equal(["chunk:one ", "chunk:two ", "chunk:three", "after:True"], events);
    }

    [Fact]
    public async Task Kernel_ToolCallHooks_SeeTheToolArgumentsAndResult()
    {
        var inner = new ScriptedChatClient(TestPlugins.CallFirstToolThenAnswer());
        var events = new List<string>();
        var kernel = TestKernels.Create(
            inner,
            f => f.UseHooks(o =>
            {
                o.BeforeToolCall = c =>
                {
                    events.Add($"before:{c.Function.Name}({c.Arguments!["city"]})");
                    return ValueTask.CompletedTask;
                };
                o.AfterToolCall = c =>
                {
                    events.Add($"after:{c.Result}");
                    return ValueTask.CompletedTask;
                };
            }),
            plugins: TestPlugins.Weather());

        var result = await kernel.InvokePromptAsync("Weather?", new KernelArguments(TestKernels.AutoInvokeSettings()));

        Assert.Equal("It is sunny.", result.ToString());
        Assert.Equal(["before:GetWeather(Paris)", "after:Sunny in Paris"], events);
    }
}
