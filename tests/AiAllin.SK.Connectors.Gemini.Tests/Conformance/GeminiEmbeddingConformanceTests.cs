using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Gemini.Tests.Conformance;

// batchEmbedContents reports no token usage.
public sealed class GeminiEmbeddingConformanceTests : EmbeddingGeneratorConformance<GeminiWireServer>
{
    protected override bool ReportsUsage => false;

    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions) =>
        new GeminiEmbeddingGenerator(
            new GeminiEmbeddingOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, Dimensions = dimensions },
            loggerFactory);

    protected override void AddEmbeddingGenerator(IServiceCollection services) => services.AddGeminiEmbeddingGenerator(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });
}
