using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Transform;

/// <summary>The Semantic Kernel adapter of <see cref="TransformPolicy"/>: rewrites rendered prompts (custom rewrite, PII masking).</summary>
public sealed class TransformKernelFilter : IPromptRenderFilter
{
    private readonly TransformPolicy _policy;

    /// <summary>Initializes the filter.</summary>
    /// <param name="policy">The transform policy.</param>
    public TransformKernelFilter(TransformPolicy policy)
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
