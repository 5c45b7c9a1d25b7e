using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Anthropic.Tests;

public sealed class AnthropicChatConformanceTests : ChatClientConformance<AnthropicWireServer>
{
    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        new AnthropicChatClient(Options(maxRetries), loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) =>
        builder.AddAnthropicChatClient(o => Copy(Options(2), o));

    private AnthropicOptions Options(int maxRetries) => new()
    {
        ApiKey = ApiKey,
        Model = Model,
        Endpoint = Server.BaseAddress,
        MaxRetries = maxRetries,
    };

    private static void Copy(AnthropicOptions from, AnthropicOptions to)
    {
        to.ApiKey = from.ApiKey;
        to.Model = from.Model;
        to.Endpoint = from.Endpoint;
        to.MaxRetries = from.MaxRetries;
    }
}
