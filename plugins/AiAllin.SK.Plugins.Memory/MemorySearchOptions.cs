using System.Linq.Expressions;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>How memories are searched.</summary>
public sealed class MemorySearchOptions
{
    /// <summary>Gets or sets the number of results. Defaults to 5.</summary>
    public int Top { get; set; } = 5;

    /// <summary>
    /// Gets or sets the lowest score returned: cosine similarity in <see cref="MemorySearchMode.Vector"/> mode, the
    /// share of query words matched in <see cref="MemorySearchMode.Keyword"/> mode, the store's fused score in
    /// <see cref="MemorySearchMode.Hybrid"/> mode. Defaults to none.
    /// </summary>
    public double? MinScore { get; set; }

    /// <summary>Gets or sets the ranking. Defaults to <see cref="MemorySearchMode.Vector"/>.</summary>
    public MemorySearchMode Mode { get; set; } = MemorySearchMode.Vector;

    /// <summary>Gets the metadata every result must carry (exact key and value).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the only source results may have; <see langword="null"/> for any.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// Gets or sets an additional store filter over the stored records. It is always combined with the scope's filter
    /// (AND), so it can narrow a search but never reach another scope.
    /// </summary>
    public Expression<Func<MemoryRecord, bool>>? Filter { get; set; }

    /// <summary>Gets or sets whether only trusted memories are returned. Defaults to <see langword="false"/>.</summary>
    public bool TrustedOnly { get; set; }

    /// <summary>Gets or sets whether the reranker (when one is configured) reorders the results. Defaults to <see langword="true"/>.</summary>
    public bool Rerank { get; set; } = true;
}
