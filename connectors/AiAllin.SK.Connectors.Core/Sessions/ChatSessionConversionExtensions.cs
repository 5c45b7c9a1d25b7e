using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using MeaiContent = Microsoft.Extensions.AI;
using SkContent = Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Core.Sessions;

/// <summary>
/// Conversions between stored <see cref="ChatMessage"/> lists and Semantic Kernel's <see cref="ChatHistory"/> /
/// <see cref="ChatMessageContent"/>, and an append overload that takes SK messages.
/// </summary>
/// <remarks>
/// SK to M.E.AI uses SK's own <see cref="ChatMessageContentExtensions.ToChatMessage(ChatMessageContent)"/>. The other
/// direction maps text, reasoning, images, audio, other data and URIs, function calls and function results; usage and
/// error contents have no SK item type and are kept on <see cref="KernelContent.Metadata"/> under
/// <see cref="UsageMetadataKey"/> and <see cref="ErrorsMetadataKey"/>. The store keeps the M.E.AI form, which is exact;
/// SK's form is a view for SK APIs.
/// </remarks>
public static class ChatSessionConversionExtensions
{
    /// <summary>The metadata key under which a message's <see cref="UsageDetails"/> is exposed (SK's own key).</summary>
    public const string UsageMetadataKey = "Usage";

    /// <summary>The metadata key under which a message's <see cref="ErrorContent"/> items are exposed.</summary>
    public const string ErrorsMetadataKey = "Errors";

    /// <summary>Creates a <see cref="ChatHistory"/> from a session's messages.</summary>
    /// <param name="session">The session read from a store.</param>
    /// <returns>A new history, in the session's order.</returns>
    public static ChatHistory ToChatHistory(this ChatSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Messages.ToChatHistory();
    }

    /// <summary>Creates a <see cref="ChatHistory"/> from M.E.AI messages.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>A new history, in order.</returns>
    public static ChatHistory ToChatHistory(this IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = new ChatHistory();
        foreach (var message in messages)
        {
            history.Add(message.ToChatMessageContent());
        }

        return history;
    }

    /// <summary>Converts SK messages to M.E.AI messages (with SK's own conversion).</summary>
    /// <param name="messages">The SK messages, for example a <see cref="ChatHistory"/>.</param>
    /// <returns>New M.E.AI messages, in order.</returns>
    public static IReadOnlyList<ChatMessage> ToChatMessages(this IEnumerable<ChatMessageContent> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Select(m => m.ToChatMessage()).ToList();
    }

    /// <summary>Appends SK messages to a stored session; see <see cref="IChatHistoryStore.AppendAsync"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="sessionId">The session id.</param>
    /// <param name="messages">The SK messages.</param>
    /// <param name="expectedVersion">The version the caller last read, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The session's new version.</returns>
    public static Task<long> AppendAsync(this IChatHistoryStore store, string sessionId, IEnumerable<ChatMessageContent> messages, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.AppendAsync(sessionId, messages.ToChatMessages(), expectedVersion, cancellationToken);
    }

    /// <summary>Converts an M.E.AI message to an SK <see cref="ChatMessageContent"/>.</summary>
    /// <param name="message">The message.</param>
    /// <returns>A new SK message; its <see cref="KernelContent.InnerContent"/> is <paramref name="message"/>.</returns>
    public static ChatMessageContent ToChatMessageContent(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        var metadata = new Dictionary<string, object?>(message.AdditionalProperties ?? [], StringComparer.Ordinal);
        var result = new ChatMessageContent
        {
            Role = new AuthorRole(message.Role.Value),
            AuthorName = message.AuthorName,
            InnerContent = message,
            Metadata = metadata,
        };

        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        List<ErrorContent>? errors = null;
        foreach (var content in message.Contents)
        {
            KernelContent? item = content switch
            {
                MeaiContent.TextContent text => new SkContent.TextContent(text.Text),
                TextReasoningContent reasoning => new ReasoningContent(reasoning.Text),
                DataContent data when data.HasTopLevelMediaType("image") => new ImageContent(data.Data, data.MediaType),
                DataContent data when data.HasTopLevelMediaType("audio") => new AudioContent(data.Data, data.MediaType),
                DataContent data => new BinaryContent(data.Data, data.MediaType),
                UriContent uri when uri.HasTopLevelMediaType("image") => new ImageContent(uri.Uri) { MimeType = uri.MediaType },
                UriContent uri when uri.HasTopLevelMediaType("audio") => new AudioContent(uri.Uri) { MimeType = uri.MediaType },
                UriContent uri => new BinaryContent(uri.Uri) { MimeType = uri.MediaType },
                MeaiContent.FunctionCallContent call => new SkContent.FunctionCallContent(call.Name, id: call.CallId, arguments: call.Arguments is null ? null : new KernelArguments(call.Arguments)),
                MeaiContent.FunctionResultContent functionResult => new SkContent.FunctionResultContent(callNames.GetValueOrDefault(functionResult.CallId), callId: functionResult.CallId, result: functionResult.Result),
                _ => null,
            };

            switch (content)
            {
                case MeaiContent.FunctionCallContent call:
                    callNames[call.CallId] = call.Name;
                    break;
                case UsageContent usage:
                    metadata[UsageMetadataKey] = usage.Details;
                    break;
                case ErrorContent error:
                    (errors ??= []).Add(error);
                    break;
                default:
                    break;
            }

            if (item is not null)
            {
                item.Metadata = content.AdditionalProperties;
                item.InnerContent = content;
                result.Items.Add(item);
            }
        }

        if (errors is not null)
        {
            metadata[ErrorsMetadataKey] = errors;
        }

        return result;
    }
}
