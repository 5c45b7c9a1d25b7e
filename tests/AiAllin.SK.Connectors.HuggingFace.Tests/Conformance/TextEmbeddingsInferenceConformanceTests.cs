using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Conformance;

/// <summary>
/// The shared embedding conformance suite against the TEI wire server. The server runs with a client batch size of 64
/// (TEI's <c>--max-client-batch-size</c>) and the generator is set to it, so the suite's 300-input case takes five
/// requests, each within the server's limit.
/// </summary>
public sealed class TextEmbeddingsInferenceConformanceTests : EmbeddingGeneratorConformance<TextEmbeddingsInferenceWireServer>
{
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions)
    {
        Prepare();
        return new TextEmbeddingsInferenceGenerator(
            new TextEmbeddingsInferenceOptions { Endpoint = Server.BaseAddress, ApiKey = ApiKey, Model = Model, Dimensions = dimensions, MaxBatchSize = 64 },
            loggerFactory);
    }

    protected override void AddEmbeddingGenerator(IServiceCollection services)
    {
        Prepare();
        services.AddTextEmbeddingsInferenceGenerator(o =>
        {
            o.Endpoint = Server.BaseAddress;
            o.ApiKey = ApiKey;
            o.Model = Model;
        });
    }

    // TEI serves one model; the wire server reports the one it serves.
    private void Prepare()
    {
        Server.ModelId = Model;
        Server.MaxClientBatchSize = 64;
    }
}
