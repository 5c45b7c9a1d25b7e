using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// One memory as stored in the vector store. Applications normally use <see cref="SemanticMemory"/> and
/// <see cref="MemoryEntry"/>; the record type is public so that a store-specific collection (for example one with
/// native expiry on <see cref="ExpiresAt"/>) can be built for it through <see cref="SemanticMemoryOptions.CollectionFactory"/>.
/// </summary>
public sealed class MemoryRecord
{
    /// <summary>Gets or sets the key (a random id).</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets the remembered text (one chunk of it for long texts).</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the owning scope as one key (tenant, user and session joined by U+001F, which scope ids cannot
    /// contain): every query filters on it with a single comparison.
    /// </summary>
    public string ScopeKey { get; set; } = string.Empty;

    /// <summary>Gets or sets the tenant of the scope that owns the memory.</summary>
    public string Tenant { get; set; } = string.Empty;

    /// <summary>Gets or sets the user of the owning scope (empty when the scope has none).</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>Gets or sets the session of the owning scope (empty when the scope has none).</summary>
    public string Session { get; set; } = string.Empty;

    /// <summary>Gets or sets where the text came from (for example <c>user</c>, <c>model</c>, <c>tool:web</c>, a document name).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets whether the text is trusted (written by the application) rather than untrusted (model or tool output).</summary>
    public bool Trusted { get; set; }

    /// <summary>Gets or sets the metadata as <c>key=value</c> entries (also what metadata filters match).</summary>
    public string[] Metadata { get; set; } = [];

    /// <summary>Gets or sets the lower-cased words of the text, for keyword search on any store.</summary>
    public string[] Terms { get; set; } = [];

    /// <summary>Gets or sets the names of the injection rules the text matched when it was written.</summary>
    public string[] Flags { get; set; } = [];

    /// <summary>Gets or sets the creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the memory expires; <see langword="null"/> when it never does.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Gets or sets the id shared by the chunks of one long text (the key for a text stored whole).</summary>
    public string DocumentId { get; set; } = string.Empty;

    /// <summary>Gets or sets the position of this chunk among its document's chunks.</summary>
    public int ChunkIndex { get; set; }

    /// <summary>Gets or sets the offset, in characters, of this chunk in the original text.</summary>
    public int ChunkOffset { get; set; }

    /// <summary>Gets or sets the embedding of <see cref="Text"/>.</summary>
    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>Builds the record definition for embeddings of <paramref name="dimensions"/> dimensions.</summary>
    /// <param name="dimensions">The embedding size.</param>
    /// <returns>The definition; <see cref="Text"/> is full-text indexed for hybrid search.</returns>
    public static VectorStoreCollectionDefinition CreateDefinition(int dimensions) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Key), typeof(string)),
            new VectorStoreDataProperty(nameof(Text), typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty(nameof(ScopeKey), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Tenant), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(User), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Session), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Source), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Trusted), typeof(bool)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Metadata), typeof(string[])) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Terms), typeof(string[])) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Flags), typeof(string[])),
            new VectorStoreDataProperty(nameof(CreatedAt), typeof(DateTimeOffset)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(ExpiresAt), typeof(DateTimeOffset?)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(DocumentId), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(ChunkIndex), typeof(int)),
            new VectorStoreDataProperty(nameof(ChunkOffset), typeof(int)),
            new VectorStoreVectorProperty(nameof(Embedding), typeof(ReadOnlyMemory<float>), dimensions)
            {
                DistanceFunction = DistanceFunction.CosineSimilarity,
            },
        ],
    };
}
