using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Recorded streams replayed through a Semantic Kernel registration: SK's own streaming-content conversion has to
// cope with Azure's id-less annotation chunks and with auto function calling over a recorded tool-call turn.
public sealed class OpenAIRecordedKernelTests
{
    // Shape: see AzureOpenAIRecordedTests: prompt_filter_results chunk, filtered content chunks, a delta-less
    // annotation chunk.
    private const string AzureStream = """
        data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

        data: {"choices":[{"content_filter_results":{},"delta":{"content":"","refusal":null,"role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-K1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"delta":{"content":"Kernel ok."},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-K1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-K1","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_offsets":{"check_offset":10,"start_offset":10,"end_offset":20},"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"finish_reason":null,"index":0}],"created":0,"id":"","model":"","object":""}

        data: [DONE]


        """;

    // Shape: see OpenAIRecordedTests (litellm#5231 capture): one call, arguments split; the name is the one our SK
    // registration advertises for plugin "Weather", function "Get".
    private const string ToolCallStream = """
        data: {"id":"chatcmpl-K2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_K2weather0123456789abcd","type":"function","function":{"name":"Weather_Get","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-K2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-K2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"Bratislava\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-K2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}

        data: {"id":"chatcmpl-K2","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[],"usage":{"prompt_tokens":60,"completion_tokens":20,"total_tokens":80}}

        data: [DONE]


        """;

    private const string FinalStream = """
        data: {"id":"chatcmpl-K3","object":"chat.completion.chunk","created":1725000001,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{"role":"assistant","content":"V Bratislave je 21 °C.","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-K3","object":"chat.completion.chunk","created":1725000001,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

        data: [DONE]


        """;

    [Fact]
    public async Task AzureStream_ThroughTheKernel_YieldsTheText()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(AzureStream));
        var builder = Kernel.CreateBuilder();
        builder.AddAzureOpenAIChatClient(o =>
        {
            o.Endpoint = server.BaseAddress;
            o.ApiKey = "0123456789abcdef0123456789abcdef";
            o.Deployment = "gpt-4o";
            o.MaxRetries = 0;
        });
        var kernel = builder.Build();

        var text = string.Empty;
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Say ok", cancellationToken: ReplayAssertions.Guard()))
        {
            text += chunk.ToString();
        }

        Assert.Equal("Kernel ok.", text);
    }

    [Fact]
    public async Task ToolCallStream_ThroughTheKernelWithAutoFunctionCalling_InvokesThePluginWithTheRecordedArguments()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(ToolCallStream), RecordedReply.Sse(FinalStream));
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatClient(o =>
        {
            o.Endpoint = new Uri(server.BaseAddress, "v1");
            o.ApiKey = "sk-proj-recorded0123456789abcdef";
            o.Model = "gpt-4o";
            o.MaxRetries = 0;
        });
        var cities = new List<string>();
        builder.Plugins.AddFromFunctions("Weather", [KernelFunctionFactory.CreateFromMethod((string city) => { cities.Add(city); return "21 °C"; }, "Get")]);
        var kernel = builder.Build();
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        var text = string.Empty;
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Weather in Bratislava?", new KernelArguments(settings), cancellationToken: ReplayAssertions.Guard()))
        {
            text += chunk.ToString();
        }

        Assert.Equal("V Bratislave je 21 °C.", text);
        Assert.Equal(["Bratislava"], cities);
        Assert.Contains("call_K2weather0123456789abcd", server.Requests[1].Body, StringComparison.Ordinal);
    }
}
