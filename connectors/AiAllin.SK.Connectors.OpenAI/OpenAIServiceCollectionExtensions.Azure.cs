using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>Azure OpenAI registrations: same rules as the OpenAI ones (validated at once, environment for unset values, kernel function invocation on chat clients).</summary>
public static partial class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Azure OpenAI chat client (<c>IChatClient</c>) configured by a delegate, then <c>AZURE_OPENAI_*</c>
    /// variables (<c>AZURE_OPENAI_ENDPOINT</c>, <c>AZURE_OPENAI_API_KEY</c>, <c>AZURE_OPENAI_DEPLOYMENT</c>...).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (for Entra ID, set <see cref="AzureOpenAIOptions.Credential"/>), or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IServiceCollection AddAzureOpenAIChatClient(this IServiceCollection services, Action<AzureOpenAIOptions>? configure = null, string? serviceKey = null)
        => AddAzureOpenAIChatClient(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds an Azure OpenAI chat client configured by a configuration section, then <c>AZURE_OPENAI_*</c> variables.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:AzureOpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IServiceCollection AddAzureOpenAIChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = AzureOpenAIOptions.DefaultSectionName, string? serviceKey = null)
        => AddAzureOpenAIChatClient(services, BindAzureOpenAIOptions(configuration, sectionName), serviceKey, Environment.GetEnvironmentVariable, sectionName);

    /// <summary>
    /// Adds an Azure OpenAI embedding generator configured by a delegate, then <c>AZURE_OPENAI_*</c> variables; the
    /// deployment is <see cref="AzureOpenAIOptions.EmbeddingDeployment"/> (<c>AZURE_OPENAI_EMBEDDING_DEPLOYMENT</c>),
    /// else <see cref="AzureOpenAIOptions.Deployment"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> to use the environment only.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IServiceCollection AddAzureOpenAIEmbeddingGenerator(this IServiceCollection services, Action<AzureOpenAIOptions>? configure = null, string? serviceKey = null)
        => AddAzureOpenAIEmbeddingGenerator(services, configure, serviceKey, Environment.GetEnvironmentVariable);

    /// <summary>Adds an Azure OpenAI embedding generator configured by a configuration section, then <c>AZURE_OPENAI_*</c> variables.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section; <c>AiAllin:AzureOpenAI</c> by default.</param>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default registration.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IServiceCollection AddAzureOpenAIEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, string sectionName = AzureOpenAIOptions.DefaultSectionName, string? serviceKey = null)
        => AddAzureOpenAIEmbeddingGenerator(services, BindAzureOpenAIOptions(configuration, sectionName), serviceKey, Environment.GetEnvironmentVariable, sectionName);

    internal static IServiceCollection AddAzureOpenAIChatClient(IServiceCollection services, Action<AzureOpenAIOptions>? configure, string? serviceKey, Func<string, string?> getVariable, string sectionName = AzureOpenAIOptions.DefaultSectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = CompleteAzureOpenAIOptions(configure, getVariable, sectionName, forEmbeddings: false);
        return services.AddProviderChatClient(serviceKey, options, (loggerFactory, handler) => AzureOpenAIClientFactory.CreateChatClient(options, loggerFactory, handler));
    }

    internal static IServiceCollection AddAzureOpenAIEmbeddingGenerator(IServiceCollection services, Action<AzureOpenAIOptions>? configure, string? serviceKey, Func<string, string?> getVariable, string sectionName = AzureOpenAIOptions.DefaultSectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = CompleteAzureOpenAIOptions(configure, getVariable, sectionName, forEmbeddings: true);
        return services.AddProviderEmbeddingGenerator(serviceKey, options, (loggerFactory, handler) => AzureOpenAIClientFactory.CreateEmbeddingGenerator(options, loggerFactory, handler));
    }

    /// <summary>Runs the delegate, fills unset settings from the environment and validates, all at registration.</summary>
    internal static AzureOpenAIOptions CompleteAzureOpenAIOptions(Action<AzureOpenAIOptions>? configure, Func<string, string?> getVariable, string sectionName, bool forEmbeddings)
    {
        var options = new AzureOpenAIOptions();
        configure?.Invoke(options);
        options.ApplyEnvironmentDefaults(getVariable);
        options.Validate(sectionName, forEmbeddings);
        return options;
    }

    private static Action<AzureOpenAIOptions> BindAzureOpenAIOptions(IConfiguration configuration, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        return options => configuration.GetSection(sectionName).Bind(options);
    }
}
