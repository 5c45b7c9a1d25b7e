using AiAllin.SK.Connectors.Core.Sessions;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Sessions;

/// <summary>Turns the driver's failures in the chat-history store into <see cref="ChatHistoryException"/> with a clear message.</summary>
internal static class MongoChatHistoryErrors
{
    public static async Task<T> RunAsync<T>(string? sessionId, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            throw new ChatHistoryException(
                sessionId is null ? $"MongoDB failed: {MongoErrors.Describe(e)}" : $"MongoDB failed on session '{sessionId}': {MongoErrors.Describe(e)}", e);
        }
    }
}
