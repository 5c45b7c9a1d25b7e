using System.ComponentModel;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Conditional;
using AiAllin.SK.Testing.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Xunit;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// The behaviour every chat provider promises, checked the same way for each one against its wire server, through
/// <see cref="IChatClient"/> and through a Semantic Kernel <see cref="Kernel"/>. A provider's test project binds it
/// with one small class that creates the provider's client and registers it on a kernel builder.
/// </summary>
/// <typeparam name="TServer">The provider's wire format.</typeparam>
/// <remarks>
/// After every test the collected logs are checked for the API key; every exception a test sees is checked too.
/// </remarks>
public abstract partial class ChatClientConformance<TServer> : IAsyncLifetime
    where TServer : WireServer, new()
{
    /// <summary>The API key every client is given; it must never appear in a log or an exception.</summary>
    public const string ApiKey = "sk-conformance-4f9a0c1e7b2d4e6f8a1c3e5b7d9f0a2c";

    /// <summary>The model every client is given.</summary>
    public const string Model = "conformance-model";

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private TServer? _server;

    /// <summary>Gets the wire server of this test.</summary>
    protected TServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    /// <summary>Gets every log line the clients of this test wrote.</summary>
    protected CollectingLoggerProvider Logs { get; } = new();

    /// <summary>Gets whether the client presents <see cref="ApiKey"/> to the server (false for keyless local servers).</summary>
    protected virtual bool SendsCredential => true;

    /// <summary>Gets whether the format reports a response id.</summary>
    protected virtual bool ReportsResponseId => true;

    /// <summary>Gets whether the format reports the model that answered (Cohere's does not; the requested model is reported then).</summary>
    protected virtual bool ReportsModelId => true;

    /// <summary>Gets whether the format carries the server's tool-call ids (clients must keep them).</summary>
    protected virtual bool CarriesToolCallIds => true;

    /// <summary>Gets whether error bodies carry an error code or type.</summary>
    protected virtual bool ErrorBodiesCarryCode => true;

    /// <summary>Creates the provider's client for <see cref="Server"/> with <see cref="ApiKey"/> and <see cref="Model"/>.</summary>
    /// <param name="loggerFactory">The logger factory the client must log through.</param>
    /// <param name="maxRetries">The provider's <c>MaxRetries</c> setting.</param>
    /// <returns>The client.</returns>
    protected abstract IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries);

    /// <summary>Registers the provider's chat client on a kernel builder with its <c>Add…ChatClient</c> extension, same settings.</summary>
    /// <param name="builder">The kernel builder.</param>
    protected abstract void AddChatClient(IKernelBuilder builder);

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await WireServer.StartAsync<TServer>().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        Assert.DoesNotContain(ApiKey, Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_ReturnsTextFinishReasonUsageAndIds()
    {
        Server.Enqueue(ScriptedReply.WithText("Hello", ", ", "world") with { ResponseId = "resp_conformance_1", Model = "conformance-model-2025" });
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "Say hello")], cancellationToken: Guard());

        Assert.Equal("Hello, world", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(12, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(ReportsModelId ? "conformance-model-2025" : Model, response.ModelId);
        Assert.NotNull(response.RawRepresentation);
        if (ReportsResponseId)
        {
            Assert.Equal("resp_conformance_1", response.ResponseId);
        }

        var sent = Server.Describe(Server.Requests.Single());
        Assert.False(sent.Stream);
        Assert.Equal(Model, sent.Model);
        Assert.Equal(("user", "Say hello"), sent.Messages[^1]);
    }

    [Fact]
    public async Task GetResponse_SendsOptionsSystemPromptToolsAndCredential()
    {
        Server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();
        var options = new ChatOptions { MaxOutputTokens = 77, Temperature = 0.25f, Tools = [ForecastTool(_ => "sunny")] };

        await client.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "What's the weather?")], options, Guard());

        var sent = Server.Describe(Server.Requests.Single());
        Assert.Equal(77, sent.MaxTokens);
        Assert.Equal(0.25, sent.Temperature!.Value, 3);
        Assert.Contains("Be brief.", sent.System, StringComparison.Ordinal);
        Assert.DoesNotContain(sent.Messages, m => m.Text.Contains("Be brief.", StringComparison.Ordinal));
        Assert.Equal(("user", "What's the weather?"), sent.Messages[^1]);
        Assert.Equal(["get_forecast"], sent.ToolNames);
        Assert.Contains("\"city\"", sent.ToolSchemas["get_forecast"], StringComparison.Ordinal);
        Assert.Contains("\"days\"", sent.ToolSchemas["get_forecast"], StringComparison.Ordinal);
        if (SendsCredential)
        {
            Assert.Equal(ApiKey, sent.Credential);
        }
    }

    [Fact]
    public async Task GetResponse_WithModelIdOption_SendsThatModel()
    {
        Server.Enqueue(ScriptedReply.WithText("ok"));
        using var client = Client();

        await client.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "another-model" }, Guard());

        Assert.Equal("another-model", Server.Describe(Server.Requests.Single()).Model);
    }

    [Fact]
    public async Task GetResponse_WhenCutByLength_ReportsLength()
    {
        Server.Enqueue(ScriptedReply.WithText("cut") with { FinishReason = "length" });
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task Streaming_ManySmallChunks_ArriveInOrderOnePerChunkWithFinishAndUsage()
    {
        var chunks = Enumerable.Range(0, 40).Select(i => $"w{i} ").ToArray();
        Server.Enqueue(ScriptedReply.WithText(chunks) with { Usage = new ScriptedUsage(15, 40) });
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "count")], cancellationToken: Guard()));

        Assert.Equal(string.Concat(chunks), string.Concat(updates.Select(u => u.Text)));
        Assert.True(updates.Count(u => u.Text.Length > 0) >= chunks.Length, "each chunk must reach the caller as its own update");
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details;
        Assert.Equal(15, usage.InputTokenCount);
        Assert.Equal(40, usage.OutputTokenCount);
        Assert.True(Server.Describe(Server.Requests.Single()).Stream);
        var response = updates.ToChatResponse();
        Assert.Equal(string.Concat(chunks), response.Text);
    }

    [Fact]
    public async Task Streaming_FirstUpdate_ArrivesWhileTheServerIsStillStreaming()
    {
        Server.Enqueue(ScriptedReply.WithText("first", "second") with { StallAfter = 1 });
        using var client = Client();
        using var cancellation = new CancellationTokenSource(HangGuard);
        var received = new List<string>();

        var exception = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "go")], cancellationToken: cancellation.Token))
            {
                received.Add(update.Text);
                if (string.Concat(received).Contains("first", StringComparison.Ordinal))
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal("first", string.Concat(received));
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.True(await Server.WaitForDisconnectAsync(), "cancelling must release the connection");
    }

    [Fact]
    public async Task Streaming_WhenCallerStopsEarly_ReleasesTheConnection()
    {
        var chunks = Enumerable.Range(0, 200).Select(i => $"t{i} ").ToArray();
        Server.Enqueue(ScriptedReply.WithText(chunks) with { ChunkDelay = TimeSpan.FromMilliseconds(20) });
        using var client = Client();
        var seen = 0;

        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "go")], cancellationToken: Guard()))
        {
            if (update.Text.Length > 0 && ++seen == 3)
            {
                break;
            }
        }

        Assert.Equal(3, seen);
        Assert.True(await Server.WaitForDisconnectAsync(), "abandoning the stream must release the connection");
    }

    [Fact]
    public async Task Streaming_ToolCallWithSplitArguments_YieldsOneCompleteCall()
    {
        Server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("call_abc123", "get_forecast", "{\"ci", "ty\": \"Par", "is\", \"da", "ys\": 3}")));
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Weather in Paris?")], ToolOptions(), Guard()));

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        AssertForecastCall(call, "call_abc123", "Paris", 3);
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.ToolCalls);
    }

    [Fact]
    public async Task Streaming_ParallelToolCalls_YieldsBothInOrder()
    {
        Server.Enqueue(ScriptedReply.WithToolCalls(
            new ScriptedToolCall("call_one", "get_forecast", "{\"city\":", " \"Oslo\", \"days\": 1}"),
            new ScriptedToolCall("call_two", "get_forecast", "{\"city\": \"Rome\",", " \"days\": 2}")));
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Oslo and Rome?")], ToolOptions(), Guard()));

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        AssertForecastCall(calls[0], "call_one", "Oslo", 1);
        AssertForecastCall(calls[1], "call_two", "Rome", 2);
    }

    [Fact]
    public async Task GetResponse_ParallelToolCalls_ReturnsBothInOrder()
    {
        Server.Enqueue(ScriptedReply.WithToolCalls(
            new ScriptedToolCall("call_one", "get_forecast", "{\"city\": \"Oslo\", \"days\": 1}"),
            new ScriptedToolCall("call_two", "get_forecast", "{\"city\": \"Rome\", \"days\": 2}")));
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "Oslo and Rome?")], ToolOptions(), Guard());

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        AssertForecastCall(calls[0], "call_one", "Oslo", 1);
        AssertForecastCall(calls[1], "call_two", "Rome", 2);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task ToolLoop_SendsTheCallAndItsResultBackAndReturnsTheAnswer()
    {
        Server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall("call_loop1", "get_forecast", "{\"city\": \"Paris\", \"days\": 2}")),
            ScriptedReply.WithText("It is sunny in Paris."));
        var invoked = new List<string>();
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync(
            [new(ChatRole.User, "Weather in Paris?")],
            new ChatOptions { Tools = [ForecastTool(city => { invoked.Add(city); return $"sunny, 21C in {city}"; })] },
            Guard());

        Assert.Equal("It is sunny in Paris.", response.Text);
        Assert.Equal(["Paris"], invoked);
        AssertSecondTurnCarriesCallAndResult("call_loop1");
    }

    [Fact]
    public async Task ToolLoop_Streaming_SendsTheCallAndItsResultBackAndStreamsTheAnswer()
    {
        Server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall("call_loop2", "get_forecast", "{\"city\": ", "\"Paris\", \"days\": 2}")),
            ScriptedReply.WithText("It is ", "sunny ", "in Paris."));
        var invoked = new List<string>();
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation().Build();

        var updates = await CollectAsync(client.GetStreamingResponseAsync(
            [new(ChatRole.User, "Weather in Paris?")],
            new ChatOptions { Tools = [ForecastTool(city => { invoked.Add(city); return $"sunny, 21C in {city}"; })] },
            Guard()));

        Assert.Equal("It is sunny in Paris.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(["Paris"], invoked);
        AssertSecondTurnCarriesCallAndResult("call_loop2");
    }

    [ConformanceFact]
    public async Task Streaming_InvalidToolArguments_AreReportedNotReplacedByEmptyArguments()
    {
        Server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("call_bad", "get_forecast", "{\"city\": \"Par", "is\", \"days\": ")));
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Weather?")], ToolOptions(), Guard()));

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_forecast", call.Name);
        Assert.NotNull(call.Exception);
        Assert.True(call.Arguments is null, "malformed arguments must not become an empty argument list");
    }

    [ConformanceFact]
    public async Task GetResponse_InvalidToolArguments_AreReportedNotReplacedByEmptyArguments()
    {
        Server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("call_bad", "get_forecast", "{\"city\": \"Paris\", \"days\": ")));
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "Weather?")], ToolOptions(), Guard());

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.NotNull(call.Exception);
        Assert.True(call.Arguments is null, "malformed arguments must not become an empty argument list");
    }

    [Theory]
    [InlineData(400, "invalid_request_error", "max_tokens is too large for this model")]
    [InlineData(401, "authentication_error", "Incorrect API key provided")]
    [InlineData(404, "not_found_error", "The model does not exist")]
    public async Task GetResponse_HttpError_ThrowsProviderExceptionWithStatusCodeAndMessage(int status, string code, string message)
    {
        Server.Enqueue(ScriptedReply.WithError(status, code, message), ScriptedReply.WithText("must not be reached"));
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()));

        AssertProviderError(exception, status, code, message, transient: false);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Streaming_HttpError_ThrowsProviderExceptionBeforeAnyUpdate()
    {
        Server.Enqueue(ScriptedReply.WithError(400, "invalid_request_error", "messages: field required"));
        using var client = Client();
        var received = 0;

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                received++;
            }
        });

        Assert.Equal(0, received);
        AssertProviderError(exception, 400, "invalid_request_error", "messages: field required", transient: false);
    }

    [Fact]
    public async Task GetResponse_429WithLongRetryAfter_FailsAtOnceCarryingRetryAfter()
    {
        Server.Enqueue(ScriptedReply.WithError(429, "rate_limit_error", "Rate limit reached for requests", TimeSpan.FromHours(1)), ScriptedReply.WithText("too late"));
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()));

        AssertProviderError(exception, 429, "rate_limit_error", "Rate limit reached for requests", transient: true);
        Assert.Equal(TimeSpan.FromHours(1), exception.RetryAfter);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task GetResponse_429WithShortRetryAfter_IsRetriedAndSucceeds()
    {
        Server.Enqueue(ScriptedReply.WithError(429, "rate_limit_error", "Slow down", TimeSpan.FromSeconds(1)), ScriptedReply.WithText("after the wait"));
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task GetResponse_500ThenSuccess_IsRetriedAndSucceeds()
    {
        Server.Enqueue(ScriptedReply.WithError(500, "server_error", "The server had an error"), ScriptedReply.WithText("recovered"));
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        Assert.Equal("recovered", response.Text);
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task Streaming_500ThenSuccess_IsRetriedBeforeTheFirstToken()
    {
        Server.Enqueue(ScriptedReply.WithError(503, "overloaded_error", "Overloaded"), ScriptedReply.WithText("re", "covered"));
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()));

        Assert.Equal("recovered", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task GetResponse_500WithRetriesOff_ThrowsTransientProviderException()
    {
        Server.Enqueue(ScriptedReply.WithError(500, "server_error", "The server had an error"), ScriptedReply.WithText("must not be reached"));
        using var client = Client(maxRetries: 0);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()));

        AssertProviderError(exception, 500, "server_error", "The server had an error", transient: true);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Streaming_MalformedChunk_DeliversEarlierUpdatesThenThrowsNamingTheLine()
    {
        Server.Enqueue(ScriptedReply.WithText("alpha ", "beta ", "gamma") with { MalformedAfter = 2 });
        using var client = Client();
        var received = new List<string>();

        var exception = await Assert.ThrowsAsync<ProviderStreamException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("alpha beta ", string.Concat(received));
        Assert.False(string.IsNullOrWhiteSpace(exception.Provider));
        Assert.False(string.IsNullOrWhiteSpace(exception.Chunk));
        Assert.Contains(exception.Provider, exception.Message, StringComparison.Ordinal);
        AssertNoSecret(exception);
    }

    [Fact]
    public async Task Streaming_ErrorEventMidStream_DeliversEarlierUpdatesThenThrows()
    {
        Server.Enqueue(ScriptedReply.WithText("alpha ", "beta ", "gamma") with { ErrorEventAfter = 2, ErrorEventMessage = "Overloaded, try again later" });
        using var client = Client();
        var received = new List<string>();

        var exception = await Assert.ThrowsAnyAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("alpha beta ", string.Concat(received));
        Assert.Contains("Overloaded, try again later", exception.Message, StringComparison.Ordinal);
        AssertNoSecret(exception);
    }

    [Fact]
    public async Task Kernel_InvokePromptAsync_ReturnsTheAnswer()
    {
        Server.Enqueue(ScriptedReply.WithText("Kernel says ", "hi"));
        var kernel = BuildKernel();

        var result = await kernel.InvokePromptAsync("Greet the user", cancellationToken: Guard());

        Assert.Equal("Kernel says hi", result.ToString());
        var sent = Server.Describe(Server.Requests.Single());
        Assert.Contains(sent.Messages, m => m.Text.Contains("Greet the user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kernel_InvokePromptStreamingAsync_StreamsTheAnswer()
    {
        Server.Enqueue(ScriptedReply.WithText("one ", "two ", "three"));
        var kernel = BuildKernel();
        var text = new List<string>();

        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Count", cancellationToken: Guard()))
        {
            text.Add(chunk.ToString());
        }

        Assert.Equal("one two three", string.Concat(text));
        Assert.True(text.Count(t => t.Length > 0) >= 3);
    }

    [Fact]
    public async Task Kernel_InvokePromptAsync_WithAutoFunctionChoice_InvokesTheKernelFunction()
    {
        var plugin = new WeatherPlugin();
        var kernel = BuildKernel();
        kernel.Plugins.AddFromObject(plugin, "weather");
        Server.Enqueue(view => ScriptedReply.WithToolCalls(new ScriptedToolCall("call_sk1", ForecastToolName(view), "{\"city\": \"Lisbon\"}")));
        Server.Enqueue(ScriptedReply.WithText("Lisbon is warm."));

        var result = await kernel.InvokePromptAsync(
            "Weather in Lisbon?",
            new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }),
            cancellationToken: Guard());

        Assert.Equal("Lisbon is warm.", result.ToString());
        Assert.Equal(["Lisbon"], plugin.Cities);
        AssertSecondTurnCarriesCallAndResult("call_sk1", "Lisbon");
    }

    [Fact]
    public async Task Kernel_InvokePromptStreamingAsync_WithAutoFunctionChoice_InvokesTheKernelFunction()
    {
        var plugin = new WeatherPlugin();
        var kernel = BuildKernel();
        kernel.Plugins.AddFromObject(plugin, "weather");
        Server.Enqueue(view => ScriptedReply.WithToolCalls(new ScriptedToolCall("call_sk2", ForecastToolName(view), "{\"ci", "ty\": \"Lisbon\"}")));
        Server.Enqueue(ScriptedReply.WithText("Lisbon ", "is ", "warm."));
        var text = new List<string>();

        await foreach (var chunk in kernel.InvokePromptStreamingAsync(
            "Weather in Lisbon?",
            new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }),
            cancellationToken: Guard()))
        {
            text.Add(chunk.ToString());
        }

        Assert.Equal("Lisbon is warm.", string.Concat(text));
        Assert.Equal(["Lisbon"], plugin.Cities);
        AssertSecondTurnCarriesCallAndResult("call_sk2", "Lisbon");
    }

    /// <summary>Reads a whole stream into a list.</summary>
    /// <param name="updates">The stream.</param>
    /// <returns>The updates, in order.</returns>
    protected static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates.ConfigureAwait(false))
        {
            list.Add(update);
        }

        return list;
    }

    /// <summary>Checks that an exception's texts never carry the key.</summary>
    /// <param name="exception">The exception.</param>
    protected static void AssertNoSecret(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Assert.DoesNotContain(ApiKey, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Gets a token that cancels after a generous hang guard, so a client that sleeps or hangs fails the test.</summary>
    /// <returns>The token.</returns>
    protected static CancellationToken Guard() => new CancellationTokenSource(HangGuard).Token;

    /// <summary>Creates the provider's client with this test's logs.</summary>
    /// <param name="maxRetries">The provider's <c>MaxRetries</c> setting.</param>
    /// <returns>The client.</returns>
    protected IChatClient Client(int maxRetries = 2) => CreateChatClient(Logs.CreateFactory(), maxRetries);

    private static AIFunction ForecastTool(Func<string, string> forecast) =>
        AIFunctionFactory.Create(
            ([Description("The city")] string city, [Description("How many days")] int days) => forecast(city),
            "get_forecast",
            "Gets the weather forecast for a city.");

    private static ChatOptions ToolOptions() => new() { Tools = [ForecastTool(_ => "sunny")] };

    private static string ForecastToolName(WireRequestView view) =>
        view.ToolNames.SingleOrDefault(n => n.Contains("get_forecast", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"The kernel offered no forecast tool; tools sent: [{string.Join(", ", view.ToolNames)}].");

    private Kernel BuildKernel()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(Logs.CreateFactory());
        AddChatClient(builder);
        return builder.Build();
    }

    private void AssertForecastCall(FunctionCallContent call, string id, string city, int days)
    {
        Assert.Equal("get_forecast", call.Name);
        if (CarriesToolCallIds)
        {
            Assert.Equal(id, call.CallId);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(call.CallId));
        }

        Assert.Null(call.Exception);
        Assert.NotNull(call.Arguments);
        Assert.Equal(city, call.Arguments["city"]?.ToString());
        Assert.Equal(days.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Arguments["days"]?.ToString());
    }

    private void AssertSecondTurnCarriesCallAndResult(string callId, string city = "Paris")
    {
        Assert.Equal(2, Server.Requests.Count);
        var second = Server.Describe(Server.Requests[1]);
        var call = Assert.Single(second.ToolCalls);
        var result = Assert.Single(second.ToolResults);
        if (CarriesToolCallIds)
        {
            Assert.Equal(callId, call.CallId);
        }

        Assert.Equal(call.CallId, result.CallId);
        Assert.Contains("get_forecast", call.Name, StringComparison.Ordinal);
        Assert.Contains(city, call.Arguments, StringComparison.Ordinal);
        Assert.Contains(city, result.Result, StringComparison.Ordinal);
    }

    private void AssertProviderError(ProviderException exception, int status, string code, string message, bool transient)
    {
        Assert.Equal(status, (int?)exception.StatusCode);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Equal(transient, exception.IsTransient);
        Assert.False(string.IsNullOrWhiteSpace(exception.Provider));
        if (ErrorBodiesCarryCode)
        {
            Assert.Equal(code, exception.ErrorCode);
        }

        AssertNoSecret(exception);
    }

    /// <summary>A plugin whose function the model asks for.</summary>
    public sealed class WeatherPlugin
    {
        /// <summary>Gets the cities asked for, in order.</summary>
        public List<string> Cities { get; } = [];

        /// <summary>Gets the forecast.</summary>
        /// <param name="city">The city.</param>
        /// <returns>The forecast.</returns>
        [KernelFunction("get_forecast")]
        [Description("Gets the weather forecast for a city.")]
        public string GetForecast([Description("The city")] string city)
        {
            lock (Cities)
            {
                Cities.Add(city);
            }

            return $"warm and dry in {city}";
        }
    }
}
