using AiAllin.SK.Filters.Pipeline;
using AiAllin.SK.Filters.Transform;
namespace AiAllin.SK.Filters;

/// <summary>Adds the transform policy to <c>AddAiAllinFilters</c>.</summary>
public static class TransformFiltersBuilderExtensions
{
    /// <summary>
    /// Rewrites requests and responses of model calls (streams chunk by chunk) and rendered SK prompts, at this
    /// position in the filter order.
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the rewrites.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseTransform(this AiAllinFiltersBuilder builder, Action<TransformOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TransformOptions();
        configure(options);
        var policy = new TransformPolicy(options);
        var filter = new PolicyKernelFilter(onPromptRender: policy.OnPromptRenderAsync);
        return builder
            .AddChatLayer((_, inner) => new TransformingChatClient(inner, policy))
            .AddPromptRenderFilter(_ => filter);
    }
}
