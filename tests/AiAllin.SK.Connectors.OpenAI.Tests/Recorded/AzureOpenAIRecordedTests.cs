using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Testing.Providers.Recorded.ReplayAssertions;
using AiAllin.SK.Testing.Providers.Recorded;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Recorded;

// Transcripts of Azure OpenAI as users captured them from real deployments, trimmed to what matters.
public sealed class AzureOpenAIRecordedTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    // Shape: first event with empty ids, choices [] and only prompt_filter_results (AbanteAI/mentat#429,
    // Azure/azure-sdk-for-go#21086, microsoft/autogen#6465); content chunks with content_filter_results on every
    // choice (rksm/org-ai#90); the finish chunk; then, with asynchronous filtering, an annotation event whose choice
    // has NO delta and carries content_filter_offsets (langchain-ai/langchain#18977, microsoft/autogen#6465);
    // then the include_usage chunk.
    private const string StreamWithFilterAnnotations = """
        data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

        data: {"choices":[{"content_filter_results":{},"delta":{"content":"","refusal":null,"role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-AVx1bQ2cR3dS4eT5fU6gV7hW8iX9j","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291","usage":null}

        data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"delta":{"content":"This is"},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-AVx1bQ2cR3dS4eT5fU6gV7hW8iX9j","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291","usage":null}

        data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"delta":{"content":" a test."},"finish_reason":null,"index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-AVx1bQ2cR3dS4eT5fU6gV7hW8iX9j","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291","usage":null}

        data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],"created":1732001234,"id":"chatcmpl-AVx1bQ2cR3dS4eT5fU6gV7hW8iX9j","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291","usage":null}

        data: {"choices":[{"content_filter_offsets":{"check_offset":44,"start_offset":44,"end_offset":58},"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"protected_material_code":{"filtered":false,"detected":false},"protected_material_text":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"finish_reason":null,"index":0}],"created":0,"id":"","model":"","object":"","usage":null}

        data: {"choices":[],"created":1732001234,"id":"chatcmpl-AVx1bQ2cR3dS4eT5fU6gV7hW8iX9j","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291","usage":{"completion_tokens":5,"completion_tokens_details":{"accepted_prediction_tokens":0,"audio_tokens":0,"reasoning_tokens":0,"rejected_prediction_tokens":0},"prompt_tokens":12,"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":0},"total_tokens":17}}

        data: [DONE]


        """;

    // Shape: Azure OpenAI content-filtering concept page, non-streaming answer with prompt_filter_results and
    // content_filter_results beside the message.
    private const string CompletionWithFilterResults = """
        {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"protected_material_code":{"filtered":false,"detected":false},"protected_material_text":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":[],"content":"This is a test.","refusal":null,"role":"assistant"}}],"created":1732001300,"id":"chatcmpl-AVx2cR3dS4eT5fU6gV7hW8iX9jK0","model":"gpt-4o-2024-11-20","object":"chat.completion","prompt_filter_results":[{"prompt_filter_results":null,"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":false,"detected":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}],"system_fingerprint":"fp_b705f0c291","usage":{"completion_tokens":5,"completion_tokens_details":{"accepted_prediction_tokens":0,"audio_tokens":0,"reasoning_tokens":0,"rejected_prediction_tokens":0},"prompt_tokens":12,"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":0},"total_tokens":17}}
        """;

    // Shape: Azure OpenAI content-filtering concept page, prompt refused with HTTP 400 and innererror verdicts.
    private const string PromptFiltered400 = """
        {
            "error": {
                "message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
                "type": null,
                "param": "prompt",
                "code": "content_filter",
                "status": 400,
                "innererror": {
                    "code": "ResponsibleAIPolicyViolation",
                    "content_filter_result": {
                        "hate": {"filtered": false, "severity": "safe"},
                        "jailbreak": {"filtered": false, "detected": false},
                        "self_harm": {"filtered": false, "severity": "safe"},
                        "sexual": {"filtered": false, "severity": "safe"},
                        "violence": {"filtered": true, "severity": "medium"}
                    }
                }
            }
        }
        """;

    // Shape: Azure OpenAI quota guide, 429 with the numeric code as a string, retry-after and retry-after-ms.
    private const string RateLimit429 = """
        {"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}
        """;

    // Shape: Azure OpenAI 404 for an unknown deployment.
    private const string DeploymentNotFound404 = """
        {"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}
        """;

    // Shape: Azure OpenAI content-filtering concept page, "streaming: output filtered": the choice ends with
    // finish_reason "content_filter" and the offending category marked filtered.
    private const string OutputFilteredStream = """
        data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

        data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}},"delta":{"content":"The story begins","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1732003000,"id":"chatcmpl-AVz4eT5fU6gV7hW8iX9jK0lM1n","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}},"delta":{},"finish_reason":"content_filter","index":0,"logprobs":null}],"created":1732003000,"id":"chatcmpl-AVz4eT5fU6gV7hW8iX9jK0lM1n","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_b705f0c291"}

        data: [DONE]


        """;

    [Fact]
    public async Task OutputFilteredStream_EndsWithContentFilterAfterTheText()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(OutputFilteredStream));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("The story begins", merged.Text);
        Assert.Equal(ChatFinishReason.ContentFilter, merged.FinishReason);
    }

    [Fact]
    public async Task StreamWithFilterAnnotations_IncludingAChoiceWithoutDelta_YieldsTextUsageAndIds()
    {
        await using var server = ReplayServer.Start(RecordedReply.Sse(StreamWithFilterAnnotations));
        using var client = Client(server);

        var (_, merged) = await StreamAsync(client);

        Assert.Equal("This is a test.", merged.Text);
        Assert.Equal(ChatFinishReason.Stop, merged.FinishReason);
        Assert.Equal(12, merged.Usage?.InputTokenCount);
        Assert.Equal(5, merged.Usage?.OutputTokenCount);
        Assert.Equal("gpt-4o-2024-11-20", merged.ModelId);
        Assert.Equal("chatcmpl-AVx1bQ2cR3dS4eT5fU6gV7hW8iX9j", merged.ResponseId);
    }

    [Fact]
    public async Task CompletionWithFilterResults_YieldsTextAndUsage()
    {
        await using var server = ReplayServer.Start(RecordedReply.Json(CompletionWithFilterResults));
        using var client = Client(server);

        var response = await client.GetResponseAsync("Say this is a test", cancellationToken: Guard());

        Assert.Equal("This is a test.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(17, response.Usage?.TotalTokenCount);
        Assert.Equal("gpt-4o-2024-11-20", response.ModelId);
    }

    [Fact]
    public async Task PromptFiltered400_IsANonTransientContentFilterError()
    {
        await using var server = ReplayServer.Start(new RecordedReply(400, PromptFiltered400) { Headers = new Dictionary<string, string> { ["apim-request-id"] = "3c9e6f2a-1b2c-4d5e-8f90-a1b2c3d4e5f6" } });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("content_filter", ex.ErrorCode);
        Assert.Contains("content management policy", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task RateLimit429_WithRetryAfterMs_ReportsThatDelay()
    {
        var headers = new Dictionary<string, string>
        {
            ["retry-after"] = "1",
            ["retry-after-ms"] = "388",
            ["x-ratelimit-remaining-requests"] = "79",
            ["x-ratelimit-remaining-tokens"] = "0",
            ["apim-request-id"] = "9d1e2f3a-4b5c-6d7e-8f90-0a1b2c3d4e5f",
        };
        await using var server = ReplayServer.Start(new RecordedReply(429, RateLimit429) { Headers = headers });
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Guard()));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromMilliseconds(388), ex.RetryAfter);
        Assert.Contains("exceeded token rate limit", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentNotFound404_CarriesTheAzureCode()
    {
        await using var server = ReplayServer.Start(new RecordedReply(404, DeploymentNotFound404));
        using var client = Client(server);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("DeploymentNotFound", ex.ErrorCode);
        Assert.False(ex.IsTransient);
    }

    private static IChatClient Client(ReplayServer server) =>
        AzureOpenAIClientFactory.CreateChatClient(new AzureOpenAIOptions { Endpoint = server.BaseAddress, ApiKey = Key, Deployment = "gpt-4o", MaxRetries = 0 });
}
