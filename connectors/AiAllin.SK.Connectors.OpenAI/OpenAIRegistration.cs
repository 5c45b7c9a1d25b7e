using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// The registration steps every Add…ChatClient / Add…EmbeddingGenerator of this package shares: build the options
/// (delegate or configuration section, then environment variables for what is still unset), validate them at once so
/// a bad setting stops the app at startup, and register a singleton that is created on first use.
/// </summary>
internal static class OpenAIRegistration
{
    /// <summary>Builds options from a delegate, fills them from the environment and validates them.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="configure">Sets options, or <see langword="null"/>.</param>
    /// <param name="getVariable">Reads an environment variable.</param>
    /// <param name="forEmbeddings">Whether the options configure an embedding generator.</param>
    /// <returns>The validated options.</returns>
    public static TOptions FromDelegate<TOptions>(Action<TOptions>? configure, Func<string, string?> getVariable, bool forEmbeddings)
        where TOptions : OpenAIOptions, new()
    {
        var options = new TOptions();
        configure?.Invoke(options);
        return Complete(options, OpenAIClientFactory.SectionOf(options), getVariable, forEmbeddings);
    }

    /// <summary>Binds options from a configuration section, fills them from the environment and validates them.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="configuration">The configuration root (or any parent of the section).</param>
    /// <param name="sectionName">The section, for example <c>AiAllin:OpenAI</c>.</param>
    /// <param name="getVariable">Reads an environment variable.</param>
    /// <param name="forEmbeddings">Whether the options configure an embedding generator.</param>
    /// <returns>The validated options.</returns>
    public static TOptions FromConfiguration<TOptions>(IConfiguration configuration, string sectionName, Func<string, string?> getVariable, bool forEmbeddings)
        where TOptions : OpenAIOptions, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new TOptions();
        configuration.GetSection(sectionName).Bind(options);
        return Complete(options, sectionName, getVariable, forEmbeddings);
    }

    /// <summary>Registers a chat client made from validated options, with SK's kernel-function invocation so a kernel can run tools.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddChatClient(IServiceCollection services, OpenAIOptions options, string? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddProviderChatClient(serviceKey, options, (loggerFactory, handler) => OpenAIClientFactory.CreateChatClient(options, loggerFactory, handler));
    }

    /// <summary>Registers an embedding generator made from validated options.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddEmbeddingGenerator(IServiceCollection services, OpenAIOptions options, string? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddProviderEmbeddingGenerator(serviceKey, options, (loggerFactory, handler) => OpenAIClientFactory.CreateEmbeddingGenerator(options, loggerFactory, handler));
    }

    private static TOptions Complete<TOptions>(TOptions options, string sectionName, Func<string, string?> getVariable, bool forEmbeddings)
        where TOptions : OpenAIOptions
    {
        options.ApplyEnvironmentDefaults(getVariable);
        options.Validate(sectionName, forEmbeddings);
        return options;
    }
}
