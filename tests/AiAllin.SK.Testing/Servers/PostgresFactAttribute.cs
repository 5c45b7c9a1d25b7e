using Xunit;

namespace AiAllin.SK.Testing.Servers;

/// <summary>A fact that needs PostgreSQL: skipped with the reason when no server is configured, except in CI where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestServers.SkipReason(TestServers.PostgresVariable, requiredInCi: true);
}
