using System.Globalization;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Unique collection names that every store of the pack accepts: a lowercase letter first, then lowercase letters,
/// digits and underscores, at most 40 characters. Unique names let tests run in parallel against one server.
/// </summary>
public static class TestCollectionNames
{
    private const int MaxPrefixLength = 14;
    private static int s_counter;

    /// <summary>Creates a new unique name starting with <paramref name="prefix"/>: lowercase letters, at most 14.</summary>
    public static string Create(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.Length > MaxPrefixLength || !prefix.All(char.IsAsciiLetterLower))
        {
            throw new ArgumentException($"A collection name prefix is 1 to {MaxPrefixLength} lowercase ASCII letters.", nameof(prefix));
        }

        // Counter (up to 8 digits) plus random part: 2 + 14 + 1 + 8 + 1 + 12 = 38 characters at most.
        var counter = (Interlocked.Increment(ref s_counter) % 100_000_000).ToString(CultureInfo.InvariantCulture);

        // The random part keeps names unique across test processes that share one database.
        var random = Guid.NewGuid().ToString("N")[..12];
        return $"t_{prefix}_{counter}_{random}";
    }
}
