using System.Security;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// An SK prompt-render filter that recalls the memories relevant to each rendered prompt and puts them in front of it
/// as a delimited, escaped data block (<see cref="MemoryPromptFormatter"/>) in a user message of its own, escaped once
/// more so that SK's prompt parser hands it to the model as text; it is never a system message. A plain prompt becomes
/// the user message that follows it; a chat prompt (with <c>&lt;message&gt;</c> tags) keeps its messages.
/// </summary>
public sealed class MemoryRecallPromptFilter : IPromptRenderFilter
{
    private readonly SemanticMemory _memory;
    private readonly IMemoryScopeProvider _scopes;
    private readonly MemoryRecallOptions _options;

    /// <summary>Initializes a new instance of the <see cref="MemoryRecallPromptFilter"/> class.</summary>
    /// <param name="memory">The memory.</param>
    /// <param name="scopes">Supplies the scope; <see langword="null"/> reads <see cref="MemoryScope.Current"/>. Without a scope nothing is recalled.</param>
    /// <param name="options">The options.</param>
    public MemoryRecallPromptFilter(SemanticMemory memory, IMemoryScopeProvider? scopes = null, MemoryRecallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _scopes = scopes ?? AmbientMemoryScopeProvider.Instance;
        _options = options ?? new MemoryRecallOptions();
    }

    /// <inheritdoc />
    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);

        var prompt = context.RenderedPrompt;
        if (string.IsNullOrWhiteSpace(prompt) || _scopes.GetScope() is not { } scope)
        {
            return;
        }

        var query = _options.QueryArgument is { } name && context.Arguments.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text
            ? text
            : prompt;
        var results = await _memory.SearchAsync(scope, _options.Bound(query), _options.ToSearchOptions(), context.CancellationToken).ConfigureAwait(false);
        if (results.Count == 0)
        {
            return;
        }

        // SK parses a rendered prompt with tags as chat messages and decodes one level of escaping, so the block is
        // escaped once more and given a user message of its own; a plain prompt becomes the user message after it.
        var memories = $"<message role=\"user\">{SecurityElement.Escape(MemoryPromptFormatter.Format(results))}</message>\n";
        context.RenderedPrompt = prompt.Contains("<message", StringComparison.Ordinal)
            ? memories + prompt
            : $"{memories}<message role=\"user\">{SecurityElement.Escape(prompt)}</message>";
    }
}
