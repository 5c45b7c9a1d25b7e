using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Conformance;

/// <summary>The shared chat conformance suite against OpenAI's wire format.</summary>
public sealed class OpenAIChatConformanceTests : ChatClientConformance<OpenAIWireServer>
{
    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        OpenAIClientFactory.CreateChatClient(Options(maxRetries), loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) =>
        builder.AddOpenAIChatClient(o => Copy(Options(2), o));

    private OpenAIOptions Options(int maxRetries) => new()
    {
        ApiKey = ApiKey,
        Model = Model,
        Endpoint = new Uri(Server.BaseAddress, "v1"),
        MaxRetries = maxRetries,
    };

    private static void Copy(OpenAIOptions from, OpenAIOptions to)
    {
        to.ApiKey = from.ApiKey;
        to.Model = from.Model;
        to.Endpoint = from.Endpoint;
        to.MaxRetries = from.MaxRetries;
    }
}
