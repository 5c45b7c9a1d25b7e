namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Progress of one index build, read from PostgreSQL's <c>pg_stat_progress_create_index</c> while it runs, and a last
/// report with <see cref="Phase"/> <c>done</c> when it has finished.
/// </summary>
/// <param name="IndexName">The index being built.</param>
/// <param name="Phase">PostgreSQL's phase, for example <c>building index: loading tuples</c>, or <c>done</c>.</param>
/// <param name="BlocksDone">Table blocks processed in this phase.</param>
/// <param name="BlocksTotal">Table blocks to process in this phase (0 when the phase does not count blocks).</param>
/// <param name="TuplesDone">Tuples processed in this phase.</param>
/// <param name="TuplesTotal">Tuples to process in this phase (0 when the phase does not count tuples).</param>
public sealed record PostgresIndexBuildProgress(string IndexName, string Phase, long BlocksDone, long BlocksTotal, long TuplesDone, long TuplesTotal);
