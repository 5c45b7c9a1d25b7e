using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Ollama.Tests.Conformance;

// Ollama needs no key; the conformance key is configured anyway, as for Ollama behind an authenticating proxy, so the
// suite checks it is presented as a bearer token and never leaks.
public sealed class OllamaChatConformanceTests : ChatClientConformance<OllamaWireServer>
{
    protected override bool ReportsResponseId => false;

    protected override bool ErrorBodiesCarryCode => false;

    protected override IChatClient CreateChatClient(ILoggerFactory loggerFactory, int maxRetries) =>
        new OllamaChatClient(Options(maxRetries), loggerFactory);

    protected override void AddChatClient(IKernelBuilder builder) => builder.AddOllamaChatClient(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });

    private OllamaOptions Options(int maxRetries) => new()
    {
        Endpoint = Server.BaseAddress,
        ApiKey = ApiKey,
        Model = Model,
        MaxRetries = maxRetries,
    };
}
