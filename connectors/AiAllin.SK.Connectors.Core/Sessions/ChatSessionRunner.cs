using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Runs chat turns on stored sessions: loads the history (through the reducer), adds context from the kernel's
/// <see cref="IChatContextProvider"/>, streams the answer with the kernel's functions callable, then appends the user's
/// message, the tool calls and results and the answer in one versioned append.
/// </summary>
/// <remarks>
/// <para>Turns on one session never interleave: within this runner a second turn waits for the first (or fails, see
/// <see cref="ChatSessionRunnerOptions.ConcurrentTurns"/>); across processes the append's expected version makes the
/// later turn fail with <see cref="ChatHistoryConcurrencyException"/> and store nothing.</para>
/// <para>The kernel's chat client carries the registered middleware (timeouts, retries, logging), so a timeout of the
/// filter pack's timeout policy ends the stream like any other failure: a <see cref="ChatStreamException"/> with what
/// was delivered. A failed or cancelled turn stores nothing unless <see cref="ChatSessionRunnerOptions.KeepPartialTurns"/>.</para>
/// </remarks>
public sealed class ChatSessionRunner
{
    /// <summary>The additional property set (to "failed" or "cancelled") on the stored messages of a partial turn.</summary>
    public const string PartialTurnProperty = "aiallin.partial_turn";

    private readonly Kernel _kernel;
    private readonly IChatHistoryStore _store;
    private readonly ChatSessionRunnerOptions _options;
    private readonly ChatSessionTurnOptions _turnOptions;
    private readonly Dictionary<string, SessionGate> _gates = new(StringComparer.Ordinal);

