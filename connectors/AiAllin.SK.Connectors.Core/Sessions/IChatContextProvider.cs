using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Supplies context for a chat turn (for example memories recalled for the user's message). A
/// <see cref="ChatSessionRunner"/> asks the one registered in the kernel's services before each turn and sends the
/// message it returns just before the user's message; it is never stored in the session.
/// </summary>
/// <remarks>
/// The message enters the prompt as it is: an implementation that adds retrieved or user-written text must present it
/// as delimited, untrusted data (as the memory plugin does), never as instructions.
/// </remarks>
public interface IChatContextProvider
{
    /// <summary>Returns the context message for a turn, or <see langword="null"/> for none.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="userMessage">The user's message of the turn.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <returns>The message to send before the user's message, or <see langword="null"/>.</returns>
    ValueTask<ChatMessage?> GetContextAsync(string sessionId, ChatMessage userMessage, CancellationToken cancellationToken);
}
