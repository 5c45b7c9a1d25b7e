using System.ClientModel.Primitives;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>Sends requests without credentials, for local OpenAI-compatible servers that take no key.</summary>
internal sealed class OpenAINoAuthenticationPolicy : AuthenticationPolicy
{
    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        => ProcessNext(message, pipeline, currentIndex);

    /// <inheritdoc />
    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        => ProcessNextAsync(message, pipeline, currentIndex);
}
