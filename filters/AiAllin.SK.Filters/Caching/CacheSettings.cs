using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>The settings the exact and semantic caches share, copied once when a policy is built.</summary>
internal sealed record CacheSettings(
    string Name,
    TimeSpan Ttl,
    TimeSpan? MaxAge,
    long MaxEntrySize,
    Func<ChatOptions?, string?>? PartitionSelector,
    IReadOnlyList<string> Tags,
    bool CacheStreaming,
    bool CacheToolCalls,
    JsonSerializerOptions Json)
{
    public static void ValidateCommon(TimeSpan ttl, TimeSpan? maxAge, long maxEntrySize, JsonSerializerOptions? json, IList<string> tags, string owner)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{owner}.Ttl must be positive.", nameof(ttl));
        }

        if (maxAge is { } age && age <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{owner}.MaxAge must be positive when set.", nameof(maxAge));
        }

        if (maxEntrySize <= 0)
        {
            throw new ArgumentException($"{owner}.MaxEntrySize must be positive.", nameof(maxEntrySize));
        }

        if (json is null)
        {
            throw new ArgumentException($"{owner}.JsonSerializerOptions must not be null.", nameof(json));
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException($"{owner}.Tags must not contain empty tags.", nameof(tags));
            }
        }
    }

    /// <summary>Gets the partition of a call: the selector's, or the per-call property.</summary>
    public string? SelectPartition(ChatOptions? options) =>
        PartitionSelector is not null
            ? PartitionSelector(options)
            : options?.AdditionalProperties?.TryGetValue(CacheOptions.PartitionProperty, out var value) == true ? value?.ToString() : null;

    /// <summary>Gets the configured tags plus the call's <see cref="CacheOptions.TagsProperty"/>.</summary>
    public List<string> SelectTags(ChatOptions? options)
    {
        var tags = new List<string>(Tags);
        if (options?.AdditionalProperties?.TryGetValue(CacheOptions.TagsProperty, out var value) == true)
        {
            switch (value)
            {
                case string tag when !string.IsNullOrWhiteSpace(tag):
                    tags.Add(tag);
                    break;
                case IEnumerable<string> many:
                    tags.AddRange(many.Where(t => !string.IsNullOrWhiteSpace(t)));
                    break;
                case JsonElement { ValueKind: JsonValueKind.Array } array:
                    tags.AddRange(array.EnumerateArray().Select(e => e.GetString()).Where(t => !string.IsNullOrWhiteSpace(t))!);
                    break;
                case JsonElement { ValueKind: JsonValueKind.String } single:
                    tags.Add(single.GetString()!);
                    break;
            }
        }

        return tags;
    }

    /// <summary>Gets a value indicating whether the call asked to skip the cache.</summary>
    public static bool IsBypassed(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(CacheOptions.BypassProperty, out var value) == true
        && value is true or "true" or JsonElement { ValueKind: JsonValueKind.True };
}
