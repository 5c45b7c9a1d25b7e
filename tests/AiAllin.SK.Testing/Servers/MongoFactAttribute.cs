using Xunit;

namespace AiAllin.SK.Testing.Servers;

/// <summary>
/// A fact that needs MongoDB: skipped with the reason when <c>AIALLIN_MONGODB_URL</c> is not set, in CI too, since no
/// MongoDB server can be installed on the project's machines (unlike PostgreSQL and Redis, which CI must provide).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MongoFactAttribute : FactAttribute
{
    public MongoFactAttribute() => Skip = TestServers.SkipReason(TestServers.MongoVariable, requiredInCi: false);
}
