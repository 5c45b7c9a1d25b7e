using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// Settings of the exact-match response cache (<see cref="CachePolicy"/>): answers are keyed on a SHA-256 of the
/// canonical request (model, messages, tools, relevant options, partition) and kept in a
/// <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/> — in process, or shared through its distributed
/// cache (Redis).
/// </summary>
/// <remarks>
/// <para>Per call, <see cref="ChatOptions.AdditionalProperties"/> may carry <see cref="PartitionProperty"/> (a tenant or
/// user id), <see cref="TagsProperty"/> (a string or strings to tag the entry with) and <see cref="BypassProperty"/>
/// (true: neither read nor write the cache). Properties starting with <see cref="PropertyPrefix"/> never reach the key.
/// Responses are marked with <see cref="StatusProperty"/> ("hit" or "miss") and <see cref="KeyProperty"/>.</para>
/// <para>Tool calls: by default a response containing a <see cref="FunctionCallContent"/> is not stored. Outside a
/// function-invoking client such a response is a whole tool loop, and replaying it would skip the tools' side effects
/// and fresh data; inside one, it is a request to run tools now, and caching it saves little while tying later turns to
/// an old call id. Set <see cref="CacheToolCalls"/> when the cache sits inside the tool loop and the tools are pure.
/// The final answer after tool results is always cacheable: the results are part of its key.</para>
/// </remarks>
public sealed class CacheOptions
{
    /// <summary>The prefix of every per-call <see cref="ChatOptions.AdditionalProperties"/> key the caches read.</summary>
    public const string PropertyPrefix = "aiallin.cache.";

    /// <summary>Per-call partition (tenant or user id): entries of one partition never answer another.</summary>
    public const string PartitionProperty = "aiallin.cache.partition";

    /// <summary>Per-call tags (a string or a sequence of strings) added to the stored entry.</summary>
    public const string TagsProperty = "aiallin.cache.tags";

    /// <summary>Per-call switch: <see langword="true"/> skips the cache for this call.</summary>
    public const string BypassProperty = "aiallin.cache.bypass";

    /// <summary>Set on returned responses (and the first replayed update): "hit" or "miss".</summary>
    public const string StatusProperty = "aiallin.cache.status";

    /// <summary>Set on returned responses (and the first replayed update): the entry's key, for invalidation.</summary>
    public const string KeyProperty = "aiallin.cache.key";

    /// <summary>Gets or sets how long an entry is served; the backend also expires it then. Default one hour.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the age past which a stored entry is ignored and refreshed from the model, even within its
    /// <see cref="Ttl"/> (lower it at runtime through <see cref="CachePolicy.InvalidateOlderThan"/>). Default none.
    /// </summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Gets or sets the largest entry stored, in bytes of serialized JSON; larger responses are not cached. Default 1 MiB.</summary>
    public long MaxEntrySize { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the prefix of every key and tag this cache writes. Default <c>aiallin:chat:</c>.</summary>
    public string KeyPrefix { get; set; } = "aiallin:chat:";

    /// <summary>
    /// Gets or sets how the partition (tenant or user) of a call is found; null reads <see cref="PartitionProperty"/>.
    /// The value is hashed into the key and never stored raw.
    /// </summary>
    public Func<ChatOptions?, string?>? PartitionSelector { get; set; }

    /// <summary>Gets the tags every entry gets, for <see cref="CachePolicy.InvalidateTagAsync"/>.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>Gets or sets a value indicating whether streamed responses are cached and replayed. Default true.</summary>
    public bool CacheStreaming { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether responses containing tool calls are stored. Default false.</summary>
    public bool CacheToolCalls { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether HybridCache keeps entries in process memory (L1) as well as in its
    /// distributed cache. Default true; set false when several processes share Redis and an invalidation must be seen
    /// by all of them at once (every hit then reads Redis).
    /// </summary>
    public bool UseLocalCache { get; set; } = true;

    /// <summary>
    /// Gets or sets how long a process keeps an entry in its local (L1) cache; null uses the HybridCache default.
    /// Lower it when other processes invalidate entries, since only the shared (L2) copy is removed there.
    /// </summary>
    public TimeSpan? LocalCacheExpiration { get; set; }

    /// <summary>Gets or sets the serializer options for stored responses and key values. Default <see cref="AIJsonUtilities.DefaultOptions"/>.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = AIJsonUtilities.DefaultOptions;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        CacheSettings.ValidateCommon(Ttl, MaxAge, MaxEntrySize, JsonSerializerOptions, Tags, "CacheOptions");
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException("CacheOptions.KeyPrefix must not be empty.", nameof(KeyPrefix));
        }

        if (LocalCacheExpiration is { } local && local <= TimeSpan.Zero)
        {
            throw new ArgumentException("CacheOptions.LocalCacheExpiration must be positive.", nameof(LocalCacheExpiration));
        }
    }
}
