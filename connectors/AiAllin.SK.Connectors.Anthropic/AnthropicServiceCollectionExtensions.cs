using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>Registers Anthropic Claude chat clients on an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Settings come from the delegate or configuration section, then the environment (<c>ANTHROPIC_API_KEY</c>,
/// <c>ANTHROPIC_MODEL</c>, <c>ANTHROPIC_BASE_URL</c>) for whatever is still unset, and are validated here, at
/// registration, so a missing key or model stops the app at startup with a message naming the setting. The chat client
/// is wrapped with Semantic Kernel's function invocation, so <c>FunctionChoiceBehavior.Auto()</c> runs kernel functions,
/// as Semantic Kernel's own chat-client registrations do. Anthropic has no embeddings API.
/// </remarks>
public static class AnthropicServiceCollectionExtensions
{
    /// <summary>Adds an Anthropic <see cref="IChatClient"/> configured by a delegate and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddAnthropicChatClient(this IServiceCollection services, Action<AnthropicOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new AnthropicOptions();
        configure?.Invoke(options);
        return AddChatClient(services, options, AnthropicOptions.DefaultSectionName, serviceKey);
    }

    /// <summary>Adds an Anthropic <see cref="IChatClient"/> bound from a configuration section and the environment.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Anthropic</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IServiceCollection AddAnthropicChatClient(this IServiceCollection services, IConfiguration configuration, string sectionName = AnthropicOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        var options = new AnthropicOptions();
        configuration.GetSection(sectionName).Bind(options);
        return AddChatClient(services, options, sectionName, serviceKey);
    }

    private static IServiceCollection AddChatClient(IServiceCollection services, AnthropicOptions options, string sectionName, string? serviceKey)
    {
        options.ApplyEnvironmentDefaults();
        options.Validate(sectionName);
        return services.AddProviderChatClient(serviceKey, options, (loggerFactory, handler) => new AnthropicChatClient(options, loggerFactory, handler));
    }
}
