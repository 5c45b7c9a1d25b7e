using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.OpenAI.Tests.WireFormat;

/// <summary>The OpenAI-format server answering in Groq's dialect (<c>x_groq</c>, timing fields in usage) for every reply.</summary>
public sealed class GroqWireServer : OpenAIWireServer
{
    /// <inheritdoc />
    public override string ProviderName => "Groq";

    /// <inheritdoc />
    protected override bool AlwaysGroq => true;
}
