using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>The shared chat contract for Azure OpenAI with key auth on the deployment route.</summary>
public sealed class AzureChatConformanceTests : ChatClientConformance<OpenAIWireServer>
{
    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries)
        => AzureOpenAIClientFactory.CreateChatClient(Options(maxRetries), loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder)
        => builder.AddAzureOpenAIChatClient(o => Apply(o, maxRetries: 2));

    private AzureOpenAIOptions Options(int maxRetries)
    {
        var options = new AzureOpenAIOptions();
        Apply(options, maxRetries);
        return options;
    }

    private void Apply(AzureOpenAIOptions options, int maxRetries)
    {
        options.Endpoint = Server.BaseAddress;
        options.ApiKey = ApiKey;
        options.Deployment = Model;
        options.MaxRetries = maxRetries;
    }
}