    /// <summary>Creates a runner.</summary>
    /// <param name="kernel">The kernel with the chat client and the functions the model may call.</param>
    /// <param name="store">The session store.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public ChatSessionRunner(Kernel kernel, IChatHistoryStore store, ChatSessionRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(store);
        _kernel = kernel;
        _store = store;
        _options = options ?? new ChatSessionRunnerOptions();
        _turnOptions = new ChatSessionTurnOptions { Reducer = _options.Reducer };
    }

    /// <summary>Runs a turn without streaming and stores it.</summary>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The response, the appended messages and the new version.</returns>
    /// <exception cref="ChatSessionNotFoundException">The session does not exist or has expired.</exception>
    /// <exception cref="ChatHistoryConcurrencyException">Another turn is running (with <see cref="ConcurrentTurnMode.Fail"/>) or another writer appended.</exception>
    public async Task<ChatSessionTurnResult> RunAsync(string sessionId, string userMessage, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ArgumentNullException.ThrowIfNull(userMessage);

        var gate = await EnterAsync(sessionId, cancellationToken).ConfigureAwait(false);
        try
        {
            var user = new ChatMessage(ChatRole.User, userMessage);
            var turn = await PrepareAsync(sessionId, user, cancellationToken).ConfigureAwait(false);
            var response = await turn.Client.GetResponseAsync(turn.Request, turn.ChatOptions, cancellationToken).ConfigureAwait(false);
            return await KernelChatSessionExtensions.PersistAsync(_store, sessionId, user, response, turn.Version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit(sessionId, gate);
        }
    }

    /// <summary>Runs a turn, streaming it to <paramref name="onToken"/>, and stores it.</summary>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message.</param>
    /// <param name="onToken">Called for each delivery, in order.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The response, the appended messages and the new version.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    /// <exception cref="ChatSessionNotFoundException">The session does not exist or has expired.</exception>
    /// <exception cref="ChatHistoryConcurrencyException">Another turn is running (with <see cref="ConcurrentTurnMode.Fail"/>) or another writer appended.</exception>
    public Task<ChatSessionTurnResult> RunStreamAsync(string sessionId, string userMessage, Action<StreamToken> onToken, CancellationToken cancellationToken = default) =>
        RunStreamAsync(sessionId, userMessage, TokenStreamer.Adapt(onToken), cancellationToken);

    /// <summary>Runs a turn, streaming it to <paramref name="onToken"/>, and stores it.</summary>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message.</param>
    /// <param name="onToken">Called for each delivery, in order; the next delivery waits for the returned task.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The response, the appended messages and the new version.</returns>
    /// <exception cref="ChatStreamException">The stream failed; what was delivered is on the exception.</exception>
    /// <exception cref="ChatSessionNotFoundException">The session does not exist or has expired.</exception>
    /// <exception cref="ChatHistoryConcurrencyException">Another turn is running (with <see cref="ConcurrentTurnMode.Fail"/>) or another writer appended.</exception>
    public async Task<ChatSessionTurnResult> RunStreamAsync(
        string sessionId,
        string userMessage,
        Func<StreamToken, CancellationToken, ValueTask> onToken,
        CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ArgumentNullException.ThrowIfNull(userMessage);
        ArgumentNullException.ThrowIfNull(onToken);

        var gate = await EnterAsync(sessionId, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunTurnAsync(sessionId, new ChatMessage(ChatRole.User, userMessage), onToken, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit(sessionId, gate);
        }
    }

    private async Task<ChatSessionTurnResult> RunTurnAsync(
        string sessionId,
        ChatMessage userMessage,
        Func<StreamToken, CancellationToken, ValueTask> onToken,
        CancellationToken cancellationToken)
    {
        var turn = await PrepareAsync(sessionId, userMessage, cancellationToken).ConfigureAwait(false);
        var streamer = new TokenStreamer(onToken, _options.Buffering);
        ChatResponse response;
        try
        {
            response = await streamer.RunAsync(turn.Client.GetStreamingResponseAsync(turn.Request, turn.ChatOptions, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_options.KeepPartialTurns && ex is ChatStreamException or OperationCanceledException)
        {
            // The caller's token may be the one that was cancelled: the partial turn is stored regardless.
            await KeepPartialAsync(sessionId, userMessage, streamer.Received, ex is OperationCanceledException ? "cancelled" : "failed", turn.Version).ConfigureAwait(false);
            throw;
        }

        return await KernelChatSessionExtensions.PersistAsync(_store, sessionId, userMessage, response, turn.Version, cancellationToken).ConfigureAwait(false);
    }

    private async Task<KernelChatSessionExtensions.PreparedTurn> PrepareAsync(string sessionId, ChatMessage userMessage, CancellationToken cancellationToken)
    {
        var turn = await KernelChatSessionExtensions.PrepareAsync(_kernel, _store, sessionId, userMessage, _options.Settings, _turnOptions, cancellationToken).ConfigureAwait(false);
        if (_kernel.Services.GetService<IChatContextProvider>() is { } contextProvider
            && await contextProvider.GetContextAsync(sessionId, userMessage, cancellationToken).ConfigureAwait(false) is { } context)
        {
            turn = turn with { Request = [.. turn.Request.Take(turn.Request.Count - 1), context, userMessage] };
        }

        return turn;
    }

    private async Task KeepPartialAsync(string sessionId, ChatMessage userMessage, ChatResponse partial, string reason, long version)
    {
        foreach (var message in partial.Messages)
        {
            (message.AdditionalProperties ??= [])[PartialTurnProperty] = reason;
        }

        (userMessage.AdditionalProperties ??= [])[PartialTurnProperty] = reason;
        await KernelChatSessionExtensions.PersistAsync(_store, sessionId, userMessage, partial, version, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<SessionGate> EnterAsync(string sessionId, CancellationToken cancellationToken)
    {
        SessionGate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(sessionId, out gate!))
            {
                gate = new SessionGate();
                _gates.Add(sessionId, gate);
            }

            gate.Users++;
        }

        try
        {
            if (_options.ConcurrentTurns == ConcurrentTurnMode.Fail)
            {
                if (!gate.Semaphore.Wait(0, CancellationToken.None))
                {
                    throw new ChatHistoryConcurrencyException($"Chat session '{sessionId}' already has a turn running; wait for it to end or use ConcurrentTurnMode.Wait.");
                }
            }
            else
            {
                await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return gate;
        }
        catch
        {
            Release(sessionId, gate);
            throw;
        }
    }

    private void Exit(string sessionId, SessionGate gate)
    {
        gate.Semaphore.Release();
        Release(sessionId, gate);
    }

    // Gates live only while a turn holds or waits for them, so the dictionary does not grow with every session seen.
    private void Release(string sessionId, SessionGate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(sessionId);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class SessionGate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
