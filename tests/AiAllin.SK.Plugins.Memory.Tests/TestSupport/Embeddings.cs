using AiAllin.SK.Connectors.HuggingFace;

namespace AiAllin.SK.Plugins.Memory.Tests.TestSupport;

/// <summary>The bundled all-MiniLM-L6-v2, loaded once for the whole test run (it is thread-safe).</summary>
internal static class Embeddings
{
    private static readonly Lazy<LocalEmbeddingGenerator> Shared = new(() => new LocalEmbeddingGenerator());

    public static LocalEmbeddingGenerator MiniLM => Shared.Value;
}
