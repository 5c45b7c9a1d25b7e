namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// One validated vector of a record, ready to be copied into its column: <see cref="Floats"/> still points at the
/// caller's memory (it is copied by the write that follows in the same call, under the lock, so the store never keeps
/// it); <see cref="Bits"/> is already the store's own packed copy, and <see cref="Aux"/> its bit count (a float row's
/// norm is taken from the stored copy).
/// </summary>
internal readonly record struct PreparedVector(ReadOnlyMemory<float> Floats, ulong[]? Bits, float Aux, bool IsPresent);
