using Xunit;

namespace AiAllin.SK.Testing.Servers;

/// <summary>The theory form of <see cref="MongoFactAttribute"/>: skipped with the reason when no MongoDB server is configured, in CI too.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MongoTheoryAttribute : TheoryAttribute
{
    public MongoTheoryAttribute() => Skip = TestServers.SkipReason(TestServers.MongoVariable, requiredInCi: false);
}
