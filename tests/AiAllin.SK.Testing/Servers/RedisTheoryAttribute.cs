using Xunit;

namespace AiAllin.SK.Testing.Servers;

/// <summary>A theory that needs Redis: skipped with the reason when no server is configured, except in CI where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute() => Skip = TestServers.SkipReason(TestServers.RedisVariable, requiredInCi: true);
}
