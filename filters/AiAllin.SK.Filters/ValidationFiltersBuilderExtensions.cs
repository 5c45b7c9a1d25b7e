using AiAllin.SK.Filters.Pipeline;
using AiAllin.SK.Filters.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the input-validation policy to <c>AddAiAllinFilters</c>.</summary>
public static class ValidationFiltersBuilderExtensions
{
    /// <summary>The logger category of the policy.</summary>
    public const string Category = "AiAllin.SK.Filters.Validation";

    /// <summary>
    /// Rejects requests that break a rule (size, model, blocked pattern) with a <see cref="ChatValidationException"/>
    /// before any model is called: model calls at this position in the layer order, and rendered SK prompts.
    /// </summary>
    /// <param name="builder">The filters builder.</param>
    /// <param name="configure">Sets the rules.</param>
    /// <returns>The builder.</returns>
    public static AiAllinFiltersBuilder UseValidation(this AiAllinFiltersBuilder builder, Action<ValidationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ValidationOptions();
        configure(options);
        options.Validate();
        var policies = new PerServiceProvider<ValidationPolicy>(sp => new ValidationPolicy(options, sp.GetService<ILoggerFactory>()?.CreateLogger(Category)));
        return builder
            .AddChatLayer((sp, inner) => new ValidatingChatClient(inner, policies.Get(sp)))
            .AddPromptRenderFilter(sp => new PolicyKernelFilter(onPromptRender: policies.Get(sp).OnPromptRenderAsync));
    }
}
