using System.Text.RegularExpressions;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Validates the names that reach MongoDB commands. A field name starting with <c>$</c> or holding a <c>.</c> would be
/// read as an operator or a path, so every name is checked against a conservative pattern before any command is built.
/// </summary>
internal static partial class MongoNames
{
    /// <summary>The field that holds a record's expiry when the collection has a time to live of its own.</summary>
    /// <summary>
    /// The expiry stored for a record that never expires in a collection with expiry: a date, not null, so that
    /// <c>$vectorSearch</c> can hide expired records with a plain <c>$gt</c> pre-filter, and the TTL index never removes it.
    /// </summary>
    public static readonly DateTime NeverExpires = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    public const string ExpiryField = "__expiresAt";

    /// <summary>The field the search pipelines compute the score into (never stored).</summary>
    public const string ScoreField = "__score";

    public static void ValidateCollectionName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (!CollectionPattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid MongoDB collection name here: use a letter or underscore, then up to 119 letters, digits, underscores or hyphens.",
                parameterName);
        }
    }

    public static void ValidateFieldName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!FieldPattern().IsMatch(name) || name is ExpiryField or ScoreField)
        {
            throw new ArgumentException(
                $"'{name}' is not a valid storage name for a MongoDB field: use a letter or underscore, then letters, digits or underscores " +
                $"(no '$', no '.'); '{ExpiryField}' and '{ScoreField}' are reserved.");
        }
    }

    public static void ValidateIndexName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (!CollectionPattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid index name: use letters, digits, underscores or hyphens.", parameterName);
        }
    }

    public static void ValidateDatabaseName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (!DatabasePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid MongoDB database name: use up to 63 letters, digits, underscores or hyphens.", parameterName);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,119}$", RegexOptions.CultureInvariant)]
    private static partial Regex CollectionPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabasePattern();
}
