using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Filters.Caching;

/// <summary>One semantic cache entry as stored in the vector store.</summary>
internal sealed class SemanticCacheRecord
{
    /// <summary>Gets or sets the entry key.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets the hashed partition.</summary>
    public string Partition { get; set; } = string.Empty;

    /// <summary>Gets or sets the hash of everything but the prompt text, which must match exactly.</summary>
    public string Context { get; set; } = string.Empty;

    /// <summary>Gets or sets the creation time, Unix milliseconds.</summary>
    public long CreatedAt { get; set; }

    /// <summary>Gets or sets the tags.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>Gets or sets the serialized answer.</summary>
    public string Entry { get; set; } = string.Empty;

    /// <summary>Gets or sets the prompt's embedding.</summary>
    public ReadOnlyMemory<float> Embedding { get; set; }

    public static VectorStoreCollectionDefinition Definition(int dimensions) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Key), typeof(string)),
            new VectorStoreDataProperty(nameof(Partition), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Context), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(CreatedAt), typeof(long)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Tags), typeof(string[])) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Entry), typeof(string)),
            new VectorStoreVectorProperty(nameof(Embedding), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.CosineSimilarity },
        ],
    };
}
