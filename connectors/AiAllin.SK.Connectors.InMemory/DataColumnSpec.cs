namespace AiAllin.SK.Connectors.InMemory;

/// <summary>A stored non-vector column: one data property.</summary>
internal sealed record DataColumnSpec(string StorageName, Type Type, bool IsFullTextIndexed);
