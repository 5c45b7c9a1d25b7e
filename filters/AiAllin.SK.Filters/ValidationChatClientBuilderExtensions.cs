using AiAllin.SK.Filters.Validation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters;

/// <summary>Adds the AiAllin input-validation layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class ValidationChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="ValidatingChatClient"/> with the rules set in <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the rules.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseAiAllinValidation(this ChatClientBuilder builder, Action<ValidationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ValidationOptions();
        configure(options);
        options.Validate();
        return builder.Use((inner, services) =>
            new ValidatingChatClient(inner, new ValidationPolicy(options, services.GetService<ILoggerFactory>()?.CreateLogger(ValidationFiltersBuilderExtensions.Category))));
    }
}
