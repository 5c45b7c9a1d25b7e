using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>Validation and quoting of SQL identifiers. Every identifier that reaches SQL text passes through here.</summary>
internal static class PostgresNames
{
    /// <summary>PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes silently; we refuse them instead.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>
    /// Collection and schema names: a letter or underscore, then letters, digits, underscores or hyphens, at most 63 bytes.
    /// Strict on purpose: these names also become index names and appear in error messages.
    /// </summary>
    public static void ValidateObjectName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, paramName);
        if (Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
        {
            throw new ArgumentException($"The name '{name}' is longer than PostgreSQL's limit of {MaxIdentifierBytes} bytes.", paramName);
        }

        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException(
                $"The name '{name}' is not valid: use a letter or underscore first, then letters, digits, underscores or hyphens.", paramName);
        }
    }

    /// <summary>Column names may hold any printable character (they are always quoted), within the length limit.</summary>
    public static void ValidateColumnName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes - 4 || name.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"The storage name '{name}' is not a valid PostgreSQL column name: it must be 1 to {MaxIdentifierBytes - 4} bytes without control characters.");
        }
    }

    /// <summary>Text-search configurations appear in DDL (generated columns), where no parameter can stand; so they must be plain names.</summary>
    public static void ValidateTextSearchConfiguration(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxIdentifierBytes || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"The text-search configuration '{name}' must be a lowercase name such as 'english' or 'simple'.", nameof(name));
        }
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Qualified(string schema, string table) => Quote(schema) + "." + Quote(table);

    /// <summary>A derived name (index, generated column) that stays unique and within the length limit.</summary>
    public static string Derived(string baseName, string suffix)
    {
        var name = $"{baseName}_{suffix}";
        if (Encoding.UTF8.GetByteCount(name) <= MaxIdentifierBytes)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10];
        var prefix = new string(name.TakeWhile((_, i) => i < 40).ToArray());
        return $"{prefix}_{hash}";
    }

    /// <summary>A stable 32-bit hash (for advisory locks), equal across processes and machines.</summary>
    public static int StableHash(string value)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), digest);
        return BinaryPrimitives.ReadInt32LittleEndian(digest);
    }
}
