using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers.Recorded;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

/// <summary>
/// A recorded tool-call turn whose arguments are not JSON (an unquoted string, as small models send): the plugin
/// function must never run with empty arguments, through the kernel or on Microsoft.Extensions.AI's tool loop with
/// <see cref="ToolCallArgumentsCheck"/>; the model gets the tool loop's error result for that call.
/// </summary>
public sealed class OpenAIRecordedInvalidArgumentsTests
{
    // Shape: the OpenAI stream of OpenAIRecordedKernelTests.ToolCallStream with the argument value left unquoted.
    private const string BadCallStream = """
        data: {"id":"chatcmpl-B1","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_B1bad0123456789abcdefg","type":"function","function":{"name":"Weather_Get","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-B1","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": Bratislava"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-B1","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}

        data: [DONE]


        """;

    // Shape: the Azure OpenAI stream (prompt_filter_results first, content_filter_results on every choice).
    private const string AzureBadCallStream = """
        data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

        data: {"choices":[{"content_filter_results":{},"delta":{"content":null,"refusal":null,"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"Weather_Get"},"id":"call_AzB1bad0123456789abcdef","index":0,"type":"function"}]},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001240,"id":"chatcmpl-AzB1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{},"delta":{"tool_calls":[{"function":{"arguments":"{\"city\":'Bratislava'}"},"index":0}]},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001240,"id":"chatcmpl-AzB1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"tool_calls","index":0,"logprobs":null}],"created":1732001240,"id":"chatcmpl-AzB1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: [DONE]


        """;

    private const string FinalStream = """
        data: {"id":"chatcmpl-B2","object":"chat.completion.chunk","created":1725000001,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":"Neviem."},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-B2","object":"chat.completion.chunk","created":1725000001,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

        data: [DONE]


        """;

    private const string ErrorResult = "\"content\":\"" + InvalidToolArgumentsRun.ErrorResult + "\"";

    [Fact]
    public async Task OpenAI_ThroughTheKernel_NeverRunsThePluginAndTheModelGetsAnError()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(BadCallStream, chunkSize: 37), RecordedReply.Sse(FinalStream));
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatClient(o =>
        {
            o.Endpoint = new Uri(server.BaseAddress, "v1");
            o.ApiKey = "sk-proj-recorded0123456789abcdef";
            o.Model = "gpt-4o";
            o.MaxRetries = 0;
        });

        var (text, cities) = await InvalidToolArgumentsRun.StreamAsync(builder, new OpenAIPromptExecutionSettings());

        Assert.Empty(cities);
        Assert.Equal("Neviem.", text);
        Assert.Contains("call_B1bad0123456789abcdefg", server.Requests[1].Body, StringComparison.Ordinal);
        Assert.Contains(ErrorResult, server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_ThroughTheKernel_NeverRunsThePluginAndTheModelGetsAnError()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(AzureBadCallStream, chunkSize: 29), RecordedReply.Sse(FinalStream));
        var builder = Kernel.CreateBuilder();
        builder.AddAzureOpenAIChatClient(o =>
        {
            o.Endpoint = server.BaseAddress;
            o.ApiKey = "0123456789abcdef0123456789abcdef";
            o.Deployment = "gpt-4o";
            o.MaxRetries = 0;
        });

        var (text, cities) = await InvalidToolArgumentsRun.StreamAsync(builder, new OpenAIPromptExecutionSettings());

        Assert.Empty(cities);
        Assert.Equal("Neviem.", text);
        Assert.Contains("call_AzB1bad0123456789abcdef", server.Requests[1].Body, StringComparison.Ordinal);
        Assert.Contains(ErrorResult, server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeaiToolLoop_WithTheCheck_NeverRunsTheFunctionAndTheModelGetsAnError()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(BadCallStream), RecordedReply.Sse(FinalStream));
        var (text, cities) = await RunMeaiLoopAsync(server, c => c.FunctionInvoker = ToolCallArgumentsCheck.InvokeAsync);

        Assert.Empty(cities);
        Assert.Equal("Neviem.", text);
        Assert.Contains(ErrorResult, server.Requests[1].Body, StringComparison.Ordinal);
    }

    // Pins Microsoft.Extensions.AI 10.11: its tool loop ignores FunctionCallContent.Exception and runs the function
    // with empty arguments, which is why ToolCallArgumentsCheck exists.
    [Fact]
    public async Task MeaiToolLoop_WithoutTheCheck_RunsTheFunctionWithEmptyArguments()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(BadCallStream), RecordedReply.Sse(FinalStream));
        var (_, cities) = await RunMeaiLoopAsync(server, configure: null);

        Assert.Equal([null], cities);
    }

    [Fact]
    public async Task RegisteredClient_WithPlainChatOptionsTools_NeverRunsTheFunctionAndTheModelGetsAnError()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(BadCallStream, chunkSize: 41), RecordedReply.Sse(FinalStream));
        var services = new ServiceCollection().AddOpenAIChatClient(o =>
        {
            o.Endpoint = new Uri(server.BaseAddress, "v1");
            o.ApiKey = "sk-proj-recorded0123456789abcdef";
            o.Model = "gpt-4o";
            o.MaxRetries = 0;
        });
        await using var provider = services.BuildServiceProvider();
        var cities = new List<string?>();
        var tool = AIFunctionFactory.Create((string? city = null) => { cities.Add(city); return "21 °C"; }, "Weather_Get");

        var response = await provider.GetRequiredService<IChatClient>()
            .GetStreamingResponseAsync("Weather?", new ChatOptions { Tools = [tool] }, ReplayAssertions.Guard()).ToChatResponseAsync();

        Assert.Empty(cities);
        Assert.Equal("Neviem.", response.Text);
        Assert.Contains(ErrorResult, server.Requests[1].Body, StringComparison.Ordinal);
    }

    private static async Task<(string Text, List<string?> Cities)> RunMeaiLoopAsync(ReplayServer server, Action<FunctionInvokingChatClient>? configure)
    {
        using var client = OpenAIClientFactory.CreateChatClient(new OpenAIOptions { Endpoint = new Uri(server.BaseAddress, "v1"), ApiKey = "sk-proj-recorded0123456789abcdef", Model = "gpt-4o", MaxRetries = 0 })
            .AsBuilder()
            .UseFunctionInvocation(configure: configure)
            .Build();
        var cities = new List<string?>();
        var tool = AIFunctionFactory.Create((string? city = null) => { cities.Add(city); return "21 °C"; }, "Weather_Get");

        var response = await client.GetStreamingResponseAsync("Weather?", new ChatOptions { Tools = [tool] }, ReplayAssertions.Guard()).ToChatResponseAsync();
        return (response.Text, cities);
    }
}
