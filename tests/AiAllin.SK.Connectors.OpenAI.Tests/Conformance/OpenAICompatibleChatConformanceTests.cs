using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Conformance;

/// <summary>The shared chat conformance suite against a keyless local OpenAI-compatible server (LM Studio, vLLM, llama.cpp).</summary>
public sealed class OpenAICompatibleChatConformanceTests : ChatClientConformance<OpenAIWireServer>
{
    protected override bool SendsCredential => false;

    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "vLLM", Model = Model, Endpoint = Endpoint, MaxRetries = maxRetries }, loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) =>
        builder.AddOpenAICompatibleChatClient(o =>
        {
            o.Name = "vLLM";
            o.Model = Model;
            o.Endpoint = Endpoint;
        });

    private Uri Endpoint => new(Server.BaseAddress, "v1");
}
