using Xunit;

namespace AiAllin.SK.Testing.Servers;

/// <summary>A theory that needs PostgreSQL: skipped with the reason when no server is configured, except in CI where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = TestServers.SkipReason(TestServers.PostgresVariable, requiredInCi: true);
}
