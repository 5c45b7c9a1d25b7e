using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>Registers the Hugging Face embedding generators (local, TEI, Inference API) and the TEI reranker on an <see cref="IKernelBuilder"/>.</summary>
public static partial class HuggingFaceKernelBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of <see cref="string"/> to
    /// <see cref="Embedding{T}"/> of <see cref="float"/> that runs a sentence-transformer ONNX model in process:
    /// the bundled all-MiniLM-L6-v2 (384 dimensions) unless <see cref="LocalEmbeddingOptions.ModelPath"/> is set.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> keeps the defaults.</param>
    /// <param name="serviceKey">The key to register the generator under, or <see langword="null"/> for an unkeyed registration.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="FileNotFoundException">A configured model or vocabulary path is missing or unreadable.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IKernelBuilder AddLocalEmbeddingGenerator(
        this IKernelBuilder builder,
        Action<LocalEmbeddingOptions>? configure = null,
        object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalEmbeddingGenerator(configure, serviceKey);
        return builder;
    }
}
