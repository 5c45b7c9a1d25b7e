using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>Registers Anthropic Claude chat clients on an <see cref="IKernelBuilder"/>; each forwards to <see cref="AnthropicServiceCollectionExtensions"/>.</summary>
public static class AnthropicKernelBuilderExtensions
{
    /// <summary>Adds an Anthropic chat client configured by a delegate and the environment; kernel functions run with <c>FunctionChoiceBehavior.Auto()</c>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the environment alone.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddAnthropicChatClient(this IKernelBuilder builder, Action<AnthropicOptions>? configure = null, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAnthropicChatClient(configure, serviceKey);
        return builder;
    }

    /// <summary>Adds an Anthropic chat client bound from a configuration section and the environment.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AiAllin:Anthropic</c> by default.</param>
    /// <param name="serviceKey">A key for a keyed registration; <see langword="null"/> for the default one.</param>
    /// <returns>The kernel builder.</returns>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public static IKernelBuilder AddAnthropicChatClient(this IKernelBuilder builder, IConfiguration configuration, string sectionName = AnthropicOptions.DefaultSectionName, string? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAnthropicChatClient(configuration, sectionName, serviceKey);
        return builder;
    }
}
