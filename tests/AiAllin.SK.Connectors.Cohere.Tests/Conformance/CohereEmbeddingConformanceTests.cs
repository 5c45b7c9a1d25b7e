using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Cohere.Tests.Conformance;

public sealed class CohereEmbeddingConformanceTests : EmbeddingGeneratorConformance<CohereWireServer>
{
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions) =>
        new CohereEmbeddingGenerator(
            new CohereEmbeddingOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, Dimensions = dimensions },
            loggerFactory);

    protected override void AddEmbeddingGenerator(IServiceCollection services) => services.AddCohereEmbeddingGenerator(o =>
    {
        o.Endpoint = Server.BaseAddress;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });
}
