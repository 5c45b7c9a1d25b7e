namespace AiAllin.SK.Connectors.InMemory;

/// <summary>Validation of collection names, shared by the store and its collections.</summary>
internal static class CollectionNames
{
    public const int MaxLength = 256;

    public static void Validate(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, paramName);

        if (name.Length > MaxLength)
        {
            throw new ArgumentException($"The collection name is {name.Length} characters long; at most {MaxLength} are allowed.", paramName);
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The collection name contains the control character U+{(int)c:X4}.", paramName);
            }
        }
    }
}
