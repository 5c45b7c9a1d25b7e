namespace AiAllin.SK.Plugins.Memory;

/// <summary>How <see cref="SemanticMemory"/> ranks memories.</summary>
public enum MemorySearchMode
{
    /// <summary>By embedding similarity (cosine).</summary>
    Vector = 0,

    /// <summary>By the share of the query's words a memory contains; works on every store.</summary>
    Keyword = 1,

    /// <summary>Vector and full-text rankings fused by the store (<c>IKeywordHybridSearchable</c>).</summary>
    Hybrid = 2,
}
