namespace AiAllin.SK.Plugins.Memory;

/// <summary>Returns the ambient scope set by <see cref="MemoryScope.Begin"/>.</summary>
internal sealed class AmbientMemoryScopeProvider : IMemoryScopeProvider
{
    public static AmbientMemoryScopeProvider Instance { get; } = new();

    public MemoryScope? GetScope() => MemoryScope.Current;
}
