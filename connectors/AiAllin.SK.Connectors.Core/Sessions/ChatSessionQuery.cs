namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Filter and paging for <see cref="IChatHistoryStore.ListAsync"/>.</summary>
public sealed class ChatSessionQuery
{
    /// <summary>Gets the tenant to restrict to; <see langword="null"/> lists the owner's sessions of every tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the number of sessions to skip (not negative). The default is 0.</summary>
    public int Skip { get; init; }

    /// <summary>Gets the maximum number of sessions to return (positive). The default is 100.</summary>
    public int Take { get; init; } = 100;
}
