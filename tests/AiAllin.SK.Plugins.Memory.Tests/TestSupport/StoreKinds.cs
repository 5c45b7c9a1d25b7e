using AiAllin.SK.Testing.Servers;

namespace AiAllin.SK.Plugins.Memory.Tests.TestSupport;

/// <summary>
/// The stores a theory runs on: always in memory; PostgreSQL when <c>AIALLIN_POSTGRES_URL</c> is set and always under
/// <c>CI=true</c> (where a missing server then fails the test instead of leaving it out).
/// </summary>
public static class StoreKinds
{
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { "inmemory" };
            if (TestServers.SkipReason(TestServers.PostgresVariable, requiredInCi: true) is null)
            {
                data.Add("postgres");
            }

            return data;
        }
    }
}
