using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Conformance;

/// <summary>
/// The shared embedding conformance suite against the Inference API wire server (feature-extraction task). The task
/// takes no vector size and reports no token usage.
/// </summary>
public sealed class HuggingFaceInferenceConformanceTests : EmbeddingGeneratorConformance<HuggingFaceInferenceWireServer>
{
    protected override bool SupportsDimensions => false;

    protected override bool ReportsUsage => false;

    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions) =>
        new HuggingFaceInferenceEmbeddingGenerator(
            new HuggingFaceInferenceOptions { Endpoint = Endpoint, ApiKey = ApiKey, Model = Model, MaxBatchSize = 64 },
            loggerFactory);

    protected override void AddEmbeddingGenerator(IServiceCollection services) => services.AddHuggingFaceInferenceEmbeddingGenerator(o =>
    {
        o.Endpoint = Endpoint;
        o.ApiKey = ApiKey;
        o.Model = Model;
    });

    private Uri Endpoint => new(Server.BaseAddress, "hf-inference/");
}
