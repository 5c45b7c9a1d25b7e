namespace AiAllin.SK.Plugins.Memory;

/// <summary>Metadata as stored: <c>key=value</c> entries, so that metadata filters are plain array membership tests.</summary>
internal static class MemoryMetadata
{
    private const int MaxKeyLength = 64;

    private const int MaxValueLength = 512;

    public static string Entry(string key, string value) => string.Concat(key, "=", value);

    public static string[] ToEntries(IDictionary<string, string> metadata, int maxEntries, string parameterName)
    {
        if (metadata.Count > maxEntries)
        {
            throw new ArgumentException($"A memory takes at most {maxEntries} metadata entries; {metadata.Count} were given.", parameterName);
        }

        var entries = new string[metadata.Count];
        var i = 0;
        foreach (var (key, value) in metadata)
        {
            ValidateKey(key, parameterName);
            ArgumentNullException.ThrowIfNull(value, parameterName);
            if (value.Length > MaxValueLength)
            {
                throw new ArgumentException($"Metadata '{key}' is {value.Length} characters long; at most {MaxValueLength} are allowed.", parameterName);
            }

            entries[i++] = Entry(key, value);
        }

        Array.Sort(entries, StringComparer.Ordinal);
        return entries;
    }

    public static void ValidateKey(string key, string parameterName)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Metadata keys must be 1 to {MaxKeyLength} characters long.", parameterName);
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                throw new ArgumentException(
                    $"Metadata key '{key}' may only hold letters, digits, '_', '-' and '.'.", parameterName);
            }
        }
    }

    public static Dictionary<string, string> FromEntries(string[] entries)
    {
        var metadata = new Dictionary<string, string>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0)
            {
                metadata[entry[..separator]] = entry[(separator + 1)..];
            }
        }

        return metadata;
    }
}
