using AiAllin.SK.Connectors.Core.Reranking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.HuggingFace;

// The remote clients on a kernel builder; each method forwards to HuggingFaceServiceCollectionExtensions.
public static partial class HuggingFaceKernelBuilderExtensions
{
    /// <summary>Adds a <see cref="TextEmbeddingsInferenceGenerator"/> as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddTextEmbeddingsInferenceGenerator(this IKernelBuilder builder, Action<TextEmbeddingsInferenceOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTextEmbeddingsInferenceGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a <see cref="TextEmbeddingsInferenceGenerator"/> bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:TextEmbeddingsInference</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddTextEmbeddingsInferenceGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = TextEmbeddingsInferenceOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTextEmbeddingsInferenceGenerator(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a <see cref="TextEmbeddingsInferenceReranker"/> as the <see cref="IReranker"/>, configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddTextEmbeddingsInferenceReranker(this IKernelBuilder builder, Action<TextEmbeddingsInferenceRerankerOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTextEmbeddingsInferenceReranker(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a <see cref="TextEmbeddingsInferenceReranker"/> bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:TextEmbeddingsInferenceReranker</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddTextEmbeddingsInferenceReranker(this IKernelBuilder builder, IConfiguration configuration, string sectionName = TextEmbeddingsInferenceRerankerOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTextEmbeddingsInferenceReranker(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a <see cref="HuggingFaceInferenceEmbeddingGenerator"/> as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddHuggingFaceInferenceEmbeddingGenerator(this IKernelBuilder builder, Action<HuggingFaceInferenceOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHuggingFaceInferenceEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a <see cref="HuggingFaceInferenceEmbeddingGenerator"/> bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:HuggingFace</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The same kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddHuggingFaceInferenceEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = HuggingFaceInferenceOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHuggingFaceInferenceEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }
}
