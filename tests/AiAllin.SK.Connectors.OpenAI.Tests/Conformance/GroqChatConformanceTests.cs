using AiAllin.SK.Connectors.OpenAI.Tests.WireFormat;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Conformance;

/// <summary>The shared chat conformance suite against Groq's dialect of the OpenAI format, on Groq's <c>/openai/v1</c> path.</summary>
public sealed class GroqChatConformanceTests : ChatClientConformance<GroqWireServer>
{
    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        OpenAIClientFactory.CreateChatClient(new GroqOptions { ApiKey = ApiKey, Model = Model, Endpoint = Endpoint, MaxRetries = maxRetries }, loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) =>
        builder.AddGroqChatClient(o =>
        {
            o.ApiKey = ApiKey;
            o.Model = Model;
            o.Endpoint = Endpoint;
        });

    private Uri Endpoint => new(Server.BaseAddress, "openai/v1");
}
