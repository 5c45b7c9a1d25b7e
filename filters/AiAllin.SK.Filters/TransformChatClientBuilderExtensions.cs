using AiAllin.SK.Filters.Transform;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin transform layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class TransformChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="TransformingChatClient"/> with the options set in <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the rewrites.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinTransform(this ChatClientBuilder builder, Action<TransformOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TransformOptions();
        configure(options);
        var policy = new TransformPolicy(options);
        return builder.Use(inner => new TransformingChatClient(inner, policy));
    }
}
