using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// What a memory collection was written with: kept in a small side collection so that a later reader with another
/// embedding model or dimension is detected before it reads or writes vectors that do not compare.
/// </summary>
internal sealed class MemoryCollectionInfo
{
    internal const string InfoKey = "embedding";

    public string Key { get; set; } = InfoKey;

    public string ModelId { get; set; } = string.Empty;

    public int Dimensions { get; set; }

    public int Version { get; set; }

    public string DataCollection { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }

    public static VectorStoreCollectionDefinition Definition { get; } = new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Key), typeof(string)),
            new VectorStoreDataProperty(nameof(ModelId), typeof(string)),
            new VectorStoreDataProperty(nameof(Dimensions), typeof(int)),
            new VectorStoreDataProperty(nameof(Version), typeof(int)),
            new VectorStoreDataProperty(nameof(DataCollection), typeof(string)),
            new VectorStoreDataProperty(nameof(UpdatedAt), typeof(DateTimeOffset)),
        ],
    };
}
