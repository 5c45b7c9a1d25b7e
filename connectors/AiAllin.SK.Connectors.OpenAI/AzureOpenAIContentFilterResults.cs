using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Azure OpenAI's content-filter verdicts for one prompt (<c>prompt_filter_results</c>) or one completion
/// (<c>content_filter_results</c>), as the Azure chat client puts them in <see cref="ChatResponse.AdditionalProperties"/>
/// and <see cref="ChatResponseUpdate.AdditionalProperties"/> under <see cref="CompletionKey"/> and
/// <see cref="PromptKey"/>.
/// </summary>
/// <remarks>
/// A completion the filter stopped also ends with <see cref="ChatFinishReason.ContentFilter"/>; a prompt the filter
/// refused never gets that far: the request fails with a <c>ProviderException</c> whose <c>ErrorCode</c> is
/// <c>content_filter</c>.
/// </remarks>
public sealed class AzureOpenAIContentFilterResults
{
    /// <summary>The additional-properties key of the completion's verdicts (an <see cref="AzureOpenAIContentFilterResults"/>).</summary>
    public const string CompletionKey = "azure_content_filter_results";

    /// <summary>The additional-properties key of the prompts' verdicts (an <see cref="IReadOnlyList{T}"/> of <see cref="AzureOpenAIContentFilterResults"/>, one per prompt).</summary>
    public const string PromptKey = "azure_prompt_filter_results";

    /// <summary>The <see cref="Exception.Data"/> key under which a refused prompt's verdicts (an <see cref="AzureOpenAIContentFilterResults"/>) travel on the <c>ProviderException</c>.</summary>
    public const string ExceptionDataKey = "azure_content_filter_result";

    private AzureOpenAIContentFilterResults(int? promptIndex, IReadOnlyDictionary<string, AzureOpenAIContentFilterCategory> categories, string? errorCode, string? errorMessage)
    {
        PromptIndex = promptIndex;
        Categories = categories;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>Gets the index of the prompt these verdicts are for; <see langword="null"/> for a completion.</summary>
    public int? PromptIndex { get; }

    /// <summary>Gets the verdicts by category name as Azure names them (<c>hate</c>, <c>self_harm</c>, <c>jailbreak</c>, <c>custom_blocklists</c>...).</summary>
    public IReadOnlyDictionary<string, AzureOpenAIContentFilterCategory> Categories { get; }

    /// <summary>Gets whether any category blocked the content.</summary>
    public bool IsFiltered => Categories.Values.Any(c => c.Filtered);

    /// <summary>Gets the error code when the filter could not run (the content was then not filtered).</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the error message when the filter could not run.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Returns the completion verdicts stored in a response's or update's additional properties.</summary>
    /// <param name="properties">The additional properties.</param>
    /// <returns>The verdicts, or <see langword="null"/> when the response carried none.</returns>
    public static AzureOpenAIContentFilterResults? ForCompletion(AdditionalPropertiesDictionary? properties)
        => properties is not null && properties.TryGetValue(CompletionKey, out var value) ? value as AzureOpenAIContentFilterResults : null;

    /// <summary>Returns the prompt verdicts stored in a response's or update's additional properties.</summary>
    /// <param name="properties">The additional properties.</param>
    /// <returns>The verdicts, one per prompt; empty when the response carried none.</returns>
    public static IReadOnlyList<AzureOpenAIContentFilterResults> ForPrompts(AdditionalPropertiesDictionary? properties)
        => properties is not null && properties.TryGetValue(PromptKey, out var value) && value is IReadOnlyList<AzureOpenAIContentFilterResults> list ? list : [];

    /// <summary>Returns a short description naming the filtered categories.</summary>
    /// <returns>For example <c>content filter: violence (high) filtered</c>.</returns>
    public override string ToString()
    {
        var filtered = Categories.Where(c => c.Value.Filtered).Select(c => c.Value.Severity is { } severity ? $"{c.Key} ({severity})" : c.Key).ToList();
        var verdict = filtered.Count == 0 ? "nothing filtered" : string.Join(", ", filtered) + " filtered";
        return ErrorCode is null ? "content filter: " + verdict : $"content filter did not run: {ErrorCode}";
    }

    /// <summary>Reads a <c>content_filter_results</c> (or <c>content_filter_result</c>) object.</summary>
    /// <param name="element">The JSON object.</param>
    /// <param name="promptIndex">The prompt index when these are prompt verdicts.</param>
    /// <returns>The verdicts, or <see langword="null"/> when the element is not an object.</returns>
    internal static AzureOpenAIContentFilterResults? Parse(JsonElement element, int? promptIndex = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var categories = new Dictionary<string, AzureOpenAIContentFilterCategory>(StringComparer.Ordinal);
        string? errorCode = null;
        string? errorMessage = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (property.NameEquals("error"u8))
            {
                errorCode = StringOf(property.Value, "code") ?? "unknown";
                errorMessage = StringOf(property.Value, "message");
                continue;
            }

            if (BoolOf(property.Value, "filtered") is { } filtered)
            {
                categories[property.Name] = new AzureOpenAIContentFilterCategory(filtered, StringOf(property.Value, "severity"), BoolOf(property.Value, "detected"));
            }
        }

        return new AzureOpenAIContentFilterResults(promptIndex, categories, errorCode, errorMessage);
    }

    /// <summary>Reads a <c>prompt_filter_results</c> array.</summary>
    /// <param name="element">The JSON array.</param>
    /// <returns>The verdicts, one per prompt.</returns>
    internal static IReadOnlyList<AzureOpenAIContentFilterResults> ParsePrompts(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var results = new List<AzureOpenAIContentFilterResults>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("content_filter_results"u8, out var verdicts)
                && Parse(verdicts, item.TryGetProperty("prompt_index"u8, out var index) && index.TryGetInt32(out var i) ? i : results.Count) is { } parsed)
            {
                results.Add(parsed);
            }
        }

        return results;
    }

    private static string? StringOf(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? BoolOf(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
