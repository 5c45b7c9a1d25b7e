using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Conformance;

/// <summary>The shared embedding conformance suite against a keyless OpenAI-compatible server.</summary>
public sealed class OpenAICompatibleEmbeddingConformanceTests : EmbeddingGeneratorConformance<OpenAIWireServer>
{
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions) =>
        OpenAIClientFactory.CreateEmbeddingGenerator(
            new OpenAICompatibleOptions { EmbeddingModel = Model, EmbeddingDimensions = dimensions, Endpoint = Endpoint },
            loggerFactory);

    protected override void AddEmbeddingGenerator(IServiceCollection services) =>
        services.AddOpenAICompatibleEmbeddingGenerator(o =>
        {
            o.EmbeddingModel = Model;
            o.Endpoint = Endpoint;
        });

    private Uri Endpoint => new(Server.BaseAddress, "v1");
}
