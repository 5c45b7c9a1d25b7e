namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>What a new chat session is created with.</summary>
public sealed class ChatSessionCreateOptions
{
    /// <summary>Gets the session id; <see langword="null"/> lets the store generate one (a 32-character lowercase hex GUID).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the id of the user or principal that owns the session (required).</summary>
    public required string OwnerId { get; init; }

    /// <summary>Gets the tenant id, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the title, if any.</summary>
    public string? Title { get; init; }

    /// <summary>Gets metadata to store with the session, if any.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the absolute expiry, if any. A time already past creates a session that is expired at once. Exclusive with <see cref="TimeToLive"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets a positive lifetime from creation, if any (expiry = store clock + this). Exclusive with <see cref="ExpiresAt"/>.</summary>
    public TimeSpan? TimeToLive { get; init; }
}
