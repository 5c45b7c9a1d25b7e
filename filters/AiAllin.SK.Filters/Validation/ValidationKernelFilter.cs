using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Validation;

/// <summary>The Semantic Kernel adapter of <see cref="ValidationPolicy"/>: validates rendered prompts before they reach a model.</summary>
public sealed class ValidationKernelFilter : IPromptRenderFilter
{
    private readonly ValidationPolicy _policy;

    /// <summary>Initializes the filter.</summary>
    /// <param name="policy">The validation policy.</param>
    public ValidationKernelFilter(ValidationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <inheritdoc />
    public Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _policy.OnPromptRenderAsync(context, next);
    }
}
