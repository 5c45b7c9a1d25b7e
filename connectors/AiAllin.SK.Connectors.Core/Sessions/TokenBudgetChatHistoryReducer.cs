using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Keeps a chat history within a token budget by dropping its oldest turns. System (and developer) messages are always
/// kept; an assistant message with function calls and the tool messages answering it are kept or dropped together; the
/// kept part never starts with a tool result whose call was dropped. The newest turn is kept even when it alone is over
/// the budget, since a request without it makes no sense.
/// </summary>
/// <remarks>
/// Tokens are estimated (by default characters / 4, plus a small per-message overhead, and a flat cost per image or
/// other data item); pass a counter backed by the model's tokenizer for exact budgets. It implements SK's
/// <see cref="IChatHistoryReducer"/> and also reduces M.E.AI message lists directly.
/// </remarks>
public sealed class TokenBudgetChatHistoryReducer : IChatHistoryReducer
{
    private const int MessageOverheadTokens = 4;
    private const int DataItemTokens = 256;

    private readonly int _maxTokens;
    private readonly Func<ChatMessage, int> _tokenCounter;

    /// <summary>Creates a reducer.</summary>
    /// <param name="maxTokens">The token budget for the whole history, system messages included.</param>
    /// <param name="tokenCounter">Counts a message's tokens; <see langword="null"/> uses <see cref="EstimateTokens"/>.</param>
    public TokenBudgetChatHistoryReducer(int maxTokens, Func<ChatMessage, int>? tokenCounter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        _maxTokens = maxTokens;
        _tokenCounter = tokenCounter ?? EstimateTokens;
    }

    /// <summary>Estimates a message's tokens: text, reasoning, function names, arguments and results at 4 characters a token, plus overhead.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The estimate.</returns>
    public static int EstimateTokens(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        long characters = message.AuthorName?.Length ?? 0;
        long tokens = MessageOverheadTokens;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    characters += text.Text.Length;
                    break;
                case TextReasoningContent reasoning:
                    characters += reasoning.Text.Length;
                    break;
                case FunctionCallContent call:
                    characters += call.Name.Length + (call.Arguments is null ? 0 : JsonSerializer.Serialize(call.Arguments, ChatMessageSerializer.Options).Length);
                    break;
                case FunctionResultContent result:
                    characters += result.Result switch
                    {
                        null => 0,
                        string s => s.Length,

                        // A string result read back from a store is a JSON string: count it as the string it was.
                        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!.Length,
                        var value => JsonSerializer.Serialize(value, ChatMessageSerializer.Options).Length,
                    };
                    break;
                case DataContent or UriContent:
                    tokens += DataItemTokens;
                    break;
                default:
                    break;
            }
        }

        return (int)Math.Min(int.MaxValue, tokens + ((characters + 3) / 4));
    }

    /// <summary>Reduces an M.E.AI message list.</summary>
    /// <param name="messages">The history, oldest first.</param>
    /// <returns>The kept messages in their order (the same instances), or <paramref name="messages"/> itself when it already fits.</returns>
    public IReadOnlyList<ChatMessage> Reduce(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var kept = SelectKept(messages);
        return kept is null ? messages : kept.Select(i => messages[i]).ToList();
    }

    // Reduces a history read as a recent window: the session's earlier system messages, then its most recent messages,
    // then the new ones. When that is already over the budget, the result is the whole history's: the budget runs out
    // inside the window, at the same unit (units are kept newest first and the system messages cost the same), and a
    // unit cut by the window's start costs no more than the whole unit would. When the window fits, older messages
    // might fit too: returns null, read a longer window.
    internal IReadOnlyList<ChatMessage>? ReduceWindow(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return SelectKept(messages)?.Select(i => messages[i]).ToList();
    }

    /// <inheritdoc />
    public Task<IEnumerable<ChatMessageContent>?> ReduceAsync(IReadOnlyList<ChatMessageContent> chatHistory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        var kept = SelectKept(chatHistory.Select(m => m.ToChatMessage()).ToList());
        return Task.FromResult(kept?.Select(i => chatHistory[i]));
    }

    // Returns the indices to keep, or null when everything fits.
    private List<int>? SelectKept(IReadOnlyList<ChatMessage> messages)
    {
        var tokens = messages.Select(m => _tokenCounter(m)).ToArray();
        if (tokens.Sum(t => (long)t) <= _maxTokens)
        {
            return null;
        }

        var pinned = new List<int>();
        var rest = new List<int>();
        for (var i = 0; i < messages.Count; i++)
        {
            (ChatSession.IsSystemMessage(messages[i]) ? pinned : rest).Add(i);
        }

        long used = pinned.Sum(i => (long)tokens[i]);
        var units = Units(messages, rest);
        var firstKeptUnit = units.Count;
        for (var u = units.Count - 1; u >= 0; u--)
        {
            var cost = units[u].Sum(i => (long)tokens[i]);
            if (used + cost > _maxTokens && u != units.Count - 1)
            {
                break;
            }

            used += cost;
            firstKeptUnit = u;
        }

        // A window may begin with tool results whose call was already cut off before this reducer ran.
        while (firstKeptUnit < units.Count - 1 && messages[units[firstKeptUnit][0]].Role == ChatRole.Tool)
        {
            firstKeptUnit++;
        }

        var kept = pinned.Concat(units.Skip(firstKeptUnit).SelectMany(u => u)).ToList();
        kept.Sort();
        return kept;
    }

    // A unit is a single message, or an assistant message with function calls followed by the tool messages after it.
    private static List<List<int>> Units(IReadOnlyList<ChatMessage> messages, List<int> indices)
    {
        var units = new List<List<int>>();
        foreach (var i in indices)
        {
            var message = messages[i];
            var joinsPrevious = message.Role == ChatRole.Tool
                && units.Count > 0
                && units[^1] is var previous
                && (messages[previous[0]].Contents.Any(c => c is FunctionCallContent));
            if (joinsPrevious)
            {
                units[^1].Add(i);
            }
            else
            {
                units.Add([i]);
            }
        }

        return units;
    }
}
