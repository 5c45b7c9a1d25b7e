using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>Registers Gemini chat clients and embedding generators on an <see cref="IKernelBuilder"/>; each forwards to <see cref="GeminiServiceCollectionExtensions"/>.</summary>
public static class GeminiKernelBuilderExtensions
{
    /// <summary>Adds a Gemini chat client configured by a delegate and the environment; kernel functions run with <c>FunctionChoiceBehavior.Auto()</c>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddGeminiChatClient(this IKernelBuilder builder, Action<GeminiOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGeminiChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a Gemini chat client bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Gemini</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddGeminiChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = GeminiOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGeminiChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a Gemini embedding generator configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddGeminiEmbeddingGenerator(this IKernelBuilder builder, Action<GeminiEmbeddingOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGeminiEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a Gemini embedding generator bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Gemini</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddGeminiEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = GeminiOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGeminiEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }
}
