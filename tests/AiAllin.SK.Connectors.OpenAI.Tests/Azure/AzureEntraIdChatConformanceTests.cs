using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>
/// The shared chat contract for Azure OpenAI with Entra ID: the credential hands out the suite's key as its token, so
/// the suite's credential and secret checks apply to the bearer token.
/// </summary>
public sealed class AzureEntraIdChatConformanceTests : ChatClientConformance<OpenAIWireServer>
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
        options.Credential = new AzureTestCredential(ApiKey);
        options.Deployment = Model;
    }
}
