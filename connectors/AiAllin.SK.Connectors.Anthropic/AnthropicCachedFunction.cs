using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// A function whose tool definition carries <c>cache_control: {"type": "ephemeral"}</c>, the prompt-cache breakpoint
/// the SDK reads from <see cref="AITool.AdditionalProperties"/>; every tool up to and including it is cached.
/// </summary>
internal sealed class AnthropicCachedFunction : DelegatingAIFunction
{
    private readonly Dictionary<string, object?> _additionalProperties;

    public AnthropicCachedFunction(AIFunction innerFunction)
        : base(innerFunction)
    {
        _additionalProperties = new Dictionary<string, object?>(innerFunction.AdditionalProperties, StringComparer.Ordinal)
        {
            [nameof(Tool.CacheControl)] = new CacheControlEphemeral(),
        };
    }

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _additionalProperties;
}
