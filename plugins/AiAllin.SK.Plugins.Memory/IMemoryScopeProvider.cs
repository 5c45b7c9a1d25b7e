namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Supplies the memory scope of the request being served to the kernel functions, text search and automatic recall.
/// Register your own (for example one reading the signed-in user) to replace the default, which returns
/// <see cref="MemoryScope.Current"/>.
/// </summary>
public interface IMemoryScopeProvider
{
    /// <summary>Gets the current scope, or <see langword="null"/> when none is set (memory operations then fail).</summary>
    /// <returns>The scope.</returns>
    MemoryScope? GetScope();
}
