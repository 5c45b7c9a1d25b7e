using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

// JsonPatch is the SDK's only public door to fields it does not model, such as Azure's filter results.
#pragma warning disable SCME0001

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Surfaces Azure OpenAI's content-filter verdicts, which the OpenAI SDK keeps only as unknown JSON, as typed
/// <see cref="AzureOpenAIContentFilterResults"/> in the additional properties of each response and streamed update.
/// </summary>
/// <remarks>
/// Azure streams the prompt verdicts in a first chunk with no choices and the completion's verdicts in chunks of their
/// own; those become updates without text that carry only the verdicts, so a stream never ends early or fails on them.
/// </remarks>
internal sealed class AzureOpenAIContentFilterChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (response.RawRepresentation is ChatCompletion completion)
        {
            response.AdditionalProperties = Annotate(ref completion.Patch, response.AdditionalProperties);
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.RawRepresentation is StreamingChatCompletionUpdate raw)
            {
                update.AdditionalProperties = Annotate(ref raw.Patch, update.AdditionalProperties);
            }

            yield return update;
        }
    }

    // Returns the properties to keep: the given ones (possibly null) when there is nothing to add.
    private static AdditionalPropertiesDictionary? Annotate(ref JsonPatch patch, AdditionalPropertiesDictionary? properties)
    {
        if (patch.TryGetJson("$.prompt_filter_results"u8, out ReadOnlyMemory<byte> prompts)
            && Read(prompts, AzureOpenAIContentFilterResults.ParsePrompts) is { Count: > 0 } promptResults)
        {
            properties ??= [];
            properties[AzureOpenAIContentFilterResults.PromptKey] = promptResults;
        }

        if (patch.TryGetJson("$.choices[0].content_filter_results"u8, out ReadOnlyMemory<byte> completion)
            && Read(completion, element => AzureOpenAIContentFilterResults.Parse(element)) is { } completionResults
            && (completionResults.Categories.Count > 0 || completionResults.ErrorCode is not null))
        {
            properties ??= [];
            properties[AzureOpenAIContentFilterResults.CompletionKey] = completionResults;
        }

        return properties;
    }

    private static T? Read<T>(ReadOnlyMemory<byte> json, Func<JsonElement, T> parse)
    {
        // Real Azure streams send an empty object on most chunks; skip parsing those.
        if (json.Length <= 2)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return parse(document.RootElement);
        }
        catch (JsonException)
        {
            // Verdicts are advisory extras: an unreadable one must not break a response that is otherwise fine.
            return default;
        }
    }
}
