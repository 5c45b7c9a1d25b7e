using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Runs chat turns against a stored session: load the session, send its history plus the user's message through the
/// kernel's chat client with the kernel's functions, and append the user's message and everything the model produced
/// (function calls, their results, the answer) in one atomic append.
/// </summary>
/// <remarks>
/// <para>The chat client is the kernel's <see cref="IChatClient"/>, or else its <see cref="IChatCompletionService"/>
/// bridged with SK's <c>AsChatClient()</c>. When the client does not invoke functions itself, SK's kernel function
/// invocation is added, so auto function calling (and SK's auto-function-invocation filters) work with
/// <see cref="FunctionChoiceBehavior.Auto(IEnumerable{KernelFunction}?, bool, FunctionChoiceBehaviorOptions?)"/>.</para>
/// <para>The append uses the version read at the start of the turn as the expected version, so two turns racing on
/// one session cannot interleave: the later one fails with <see cref="ChatHistoryConcurrencyException"/> and persists
/// nothing; run it again to answer from the updated history.</para>
/// </remarks>
public static class KernelChatSessionExtensions
{
    /// <summary>Runs a chat turn in a session and persists it.</summary>
    /// <param name="kernel">The kernel with the chat client and the functions the model may call.</param>
    /// <param name="store">The session store.</param>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message text.</param>
    /// <param name="settings">Execution settings; <see langword="null"/> enables automatic calls of the kernel's functions.</param>
    /// <param name="options">Turn options (a history reducer); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The response, the appended messages and the new version.</returns>
    /// <exception cref="ChatSessionNotFoundException">The session does not exist or has expired (checked before the model is called).</exception>
    /// <exception cref="ChatHistoryConcurrencyException">Another writer appended during the turn; nothing was persisted.</exception>
    public static Task<ChatSessionTurnResult> ChatInSessionAsync(
        this Kernel kernel,
        IChatHistoryStore store,
        string sessionId,
        string userMessage,
        PromptExecutionSettings? settings = null,
        ChatSessionTurnOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        return kernel.ChatInSessionAsync(store, sessionId, new ChatMessage(ChatRole.User, userMessage), settings, options, cancellationToken);
    }

