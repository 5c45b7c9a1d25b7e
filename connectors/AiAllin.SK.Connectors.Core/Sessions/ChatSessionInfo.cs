namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>A chat session's information, without its messages.</summary>
public sealed class ChatSessionInfo
{
    /// <summary>Gets the session id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the id of the user or principal that owns the session.</summary>
    public required string OwnerId { get; init; }

    /// <summary>Gets the tenant id, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the title, if any.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the metadata given at creation; empty when none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    /// <summary>Gets the time the session was created (UTC, microsecond precision).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the time of the last non-empty append, or <see cref="CreatedAt"/> when there was none.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the time from which the session is expired, or <see langword="null"/> when it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the version: the number of messages in the session, which is also the sequence of the last one.</summary>
    public required long Version { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
