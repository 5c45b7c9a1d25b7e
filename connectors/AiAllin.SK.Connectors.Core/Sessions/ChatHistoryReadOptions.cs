namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>Which messages <see cref="IChatHistoryStore.GetAsync"/> returns. Both filters may be combined.</summary>
public sealed class ChatHistoryReadOptions
{
    /// <summary>
    /// Gets a version after which to read: only messages with a sequence greater than this are returned
    /// (0 or <see langword="null"/> reads from the first message). Must not be negative.
    /// </summary>
    public long? AfterVersion { get; init; }

    /// <summary>
    /// Gets the maximum number of messages to return; when more match, the most recent ones are returned (still in
    /// sequence order). 0 returns the session's information only. <see langword="null"/> returns all. Must not be negative.
    /// </summary>
    public int? MaxMessages { get; init; }
}
