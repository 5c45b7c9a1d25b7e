using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Conformance;

/// <summary>The shared chat conformance suite through the Hugging Face router preset, on the router's <c>/v1</c> path.</summary>
public sealed class HuggingFaceRouterChatConformanceTests : ChatClientConformance<OpenAIWireServer>
{
    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        OpenAIClientFactory.CreateChatClient(new HuggingFaceRouterOptions { ApiKey = ApiKey, Model = Model, Endpoint = Endpoint, MaxRetries = maxRetries }, loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) =>
        builder.AddHuggingFaceChatClient(o =>
        {
            o.ApiKey = ApiKey;
            o.Model = Model;
            o.Endpoint = Endpoint;
        });

    private Uri Endpoint => new(Server.BaseAddress, "v1");
}
