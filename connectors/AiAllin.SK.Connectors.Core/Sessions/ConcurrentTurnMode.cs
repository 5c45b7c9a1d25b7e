namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>What a <see cref="ChatSessionRunner"/> does with a turn on a session that already has one running.</summary>
public enum ConcurrentTurnMode
{
    /// <summary>Wait for the running turn to end, then run on the updated history.</summary>
    Wait,

    /// <summary>Fail at once with a <see cref="ChatHistoryConcurrencyException"/>; nothing is sent or written.</summary>
    Fail,
}
