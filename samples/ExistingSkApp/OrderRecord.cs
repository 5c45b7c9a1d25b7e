using Microsoft.Extensions.VectorData;

namespace ExistingSkApp;

/// <summary>An order as the app keeps it in PostgreSQL.</summary>
public sealed class OrderRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData]
    public string Status { get; set; } = "";

    /// <summary>The app has no embedding model: a small vector stands for whatever it would store.</summary>
    [VectorStoreVector(3)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}
