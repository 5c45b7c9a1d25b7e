namespace AiAllin.SK.Connectors.InMemory;

/// <summary>A stored non-vector column: a data property, or the input of a vector property whose embedding is generated.</summary>
internal sealed record DataColumnSpec(string StorageName, Type Type, bool IsFullTextIndexed, bool IsEmbeddingInput);
