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

    /// <summary>
    /// Gets a value indicating whether the system and developer messages that <see cref="MaxMessages"/> leaves out
    /// (those after <see cref="AfterVersion"/> but older than the most recent <see cref="MaxMessages"/>) are returned in
    /// <see cref="ChatSession.EarlierSystemMessages"/>. A history reducer that always keeps system messages can then
    /// read only a recent window of a long session and still see every instruction. Default <see langword="false"/>.
    /// </summary>
    public bool IncludeEarlierSystemMessages { get; init; }
}
