using AiAllin.SK.Filters.Pipeline;
using AiAllin.SK.Filters.Hooks;
namespace AiAllin.SK.Filters;

/// <summary>Adds the hooks policy to <c>AddAiAllinFilters</c>.</summary>
public static class HooksFiltersBuilderExtensions
{
    /// <summary>
    /// Runs user hooks before and after each model call (chat layer) and each SK function call, prompt render and
    /// automatic tool call, at this position in the filter order.
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the hooks.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseHooks(this AiAllinFiltersBuilder builder, Action<HookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HookOptions();
        configure(options);
        var policy = new HooksPolicy(options);
        var filter = new PolicyKernelFilter(policy.OnFunctionInvocationAsync, policy.OnPromptRenderAsync, policy.OnAutoFunctionInvocationAsync);
        return builder
            .AddChatLayer((_, inner) => new HookingChatClient(inner, policy))
            .AddFunctionFilter(_ => filter)
            .AddPromptRenderFilter(_ => filter)
            .AddAutoFunctionInvocationFilter(_ => filter);
    }
}