    /// <summary>Runs a chat turn in a session and persists it.</summary>
    /// <param name="kernel">The kernel with the chat client and the functions the model may call.</param>
    /// <param name="store">The session store.</param>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message (any contents, such as images).</param>
    /// <param name="settings">Execution settings; <see langword="null"/> enables automatic calls of the kernel's functions.</param>
    /// <param name="options">Turn options (a history reducer); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The response, the appended messages and the new version.</returns>
    /// <exception cref="ChatSessionNotFoundException">The session does not exist or has expired (checked before the model is called).</exception>
    /// <exception cref="ChatHistoryConcurrencyException">Another writer appended during the turn; nothing was persisted.</exception>
    public static async Task<ChatSessionTurnResult> ChatInSessionAsync(
        this Kernel kernel,
        IChatHistoryStore store,
        string sessionId,
        ChatMessage userMessage,
        PromptExecutionSettings? settings = null,
        ChatSessionTurnOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var turn = await PrepareAsync(kernel, store, sessionId, userMessage, settings, options, cancellationToken).ConfigureAwait(false);

        var response = await turn.Client.GetResponseAsync(turn.Request, turn.ChatOptions, cancellationToken).ConfigureAwait(false);

        return await PersistAsync(store, sessionId, userMessage, response, turn.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a streaming chat turn in a session; the turn is persisted when the stream has been read to its end (a
    /// stream abandoned early persists nothing).
    /// </summary>
    /// <param name="kernel">The kernel with the chat client and the functions the model may call.</param>
    /// <param name="store">The session store.</param>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message text.</param>
    /// <param name="settings">Execution settings; <see langword="null"/> enables automatic calls of the kernel's functions.</param>
    /// <param name="options">Turn options (a history reducer); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The updates as SK streaming contents; each one's <see cref="KernelContent.InnerContent"/> is the <see cref="ChatResponseUpdate"/>.</returns>
    public static IAsyncEnumerable<StreamingChatMessageContent> ChatInSessionStreamingAsync(
        this Kernel kernel,
        IChatHistoryStore store,
        string sessionId,
        string userMessage,
        PromptExecutionSettings? settings = null,
        ChatSessionTurnOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        return kernel.ChatInSessionStreamingAsync(store, sessionId, new ChatMessage(ChatRole.User, userMessage), settings, options, cancellationToken);
    }

    /// <summary>
    /// Runs a streaming chat turn in a session; the turn is persisted when the stream has been read to its end (a
    /// stream abandoned early persists nothing).
    /// </summary>
    /// <param name="kernel">The kernel with the chat client and the functions the model may call.</param>
    /// <param name="store">The session store.</param>
    /// <param name="sessionId">The session id; the session must exist.</param>
    /// <param name="userMessage">The user's message (any contents, such as images).</param>
    /// <param name="settings">Execution settings; <see langword="null"/> enables automatic calls of the kernel's functions.</param>
    /// <param name="options">Turn options (a history reducer); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel the turn.</param>
    /// <returns>The updates as SK streaming contents; each one's <see cref="KernelContent.InnerContent"/> is the <see cref="ChatResponseUpdate"/>.</returns>
    public static async IAsyncEnumerable<StreamingChatMessageContent> ChatInSessionStreamingAsync(
        this Kernel kernel,
        IChatHistoryStore store,
        string sessionId,
        ChatMessage userMessage,
        PromptExecutionSettings? settings = null,
        ChatSessionTurnOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var turn = await PrepareAsync(kernel, store, sessionId, userMessage, settings, options, cancellationToken).ConfigureAwait(false);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in turn.Client.GetStreamingResponseAsync(turn.Request, turn.ChatOptions, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return new StreamingChatMessageContent(
                update.Role is { } role ? new AuthorRole(role.Value) : null,
                update.Text,
                innerContent: update,
                modelId: update.ModelId,
                metadata: update.AdditionalProperties)
            {
                AuthorName = update.AuthorName,
            };
        }

        await PersistAsync(store, sessionId, userMessage, updates.ToChatResponse(), turn.Version, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<PreparedTurn> PrepareAsync(
        Kernel kernel,
        IChatHistoryStore store,
        string sessionId,
        ChatMessage userMessage,
        PromptExecutionSettings? settings,
        ChatSessionTurnOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(userMessage);
        ChatHistoryValidator.ValidateSessionId(sessionId);

        IReadOnlyList<ChatMessage> request;
        long version;
        if (options?.Reducer is TokenBudgetChatHistoryReducer budget && store.SupportsEarlierSystemMessages)
        {
            (request, version) = await ReadReducedWindowAsync(store, sessionId, userMessage, budget, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var session = await store.GetAsync(sessionId, null, cancellationToken).ConfigureAwait(false)
                ?? throw ChatSessionNotFoundException.ForSession(sessionId);
            request = [.. session.Messages, userMessage];
            version = session.Info.Version;
            if (options?.Reducer is { } reducer)
            {
                request = await ReduceAsync(reducer, request, cancellationToken).ConfigureAwait(false);
            }
        }

        settings ??= new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        return new PreparedTurn(ResolveClient(kernel), request, settings.ToChatOptions(kernel), version);
    }

    // A token budget keeps the system messages and a recent suffix of the rest, so a long session need not be read
    // whole: read the most recent messages plus the earlier system messages, and widen the window only while it fits
    // in the budget (then older messages might fit too). Each read is one consistent snapshot.
    private static async Task<(IReadOnlyList<ChatMessage> Request, long Version)> ReadReducedWindowAsync(
        IChatHistoryStore store,
        string sessionId,
        ChatMessage userMessage,
        TokenBudgetChatHistoryReducer reducer,
        CancellationToken cancellationToken)
    {
        var window = InitialHistoryWindow;
        while (true)
        {
            var session = await store.GetAsync(sessionId, new ChatHistoryReadOptions { MaxMessages = window, IncludeEarlierSystemMessages = true }, cancellationToken).ConfigureAwait(false)
                ?? throw ChatSessionNotFoundException.ForSession(sessionId);
            List<ChatMessage> messages = [.. session.EarlierSystemMessages, .. session.Messages, userMessage];

            // The window reaches the first message (so there are no earlier ones): this is the whole history.
            if (session.FirstSequence <= 1)
            {
                return (reducer.Reduce(messages), session.Info.Version);
            }

            if (reducer.ReduceWindow(messages) is { } reduced)
            {
                return (reduced, session.Info.Version);
            }

            window = (int)Math.Min(int.MaxValue, window * 4L);
        }
    }

    internal static async Task<ChatSessionTurnResult> PersistAsync(
        IChatHistoryStore store,
        string sessionId,
        ChatMessage userMessage,
        ChatResponse response,
        long expectedVersion,
        CancellationToken cancellationToken)
    {
        List<ChatMessage> appended = [userMessage, .. response.Messages];
        var version = await store.AppendAsync(sessionId, appended, expectedVersion, cancellationToken).ConfigureAwait(false);
        return new ChatSessionTurnResult { Response = response, AppendedMessages = appended, Version = version };
    }

    private static IChatClient ResolveClient(Kernel kernel)
    {
        var client = kernel.Services.GetService<IChatClient>()
            ?? kernel.Services.GetService<IChatCompletionService>()?.AsChatClient()
            ?? throw new InvalidOperationException("The kernel has no IChatClient or IChatCompletionService registered; add a chat client to the kernel builder first.");

        if (client.GetService<FunctionInvokingChatClient>() is not null)
        {
            return client;
        }

        return client.AsBuilder()
            .UseKernelFunctionInvocation(kernel.Services.GetService<ILoggerFactory>())
            .Build(kernel.Services);
    }

    private static async Task<IReadOnlyList<ChatMessage>> ReduceAsync(IChatHistoryReducer reducer, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (reducer is TokenBudgetChatHistoryReducer budget)
        {
            return budget.Reduce(messages);
        }

        // Other reducers see SK messages; the ones they keep map back to the stored originals through InnerContent.
        var reduced = await reducer.ReduceAsync(messages.ToChatHistory(), cancellationToken).ConfigureAwait(false);
        return reduced is null
            ? messages
            : reduced.Select(m => m.InnerContent as ChatMessage ?? m.ToChatMessage()).ToList();
    }

    /// <summary>The number of recent messages the first read of a turn with a token-budget reducer asks for.</summary>
    internal const int InitialHistoryWindow = 128;

    internal sealed record PreparedTurn(IChatClient Client, IReadOnlyList<ChatMessage> Request, ChatOptions ChatOptions, long Version);
}
