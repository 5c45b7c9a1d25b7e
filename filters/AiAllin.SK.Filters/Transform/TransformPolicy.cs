using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace AiAllin.SK.Filters.Transform;

/// <summary>
/// Rewrites requests (custom rewrite, trimming, system-prompt injection, PII masking) and responses (PII masking,
/// custom output rewrite), chunk by chunk for streams, holding back only the unfinished tail a PII match may need.
/// </summary>
public sealed class TransformPolicy
{
    private readonly TransformOptions _options;
    private readonly bool _rewritesRequests;
    private readonly bool _rewritesResponses;

    /// <summary>Initializes the policy.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public TransformPolicy(TransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Patterns = [.. options.PiiPatterns];
        _rewritesRequests = options.RewriteRequest is not null || options.MaxMessages is not null || options.SystemPrompt is not null
            || (options.MaskPiiInRequests && Patterns.Length > 0);
        _rewritesResponses = Patterns.Length > 0 || options.RewriteOutput is not null;
    }

    internal Regex[] Patterns { get; }

    /// <summary>Returns <paramref name="text"/> with every PII pattern match replaced by the mask.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The masked text.</returns>
    public string MaskPii(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var pattern in Patterns)
        {
            text = pattern.Replace(text, _options.PiiMask);
        }

        return text;
    }

    /// <summary>Applies the request rewrites; returns the messages unchanged when none is configured.</summary>
    /// <param name="messages">The messages the caller sent (never modified).</param>
    /// <param name="options">The chat options.</param>
    /// <returns>The messages to send.</returns>
    public IEnumerable<ChatMessage> TransformRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!_rewritesRequests)
        {
            return messages;
        }

        IReadOnlyList<ChatMessage> list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        if (_options.RewriteRequest is { } rewrite)
        {
            list = [.. rewrite(list, options)];
        }

        if (_options.MaxMessages is { } max)
        {
            list = Trim(list, max);
        }

        if (_options.SystemPrompt is { } systemPrompt)
        {
            list = [new ChatMessage(ChatRole.System, systemPrompt), .. list];
        }

        if (_options.MaskPiiInRequests && Patterns.Length > 0)
        {
            list = [.. list.Select(MaskMessage)];
        }

        return list;
    }

    /// <summary>
    /// Applies PII masking and the output rewrite to the text of <paramref name="response"/>; the response and its
    /// messages are copied, never changed in place (a cache below may hold them).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <returns>The rewritten response, or the same one when no response rewrite is configured.</returns>
    public ChatResponse TransformResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!_rewritesResponses)
        {
            return response;
        }

        var messages = new List<ChatMessage>(response.Messages.Count);
        foreach (var message in response.Messages)
        {
            var copy = message.Clone();
            copy.Contents = RewriteContents(message.Contents, text => RewriteOutput(MaskPii(text)));
            messages.Add(copy);
        }

        return new ChatResponse(messages)
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            RawRepresentation = response.RawRepresentation,
            AdditionalProperties = response.AdditionalProperties,
        };
    }

    /// <summary>Applies PII masking and the output rewrite to a stream, chunk by chunk.</summary>
    /// <param name="updates">The stream.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The rewritten stream (the same stream when no response rewrite is configured).</returns>
    public IAsyncEnumerable<ChatResponseUpdate> TransformStream(IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return _rewritesResponses ? TransformStreamCore(updates, cancellationToken) : updates;
    }

    internal string TransformRenderedPrompt(string prompt)
    {
        if (_options.RewriteRenderedPrompt is { } rewrite)
        {
            prompt = rewrite(prompt);
        }

        return _options.MaskPiiInRequests ? MaskPii(prompt) : prompt;
    }

    internal async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        await next(context).ConfigureAwait(false);
        if (context.RenderedPrompt is { } prompt)
        {
            context.RenderedPrompt = TransformRenderedPrompt(prompt);
        }
    }

    private static IReadOnlyList<ChatMessage> Trim(IReadOnlyList<ChatMessage> list, int max)
    {
        var nonSystem = 0;
        foreach (var message in list)
        {
            nonSystem += message.Role == ChatRole.System ? 0 : 1;
        }

        if (nonSystem <= max)
        {
            return list;
        }

        var drop = nonSystem - max;
        var result = new List<ChatMessage>(list.Count - drop);
        var keeping = false;
        foreach (var message in list)
        {
            if (message.Role == ChatRole.System)
            {
                result.Add(message);
                continue;
            }

            // A tool result whose call was trimmed away would be rejected by providers: drop it too.
            if (drop-- > 0 || (!keeping && message.Role == ChatRole.Tool))
            {
                continue;
            }

            keeping = true;
            result.Add(message);
        }

        return result;
    }

    private string RewriteOutput(string text) => _options.RewriteOutput is { } rewrite && text.Length > 0 ? rewrite(text) : text;

    private ChatMessage MaskMessage(ChatMessage message)
    {
        var changed = false;
        var contents = new List<AIContent>(message.Contents.Count);
        foreach (var content in message.Contents)
        {
            if (content is TextContent text && MaskPii(text.Text) is var masked && !string.Equals(masked, text.Text, StringComparison.Ordinal))
            {
                contents.Add(new TextContent(masked));
                changed = true;
            }
            else
            {
                contents.Add(content);
            }
        }

        return !changed ? message : new ChatMessage(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            AdditionalProperties = message.AdditionalProperties,
        };
    }

    private static List<AIContent> RewriteContents(IList<AIContent> contents, Func<string, string> rewrite)
    {
        var result = new List<AIContent>(contents.Count);
        foreach (var content in contents)
        {
            result.Add(content is TextContent text ? new TextContent(rewrite(text.Text)) { AdditionalProperties = text.AdditionalProperties } : content);
        }

        return result;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> TransformStreamCore(IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var masker = Patterns.Length > 0 ? new PiiStreamMasker(this, _options.MaxPiiLength, _options.PiiMaySpanWhiteSpace) : null;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var flush = masker is not null && update.FinishReason is not null;
            if (!flush && !HasText(update.Contents))
            {
                yield return update;
                continue;
            }

            // Rewritten into a copy: the update may be shared (a cache below replays the same objects).
            var copy = update.Clone();
            var contents = RewriteContents(update.Contents, text => RewriteOutput(masker is null ? text : masker.Push(text)));
            if (flush && RewriteOutput(masker!.Flush()) is { Length: > 0 } rest)
            {
                // The held-back tail belongs before the end of the answer, not after the finish update.
                var last = contents.FindLastIndex(c => c is TextContent);
                if (last < 0)
                {
                    contents.Add(new TextContent(rest));
                }
                else
                {
                    contents[last] = new TextContent(((TextContent)contents[last]).Text + rest);
                }
            }

            copy.Contents = contents;
            yield return copy;
        }

        if (masker is not null && RewriteOutput(masker.Flush()) is { Length: > 0 } tail)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, tail);
        }
    }

    private static bool HasText(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent)
            {
                return true;
            }
        }

        return false;
    }
}
