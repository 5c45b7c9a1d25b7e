using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>Registers Ollama chat clients and embedding generators on an <see cref="IKernelBuilder"/>; each forwards to <see cref="OllamaServiceCollectionExtensions"/>.</summary>
public static class OllamaKernelBuilderExtensions
{
    /// <summary>Adds an Ollama chat client configured by a delegate and the environment; kernel functions run with <c>FunctionChoiceBehavior.Auto()</c>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddOllamaChatClient(this IKernelBuilder builder, Action<OllamaOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOllamaChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an Ollama chat client bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Ollama</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddOllamaChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = OllamaOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOllamaChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds an Ollama embedding generator configured by a delegate and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddOllamaEmbeddingGenerator(this IKernelBuilder builder, Action<OllamaEmbeddingOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOllamaEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an Ollama embedding generator bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Ollama</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddOllamaEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = OllamaOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOllamaEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }
}
