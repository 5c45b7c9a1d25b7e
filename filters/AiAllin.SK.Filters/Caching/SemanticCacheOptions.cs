using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Filters.Caching;

/// <summary>
/// Settings of the semantic response cache (<see cref="SemanticCachePolicy"/>): a request whose last user message is
/// close enough (cosine similarity) to one answered before — with everything else (model, earlier messages,
/// instructions, tools, options, partition) exactly equal — gets the stored answer.
/// </summary>
/// <remarks>
/// The per-call properties of <see cref="CacheOptions"/> (<see cref="CacheOptions.PartitionProperty"/>,
/// <see cref="CacheOptions.TagsProperty"/>, <see cref="CacheOptions.BypassProperty"/>) and its response marks apply here
/// too, as does its rule on tool calls. The partition is part of the search filter, so one tenant's or user's answer
/// never serves another, however similar the question. Prompts are not stored, only their embedding and the answer.
/// </remarks>
public sealed class SemanticCacheOptions
{
    /// <summary>Gets or sets the store holding the entries; null takes the <see cref="Microsoft.Extensions.VectorData.VectorStore"/> registered in the services.</summary>
    public VectorStore? VectorStore { get; set; }

    /// <summary>Gets or sets the generator embedding the prompts; null takes the one registered in the services.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets the collection name. Default <c>aiallin_semantic_cache</c>.</summary>
    public string CollectionName { get; set; } = "aiallin_semantic_cache";

    /// <summary>
    /// Gets or sets the embedding length; null takes the generator's metadata, or embeds one probe text to find it.
    /// </summary>
    public int? Dimensions { get; set; }

    /// <summary>Gets or sets the least cosine similarity (0 to 1] for a stored answer to be served. Default 0.95.</summary>
    public double SimilarityThreshold { get; set; } = 0.95;

    /// <summary>Gets or sets how long an entry is served. Default one hour.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the age past which an entry is ignored and refreshed, even within its <see cref="Ttl"/>. Default none.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Gets or sets the largest entry stored, in bytes of serialized JSON. Default 1 MiB.</summary>
    public long MaxEntrySize { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets how the partition (tenant or user) of a call is found; null reads <see cref="CacheOptions.PartitionProperty"/>.</summary>
    public Func<ChatOptions?, string?>? PartitionSelector { get; set; }

    /// <summary>Gets the tags every entry gets, for <see cref="SemanticCachePolicy.InvalidateTagAsync"/>.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>Gets or sets a value indicating whether streamed responses are cached and replayed. Default true.</summary>
    public bool CacheStreaming { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether responses containing tool calls are stored. Default false.</summary>
    public bool CacheToolCalls { get; set; }

    /// <summary>Gets or sets the serializer options for stored responses and key values. Default <see cref="AIJsonUtilities.DefaultOptions"/>.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = AIJsonUtilities.DefaultOptions;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    internal void Validate()
    {
        CacheSettings.ValidateCommon(Ttl, MaxAge, MaxEntrySize, JsonSerializerOptions, Tags, "SemanticCacheOptions");
        if (string.IsNullOrWhiteSpace(CollectionName))
        {
            throw new ArgumentException("SemanticCacheOptions.CollectionName must not be empty.", nameof(CollectionName));
        }

        if (double.IsNaN(SimilarityThreshold) || SimilarityThreshold <= 0 || SimilarityThreshold > 1)
        {
            throw new ArgumentException("SemanticCacheOptions.SimilarityThreshold must be in (0, 1].", nameof(SimilarityThreshold));
        }

        if (Dimensions is <= 0)
        {
            throw new ArgumentException("SemanticCacheOptions.Dimensions must be positive when set.", nameof(Dimensions));
        }
    }
}
