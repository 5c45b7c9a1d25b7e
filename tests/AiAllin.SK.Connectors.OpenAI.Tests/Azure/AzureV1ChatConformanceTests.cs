using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>The shared chat contract for Azure OpenAI's version-less v1 routes with key auth.</summary>
public sealed class AzureV1ChatConformanceTests : ChatClientConformance<OpenAIWireServer>
{
    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries)
    {
        var options = new AzureOpenAIOptions();
        Apply(options);
        options.MaxRetries = maxRetries;
        return AzureOpenAIClientFactory.CreateChatClient(options, loggerFactory);
    }

    protected override void AddChatClient(IKernelBuilder builder) => builder.AddAzureOpenAIChatClient(Apply);

    private void Apply(AzureOpenAIOptions options)
    {
        options.Endpoint = Server.BaseAddress;
        options.ApiKey = ApiKey;
        options.Deployment = Model;
        options.ApiVersion = AzureOpenAIOptions.V1ApiVersion;
    }
}
