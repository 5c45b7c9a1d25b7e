using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>The shared embedding contract for Azure OpenAI with key auth on the deployment route.</summary>
public sealed class AzureEmbeddingConformanceTests : EmbeddingGeneratorConformance<OpenAIWireServer>
{
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions)
    {
        var options = new AzureOpenAIOptions();
        Apply(options);
        options.EmbeddingDimensions = dimensions;
        return AzureOpenAIClientFactory.CreateEmbeddingGenerator(options, loggerFactory);
    }

    protected override void AddEmbeddingGenerator(IServiceCollection services)
        => services.AddAzureOpenAIEmbeddingGenerator(Apply);

    private void Apply(AzureOpenAIOptions options)
    {
        options.Endpoint = Server.BaseAddress;
        options.ApiKey = ApiKey;
        options.EmbeddingDeployment = Model;
    }
}
