namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// A memory collection was written with another embedding model or dimension than the generator now in use: its
/// vectors do not compare with the new ones. Use the original model, or migrate with <see cref="SemanticMemory.MigrateAsync"/>.
/// </summary>
public sealed class EmbeddingModelMismatchException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddingModelMismatchException"/> class.</summary>
    public EmbeddingModelMismatchException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmbeddingModelMismatchException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EmbeddingModelMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmbeddingModelMismatchException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EmbeddingModelMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the collection's logical name.</summary>
    public string? Collection { get; init; }

    /// <summary>Gets the model id the collection was written with.</summary>
    public string? StoredModelId { get; init; }

    /// <summary>Gets the dimension the collection was written with.</summary>
    public int StoredDimensions { get; init; }

    /// <summary>Gets the model id of the generator in use.</summary>
    public string? CurrentModelId { get; init; }

    /// <summary>Gets the dimension of the generator in use.</summary>
    public int CurrentDimensions { get; init; }
}
