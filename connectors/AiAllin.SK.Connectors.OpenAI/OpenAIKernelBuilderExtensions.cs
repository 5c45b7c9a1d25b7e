using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Registers OpenAI, Groq, Hugging Face router and OpenAI-compatible chat clients and embedding generators on a kernel builder; each method
/// forwards to <see cref="OpenAIServiceCollectionExtensions"/>. The chat clients run kernel functions when the prompt
/// settings say <c>FunctionChoiceBehavior.Auto()</c>.
/// </summary>
public static partial class OpenAIKernelBuilderExtensions
{
    /// <summary>Adds an OpenAI chat client configured by a delegate, then <c>OPENAI_*</c> variables.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAIChatClient(this IKernelBuilder builder, Action<OpenAIOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAIChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an OpenAI chat client configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAIChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = OpenAIOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAIChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds an OpenAI embedding generator configured by a delegate, then <c>OPENAI_*</c> variables.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAIEmbeddingGenerator(this IKernelBuilder builder, Action<OpenAIOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAIEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an OpenAI embedding generator configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAIEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = OpenAIOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAIEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a Groq chat client configured by a delegate, then <c>GROQ_*</c> variables.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddGroqChatClient(this IKernelBuilder builder, Action<GroqOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGroqChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a Groq chat client configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:Groq</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddGroqChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = GroqOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGroqChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a chat client for Hugging Face's OpenAI-compatible router configured by a delegate, then <c>HF_TOKEN</c> / <c>HF_MODEL</c>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddHuggingFaceChatClient(this IKernelBuilder builder, Action<HuggingFaceRouterOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHuggingFaceChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a chat client for Hugging Face's OpenAI-compatible router configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:HuggingFaceRouter</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddHuggingFaceChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = HuggingFaceRouterOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHuggingFaceChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds a chat client for an OpenAI-compatible server configured by a delegate.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options (endpoint and model at least).</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAICompatibleChatClient(this IKernelBuilder builder, Action<OpenAICompatibleOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAICompatibleChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds a chat client for an OpenAI-compatible server from ready options, for example a preset.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The options.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAICompatibleChatClient(this IKernelBuilder builder, OpenAICompatibleOptions options, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAICompatibleChatClient(options, serviceKey);
        return builder;
    }

    /// <summary>Adds a chat client for an OpenAI-compatible server configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAICompatible</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAICompatibleChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = OpenAICompatibleOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAICompatibleChatClient(configuration, sectionName, serviceKey);
        return builder;
    }

    /// <summary>Adds an embedding generator for an OpenAI-compatible server configured by a delegate.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options (endpoint and embedding model).</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAICompatibleEmbeddingGenerator(this IKernelBuilder builder, Action<OpenAICompatibleOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAICompatibleEmbeddingGenerator(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an embedding generator for an OpenAI-compatible server configured by a configuration section.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:OpenAICompatible</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddOpenAICompatibleEmbeddingGenerator(this IKernelBuilder builder, IConfiguration configuration, string sectionName = OpenAICompatibleOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenAICompatibleEmbeddingGenerator(configuration, sectionName, serviceKey);
        return builder;
    }
}
