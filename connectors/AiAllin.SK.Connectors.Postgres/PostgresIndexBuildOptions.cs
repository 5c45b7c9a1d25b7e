using System.Text.RegularExpressions;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>How <see cref="PostgresCollection{TKey, TRecord}.BuildIndexesAsync"/> builds a collection's declared indexes.</summary>
public sealed partial record PostgresIndexBuildOptions
{
    /// <summary>
    /// Gets a value indicating whether indexes are built with <c>CREATE INDEX CONCURRENTLY</c>: writers are not blocked
    /// while the index builds, at the cost of a slower build. An interrupted concurrent build leaves an invalid index,
    /// which the next build drops and builds again.
    /// </summary>
    public bool Concurrently { get; init; }

    /// <summary>Gets a value indicating whether indexes that already exist are dropped and built again (for example after a bulk load, or with new HNSW or IVFFlat settings).</summary>
    public bool Rebuild { get; init; }

    /// <summary>
    /// Gets the <c>maintenance_work_mem</c> for the build, for example <c>2GB</c> (an HNSW build is much faster when the
    /// graph fits); <see langword="null"/> keeps the server's setting. Applies to this build only.
    /// </summary>
    public string? MaintenanceWorkMem { get; init; }

    /// <summary>Gets the <c>max_parallel_maintenance_workers</c> for the build; <see langword="null"/> keeps the server's setting.</summary>
    public int? ParallelWorkers { get; init; }

    /// <summary>Gets how often progress is read from <c>pg_stat_progress_create_index</c> while an index builds. Defaults to 1 second.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets a value indicating whether only vector indexes are built (data and full-text indexes are left as they are).</summary>
    public bool VectorIndexesOnly { get; init; }

    internal void Validate()
    {
        if (MaintenanceWorkMem is { } memory && !MemoryPattern().IsMatch(memory))
        {
            throw new ArgumentException($"MaintenanceWorkMem '{memory}' is not a PostgreSQL memory size such as 512MB or 2GB (units kB, MB, GB, TB).", nameof(MaintenanceWorkMem));
        }

        if (ParallelWorkers is < 0 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(ParallelWorkers), ParallelWorkers, "ParallelWorkers must be between 0 and 1024.");
        }

        if (ProgressInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "ProgressInterval must be positive.");
        }
    }

    [GeneratedRegex("^[0-9]{1,9}(kB|MB|GB|TB)$", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryPattern();
}
