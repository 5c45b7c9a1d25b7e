using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Logging;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Filters.Transform;
using AiAllin.SK.Testing.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Logging;

public sealed class LoggingPolicyTests
{
    private const string ApiKey = "sk-proj-Zq3XwV9bN4mK7pL2tR8sY6uA1cD5eF0g";
    private const string BearerToken = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.QWxs";
    private const string CustomSecret = "tenant-secret-7781-XYZQ";
    private const string Email = "jane.doe@example.com";

    private static string SecretPrompt => $"My key is {ApiKey}, header Authorization: Bearer {BearerToken}, mail {Email}, code {CustomSecret}.";

    [Fact]
    public async Task Chat_LogsRequestResponseDurationAndTokens_ButNoBodiesByDefault()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("The answer is 42").WithUsage(10, 2));
        using var client = new ChatClientBuilder(inner).UseAiAllinLogging(logs.CreateFactory()).Build();

        var response = await client.GetResponseAsync("What is the private question?");

        Assert.Equal("The answer is 42", response.Text);
        var request = Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatRequestStarting);
        Assert.Contains("MessageCount=1", request.State);
        Assert.Contains("PromptCharacters=29", request.State);
        var done = Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseReceived);
        Assert.Equal(LogLevel.Information, done.Level);
        Assert.Contains("InputTokens=10", done.State);
        Assert.Contains("OutputTokens=2", done.State);
        Assert.Contains("ResponseModel=scripted-model", done.State);
        Assert.Contains("DurationMs=", done.State);
        Assert.DoesNotContain("private question", logs.AllText);
        Assert.DoesNotContain("answer is 42", logs.AllText);
    }

    [Fact]
    public async Task Streaming_LogsFirstTokenUsageAndUpdateCount_WithBodiesWhenEnabled()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("Hel", "lo ", "there").WithUsage(7, 3));
        using var client = new ChatClientBuilder(inner).UseAiAllinLogging(logs.CreateFactory(), o => o.LogBodies = true).Build();

        var text = string.Concat((await TestKernels.ToListAsync(client.GetStreamingResponseAsync("Say hello"))).Select(u => u.Text));

        Assert.Equal("Hello there", text);
        Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatFirstToken);
        var done = Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseReceived);
        Assert.Contains("Operation=stream", done.State);
        Assert.Contains("UpdateCount=4", done.State);
        Assert.Contains("OutputTokens=3", done.State);
        Assert.Contains("Body=user: Say hello", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatRequestBody).State);
        Assert.Contains("Body=Hello there", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseBody).State);
    }

    [Fact]
    public async Task ToolCallsInResponses_AreLogged_WithArgumentsOnlyWhenBodiesOn()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.ToolCall("lookup", new Dictionary<string, object?> { ["q"] = "weather" }, "call_9"));
        using var client = new ChatClientBuilder(inner).UseAiAllinLogging(logs.CreateFactory()).Build();

        await client.GetResponseAsync("x");
        await TestKernels.ToListAsync(client.GetStreamingResponseAsync("x"));

        var calls = logs.Entries.Where(e => e.EventId.Id == AiAllinEventIds.ChatToolCallRequested).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Contains("ToolName=lookup", c.State));
        Assert.All(calls, c => Assert.Contains("CallId=call_9", c.State));
        Assert.All(calls, c => Assert.DoesNotContain("weather", c.State));
    }

    [Fact]
    public async Task SecretsAndConfiguredPatterns_NeverAppearInAnyLogOutput_DirectAndThroughKernel()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(call => call.Index switch
        {
            // Echo the secrets back in the answer, in a stream split mid-secret, and in an error message.
            0 => ScriptedTurn.FromText($"You said: {call.LastUserText}").WithUsage(5, 5),
            1 => ScriptedTurn.FromText("Echo: ", SecretPrompt[..20], SecretPrompt[20..]),
            2 => ScriptedTurn.Throw(new InvalidOperationException($"upstream rejected key {ApiKey} for {Email}")),
            _ => ScriptedTurn.FromText($"Kernel echo: {call.AllText}"),
        });
        void Configure(LoggingOptions o)
        {
            o.LogBodies = true;
            o.RedactionPatterns.Add(PiiPatterns.Email);
            o.Secrets.Add(CustomSecret);
        }

        using var client = new ChatClientBuilder(inner).UseAiAllinLogging(logs.CreateFactory(), Configure).Build();
        await client.GetResponseAsync(SecretPrompt);
        await TestKernels.ToListAsync(client.GetStreamingResponseAsync(SecretPrompt));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(SecretPrompt));

        var kernel = TestKernels.Create(inner, f => f.UseLogging(Configure), logs.CreateFactory());
        var arguments = new KernelArguments { ["input"] = SecretPrompt };
        await kernel.InvokePromptAsync("Repeat: {{$input}}", arguments);
        await TestKernels.ToListAsync(kernel.InvokePromptStreamingAsync("Repeat: {{$input}}", arguments));

        // Semantic Kernel itself writes function arguments, rendered prompts and results at Trace level (its documented
        // sensitive-data level); everything else — all of ours at every level — is scanned.
        var scanned = logs.Entries.Where(e => e.Level > LogLevel.Trace || e.Category.StartsWith("AiAllin", StringComparison.Ordinal)).ToList();
        var all = string.Join('\n', scanned.Select(e => e.FullText));
        Assert.True(scanned.Count > 15, $"only {scanned.Count} entries");
        Assert.Contains("***", all);
        Assert.Contains("Kernel echo", all);
        foreach (var secret in new[] { ApiKey, BearerToken, CustomSecret, Email, "Zq3XwV9bN4mK7pL2" })
        {
            Assert.DoesNotContain(secret, all);
        }
    }

    [Fact]
    public async Task Kernel_InvokePrompt_LogsFunctionRenderedPromptAndModelCall()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("Paris is lovely").WithUsage(12, 3));
        var kernel = TestKernels.Create(inner, f => f.UseLogging(o => o.LogBodies = true), logs.CreateFactory());

        var result = await kernel.InvokePromptAsync("Tell me about {{$city}}", new KernelArguments { ["city"] = "Paris" });

        Assert.Equal("Paris is lovely", result.ToString());
        Assert.Contains("Arguments={city=Paris}", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.FunctionArguments).State);
        Assert.Contains("Prompt=Tell me about Paris", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.PromptBody).State);
        Assert.Contains("Streaming=False", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.FunctionInvoked).State);
        Assert.Contains("Result=Paris is lovely", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.FunctionResultBody).State);
        Assert.Contains("InputTokens=12", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseReceived).State);
    }

    [Fact]
    public async Task Kernel_InvokePromptStreaming_LogsFunctionCompletionAfterTheLastChunk()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b", "c"));
        var kernel = TestKernels.Create(inner, f => f.UseLogging(o => o.LogBodies = true), logs.CreateFactory());

        var chunks = await TestKernels.ToListAsync(kernel.InvokePromptStreamingAsync<string>("Spell abc"));

        Assert.Equal("abc", string.Concat(chunks));
        var done = Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.FunctionInvoked);
        Assert.Contains("Streaming=True", done.State);
        Assert.Contains("ChunkCount=3", done.State);
        Assert.Contains("Result=abc", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.FunctionResultBody).State);
        Assert.Contains("Operation=stream", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseReceived).State);
    }

    [Fact]
    public async Task Kernel_AutomaticToolCall_IsLoggedWithArgumentsAndResult()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(TestPlugins.CallFirstToolThenAnswer());
        var kernel = TestKernels.Create(inner, f => f.UseLogging(o => o.LogBodies = true), logs.CreateFactory(), plugins: TestPlugins.Weather());

        var result = await kernel.InvokePromptAsync("Weather in Paris?", new KernelArguments(TestKernels.AutoInvokeSettings()));

        Assert.Equal("It is sunny.", result.ToString());
        Assert.Contains("Function=GetWeather", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ToolInvoking).State);
        Assert.Contains("city=Paris", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ToolArguments).State);
        Assert.Contains("Result=Sunny in Paris", Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ToolResultBody).State);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task CallerCancellation_IsLoggedAsCancelled_NotAsFailure()
    {
        using var logs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        using var client = new ChatClientBuilder(inner).UseAiAllinLogging(logs.CreateFactory()).Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("x", cancellationToken: cts.Token));

        Assert.Single(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatCancelled);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatFailed);
    }

    [Fact]
    public async Task LoggerTakingNothing_PassesCallsStraightThrough_AndLogsAgainOnceEnabled()
    {
        using var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).AddFilter(LoggingFiltersBuilderExtensions.Category, LogLevel.Error));
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("a", "b").WithUsage(1, 2));
        using var client = new ChatClientBuilder(inner).UseAiAllinLogging(factory).Build();

        var text = string.Concat((await TestKernels.ToListAsync(client.GetStreamingResponseAsync("x"))).Select(u => u.Text));
        var response = await client.GetResponseAsync("x");

        Assert.Equal("ab", text);
        Assert.Equal("ab", response.Text);
        Assert.DoesNotContain(logs.Entries, e => e.Category == LoggingFiltersBuilderExtensions.Category);
    }

    [Fact]
    public void Options_WithNonPositiveBodyLength_AreRejectedNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseAiAllinLogging(configure: o => o.MaxBodyLength = 0));
        Assert.Contains("MaxBodyLength", error.Message);
    }
}
