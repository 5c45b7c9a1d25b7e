using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>Options of a <see cref="SemanticMemory"/>.</summary>
public sealed class SemanticMemoryOptions
{
    /// <summary>
    /// Gets or sets the logical collection name (letters, digits and underscores, starting with a letter, at most 40
    /// characters). The store holds <c>&lt;name&gt;_info</c> (embedding model and dimension) and
    /// <c>&lt;name&gt;_v&lt;n&gt;</c> (the memories). Defaults to <c>memories</c>.
    /// </summary>
    public string CollectionName { get; set; } = "memories";

    /// <summary>Gets or sets what a near-duplicate write does. Defaults to <see cref="DuplicateHandling.Update"/>.</summary>
    public DuplicateHandling Duplicates { get; set; } = DuplicateHandling.Update;

    /// <summary>Gets or sets the cosine similarity from which a new text counts as a near-duplicate. Defaults to 0.95.</summary>
    public double DuplicateThreshold { get; set; } = 0.95;

    /// <summary>Gets or sets the longest chunk, in characters; longer texts are split. Defaults to 2,000.</summary>
    public int ChunkSize { get; set; } = 2000;

    /// <summary>Gets or sets how many characters consecutive chunks share. Defaults to 200.</summary>
    public int ChunkOverlap { get; set; } = 200;

    /// <summary>Gets or sets the longest text accepted by one write, in characters. Defaults to 200,000.</summary>
    public int MaxTextLength { get; set; } = 200_000;

    /// <summary>Gets or sets the most metadata entries per memory. Defaults to 32.</summary>
    public int MaxMetadataEntries { get; set; } = 32;

    /// <summary>Gets or sets how long memories live unless a write says otherwise; <see langword="null"/> for ever.</summary>
    public TimeSpan? DefaultTimeToLive { get; set; }

    /// <summary>Gets or sets the injection scanner for stored and retrieved text.</summary>
    public PromptInjectionScanner Scanner { get; set; } = new();

    /// <summary>Gets or sets what a write of suspicious text does. Defaults to <see cref="InjectionPolicy.Flag"/> (stored as written, flagged).</summary>
    public InjectionPolicy WritePolicy { get; set; } = InjectionPolicy.Flag;

    /// <summary>Gets or sets what a read of suspicious text does. Defaults to <see cref="InjectionPolicy.Neutralize"/>.</summary>
    public InjectionPolicy ReadPolicy { get; set; } = InjectionPolicy.Neutralize;

    /// <summary>Gets or sets an optional model-based classifier consulted on writes after the pattern scanner.</summary>
    public IPromptInjectionClassifier? Classifier { get; set; }

    /// <summary>Gets or sets an optional reranker applied to search results.</summary>
    public IMemoryReranker? Reranker { get; set; }

    /// <summary>Gets or sets how many keyword matches are scored per keyword search. Defaults to 1,000.</summary>
    public int KeywordCandidates { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how the data collection is obtained from the store (name and definition given); by default
    /// <see cref="VectorStore.GetCollection{TKey, TRecord}(string, VectorStoreCollectionDefinition?)"/>. Use it to pass
    /// store-specific options, for example native expiry on <see cref="MemoryRecord.ExpiresAt"/>.
    /// </summary>
    public Func<VectorStore, string, VectorStoreCollectionDefinition, VectorStoreCollection<string, MemoryRecord>>? CollectionFactory { get; set; }

    /// <summary>Gets or sets the clock. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
