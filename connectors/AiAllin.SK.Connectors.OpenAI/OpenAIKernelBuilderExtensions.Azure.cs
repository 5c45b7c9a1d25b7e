using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>Azure OpenAI registrations on a kernel builder; each forwards to <see cref="OpenAIServiceCollectionExtensions"/>.</summary>
public static partial class OpenAIKernelBuilderExtensions
{
    /// <summary>Adds an Azure OpenAI chat client configured by a delegate, then <c>AZURE_OPENAI_*</c> variables; it runs kernel functions with <c>FunctionChoiceBehavior.Auto()</c>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IKernelBuilder AddAzureOpenAIChatClient(this IKernelBuilder builder, Action<AzureOpenAIOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAzureOpenAIChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an Azure OpenAI chat client configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:AzureOpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IKernelBuilder AddAzureOpenAIChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = AzureOpenAIOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAzureOpenAIChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds an Azure OpenAI embedding generator configured by a delegate, then <c>AZURE_OPENAI_*</c> variables.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IKernelBuilder AddAzureOpenAIEmbeddingGenerator(this IKernelBuilder builder, Action<AzureOpenAIOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAzureOpenAIEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an Azure OpenAI embedding generator configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:AzureOpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IKernelBuilder AddAzureOpenAIEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = AzureOpenAIOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAzureOpenAIEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }
}
