using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters;

/// <summary>Registers the AiAllin filter pack on an <see cref="IKernelBuilder"/>.</summary>
public static class FiltersKernelBuilderExtensions
{
    /// <summary>
    /// Registers the policies configured in <paramref name="configure"/>, in the order written. See
    /// <see cref="FiltersServiceCollectionExtensions.AddAiAllinFilters"/>.
    /// </summary>
    /// <param name="builder">The kernel builder; add chat clients before calling this.</param>
    /// <param name="configure">Adds policies, for example <c>f =&gt; f.UseLogging().UseRateLimit(...)</c>.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddAiAllinFilters(this IKernelBuilder builder, Action<AiAllinFiltersBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAiAllinFilters(configure);
        return builder;
    }
}
