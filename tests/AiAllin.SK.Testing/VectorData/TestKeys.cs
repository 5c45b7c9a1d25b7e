namespace AiAllin.SK.Testing.VectorData;

/// <summary>Deterministic keys of the key types the conformance suites run with.</summary>
public static class TestKeys
{
    /// <summary>Creates the <paramref name="index"/>-th key of type <typeparamref name="TKey"/>; distinct indexes give distinct keys.</summary>
    public static TKey Create<TKey>(int index)
        where TKey : notnull
    {
        object key = typeof(TKey) switch
        {
            var t when t == typeof(string) => $"key-{index}",
            var t when t == typeof(Guid) => new Guid(index, 0x1f2e, 0x3d4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5, 0xc4),
            var t when t == typeof(int) => index,

            // Beyond int.MaxValue, so a store that narrows long keys to int is caught.
            var t when t == typeof(long) => 10_000_000_000L + index,
            _ => throw new NotSupportedException($"The conformance suites have no keys of type {typeof(TKey).Name}."),
        };

        return (TKey)key;
    }
}
