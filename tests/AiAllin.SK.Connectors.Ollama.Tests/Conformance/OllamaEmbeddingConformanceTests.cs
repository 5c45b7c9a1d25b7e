using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Ollama.Tests.Conformance;

public sealed class OllamaEmbeddingConformanceTests : EmbeddingGeneratorConformance<OllamaWireServer>
{
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions) =>
        new OllamaEmbeddingGenerator(
            new OllamaEmbeddingOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, Dimensions = dimensions },
            loggerFactory);

    protected override void AddEmbeddingGenerator(IServiceCollection services) => services.AddOllamaEmbeddingGenerator(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });
}
