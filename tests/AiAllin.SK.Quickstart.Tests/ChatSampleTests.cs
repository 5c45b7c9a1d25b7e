using System.Diagnostics;
using AiAllin.SK.Testing.Providers;
using AiAllin.SK.Testing.Servers;

namespace AiAllin.SK.Quickstart.Tests;

public sealed class ChatSampleTests
{
    private static Dictionary<string, string> Compatible(WireServer server, string? postgres = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["OPENAI_COMPATIBLE_BASE_URL"] = server.BaseAddress.ToString(),
            ["OPENAI_COMPATIBLE_MODEL"] = "chat-model",
        };
        if (postgres is not null)
        {
            environment["AIALLIN_POSTGRES_URL"] = postgres;
        }

        return environment;
    }

    private static string User() => "user-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Chat_StreamsTheAnswerShowsTheToolCallAndKeepsTheTurnInTheSession()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(view => ScriptedReply.WithToolCalls(new ScriptedToolCall("call_now", view.ToolNames.Single(n => n.EndsWith("now", StringComparison.Ordinal)), "{}")));
        server.Enqueue(ScriptedReply.WithText("It is ", "noon ", "in UTC."));
        await using var chat = ChatProcess.Start(Compatible(server), "--provider", "compatible", "--store", "memory", "--user", User());

        await chat.WaitForAsync("> ");
        await chat.SendAsync("What time is it?");
        await chat.WaitForAsync("session version 4");
        await chat.SendAsync("/history");
        await chat.WaitForAsync("assistant: It is noon in UTC.");
        await chat.SendAsync("/quit");

        Assert.Equal(0, await chat.ExitAsync());
        Assert.Contains("... calling tool clock", chat.Output, StringComparison.Ordinal);
        Assert.Contains("It is noon in UTC.", chat.Output, StringComparison.Ordinal);
        Assert.Contains("user: What time is it?", chat.Output, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(server.Describe(server.Requests[0]).Stream);
    }

    [PostgresFact]
    public async Task Chat_OnPostgres_ResumesTheSessionInTheNextRun()
    {
        var postgres = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")!;
        var user = User();
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText("Nice to ", "meet you, Ada."), ScriptedReply.WithText("Your name ", "is Ada."));

        await using (var first = ChatProcess.Start(Compatible(server, postgres), "--provider", "compatible", "--user", user))
        {
            await first.WaitForAsync("> ");
            await first.SendAsync("My name is Ada.");
            await first.WaitForAsync("session version 2");
            await first.SendAsync("/quit");
            Assert.Equal(0, await first.ExitAsync());
            Assert.Contains("sessions on PostgreSQL", first.Output, StringComparison.Ordinal);
        }

        await using var second = ChatProcess.Start(Compatible(server, postgres), "--provider", "compatible", "--user", user);
        await second.WaitForAsync("Resumed session");
        await second.SendAsync("What is my name?");
        await second.WaitForAsync("session version 4");
        await second.SendAsync("/sessions");
        await second.WaitForAsync("4 messages");
        await second.SendAsync("/quit");

        Assert.Equal(0, await second.ExitAsync());
        Assert.Contains("Your name is Ada.", second.Output, StringComparison.Ordinal);
        var resumed = server.Describe(server.Requests[1]);
        Assert.Contains(resumed.Messages, m => m.Text.Contains("My name is Ada.", StringComparison.Ordinal));
        Assert.Contains(resumed.Messages, m => m.Text.Contains("Nice to meet you, Ada.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_CtrlC_StopsTheAnswerReleasesTheConnectionAndKeepsTheAppRunning()
    {
        await using var server = await WireServer.StartAsync<OpenAIWireServer>();
        server.Enqueue(ScriptedReply.WithText(Enumerable.Range(0, 300).Select(i => $"w{i} ").ToArray()) with { ChunkDelay = TimeSpan.FromMilliseconds(50) });
        server.Enqueue(ScriptedReply.WithText("Short ", "answer."));
        await using var chat = ChatProcess.Start(Compatible(server), "--provider", "compatible", "--store", "memory", "--user", User());

        await chat.WaitForAsync("> ");
        await chat.SendAsync("Tell me a long story.");
        await chat.WaitForAsync("w5 ");
        using (var interrupt = Process.Start("kill", ["-INT", chat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await chat.WaitForAsync("[answer cancelled");
        Assert.True(await server.WaitForDisconnectAsync(), "Ctrl+C must release the connection");
        await chat.SendAsync("Something short?");
        await chat.WaitForAsync("session version 2");
        await chat.SendAsync("/history");
        await chat.WaitForAsync("assistant: Short answer.");
        await chat.SendAsync("/quit");

        Assert.Equal(0, await chat.ExitAsync());
        Assert.DoesNotContain("user: Tell me a long story.", chat.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("w200", chat.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WithoutTheProvidersSettings_ExplainsWhatIsMissing()
    {
        await using var chat = ChatProcess.Start([], "--provider", "anthropic", "--store", "memory");

        Assert.Equal(2, await chat.ExitAsync());
        Assert.Contains("ANTHROPIC", chat.Errors, StringComparison.Ordinal);
        Assert.Contains("usage:", chat.Errors, StringComparison.Ordinal);
    }
}
