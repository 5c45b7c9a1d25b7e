using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Conformance;

/// <summary>The shared embedding conformance suite against OpenAI's embeddings format.</summary>
public sealed class OpenAIEmbeddingConformanceTests : EmbeddingGeneratorConformance<OpenAIWireServer>
{
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions) =>
        OpenAIClientFactory.CreateEmbeddingGenerator(
            new OpenAIOptions { ApiKey = ApiKey, EmbeddingModel = Model, EmbeddingDimensions = dimensions, Endpoint = Endpoint },
            loggerFactory);

    protected override void AddEmbeddingGenerator(IServiceCollection services) =>
        services.AddOpenAIEmbeddingGenerator(o =>
        {
            o.ApiKey = ApiKey;
            o.EmbeddingModel = Model;
            o.Endpoint = Endpoint;
        });

    private Uri Endpoint => new(Server.BaseAddress, "v1");
}
