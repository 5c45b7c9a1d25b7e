using AiAllin.SK.Filters.Hooks;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin hooks layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class HooksChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="HookingChatClient"/> running the hooks set in <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the hooks.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinHooks(this ChatClientBuilder builder, Action<HookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HookOptions();
        configure(options);
        var policy = new HooksPolicy(options);
        return builder.Use(inner => new HookingChatClient(inner, policy));
    }
}
