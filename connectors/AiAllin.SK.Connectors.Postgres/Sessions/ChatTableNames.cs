using System.Text.RegularExpressions;

namespace AiAllin.SK.Connectors.Postgres.Sessions;

/// <summary>
/// The validated, quoted names of the chat-history tables in one schema. Names are restricted to lowercase letters,
/// digits and underscores so that quoting is exact and the SQL built from them cannot be injected.
/// </summary>
internal sealed partial class ChatTableNames
{
    private const int MaxIdentifierBytes = 63;

    public ChatTableNames(string schema, string tablePrefix)
    {
        Validate(schema, nameof(PostgresChatHistoryStoreOptions.Schema), allowEmpty: false);
        Validate(tablePrefix, nameof(PostgresChatHistoryStoreOptions.TablePrefix), allowEmpty: true);
        if (tablePrefix.Length + "migrations".Length > MaxIdentifierBytes)
        {
            throw new ArgumentException(
                $"TablePrefix '{tablePrefix}' is too long: table names are limited to {MaxIdentifierBytes} characters.",
                nameof(tablePrefix));
        }

        SchemaName = schema;
        Schema = Quote(schema);
        Sessions = $"{Schema}.{Quote(tablePrefix + "sessions")}";
        Messages = $"{Schema}.{Quote(tablePrefix + "messages")}";
        Migrations = $"{Schema}.{Quote(tablePrefix + "migrations")}";
        SessionsOwnerIndex = Quote(tablePrefix + "sessions_owner_idx");
        SessionsExpiryIndex = Quote(tablePrefix + "sessions_expiry_idx");
        MessagesPinnedIndex = Quote(tablePrefix + "messages_pinned_idx");
        LockKey = $"aiallin.chat-history:{schema}.{tablePrefix}";
    }

    /// <summary>The schema name, unquoted (for catalog lookups as a parameter).</summary>
    public string SchemaName { get; }

    public string Schema { get; }

    public string Sessions { get; }

    public string Messages { get; }

    public string Migrations { get; }

    public string SessionsOwnerIndex { get; }

    public string MessagesPinnedIndex { get; }

    public string SessionsExpiryIndex { get; }

    /// <summary>The key of the advisory lock that serialises migrations of these tables.</summary>
    public string LockKey { get; }

    private static string Quote(string identifier) => $"\"{identifier}\"";

    private static void Validate(string value, string setting, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(value, setting);
        if ((allowEmpty && value.Length == 0) || (value.Length <= MaxIdentifierBytes && IdentifierPattern().IsMatch(value)))
        {
            return;
        }

        throw new ArgumentException(
            $"{setting} '{value}' is not a valid name: use 1-{MaxIdentifierBytes} lowercase letters, digits and underscores, starting with a letter or underscore.",
            setting);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
