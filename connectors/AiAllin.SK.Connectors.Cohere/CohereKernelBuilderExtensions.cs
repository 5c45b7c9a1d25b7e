using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>Registers Cohere chat clients, embedding generators and rerankers on an <see cref="IKernelBuilder"/>; each forwards to <see cref="CohereServiceCollectionExtensions"/>.</summary>
public static class CohereKernelBuilderExtensions
{
    /// <summary>Adds a Cohere chat client configured by a delegate and the environment; kernel functions run with <c>FunctionChoiceBehavior.Auto()</c>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddCohereChatClient(this IKernelBuilder builder, Action<CohereOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCohereChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a Cohere chat client bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Cohere</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddCohereChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = CohereOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCohereChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a Cohere embedding generator (float vectors) configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddCohereEmbeddingGenerator(this IKernelBuilder builder, Action<CohereEmbeddingOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCohereEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a Cohere embedding generator (float vectors) bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Cohere</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddCohereEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = CohereOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCohereEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a Cohere reranker (<c>IReranker</c>), which the memory plugin uses to reorder search results configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddCohereReranker(this IKernelBuilder builder, Action<CohereRerankOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCohereReranker(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a Cohere reranker (<c>IReranker</c>), which the memory plugin uses to reorder search results bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Cohere</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddCohereReranker(this IKernelBuilder builder, IConfiguration configuration, string sectionName = CohereOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCohereReranker(configuration, sectionName, serviceKey);
        return builder;
    }
}
