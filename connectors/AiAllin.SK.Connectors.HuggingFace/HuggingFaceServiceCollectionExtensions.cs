using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>Registers the Hugging Face embedding generators (local, TEI, Inference API) and the TEI reranker on an <see cref="IServiceCollection"/>.</summary>
public static partial class HuggingFaceServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of <see cref="string"/> to
    /// <see cref="Embedding{T}"/> of <see cref="float"/> that runs a sentence-transformer ONNX model in process:
    /// the bundled all-MiniLM-L6-v2 (384 dimensions) unless <see cref="LocalEmbeddingOptions.ModelPath"/> is set.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> keeps the defaults.</param>
    /// <param name="serviceKey">The key to register the generator under, or <see langword="null"/> for an unkeyed registration.</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="FileNotFoundException">A configured model or vocabulary path is missing or unreadable.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <remarks>
    /// Options are validated here, so a bad path fails at startup. The model itself loads on first use, once;
    /// the container disposes the generator.
    /// </remarks>
    public static IServiceCollection AddLocalEmbeddingGenerator(
        this IServiceCollection services,
        Action<LocalEmbeddingOptions>? configure = null,
        object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = new LocalEmbeddingOptions();
        configure?.Invoke(options);
        var settings = LocalModelSettings.Resolve(options);

        if (serviceKey is null)
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new LocalEmbeddingGenerator(settings, sp.GetService<ILoggerFactory>()));
        }
        else
        {
            services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(serviceKey, (sp, _) => new LocalEmbeddingGenerator(settings, sp.GetService<ILoggerFactory>()));
        }

        return services;
    }
}
