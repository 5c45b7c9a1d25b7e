namespace AiAllin.SK.Testing.Servers;

/// <summary>
/// Where the integration tests find their servers: <c>AIALLIN_POSTGRES_URL</c>, <c>AIALLIN_REDIS_URL</c> and
/// <c>AIALLIN_MONGODB_URL</c> (<c>eval "$(bash eng/services-start.sh)"</c> sets the first two).
/// Outside CI a missing server skips its tests with the reason; under <c>CI=true</c> PostgreSQL and Redis are
/// required and their tests fail instead, so a broken CI setup cannot pass by skipping. MongoDB is not: no server of it
/// can be installed on the project's machines, so its tests skip with the reason under CI too (<see cref="MongoFactAttribute"/>).
/// </summary>
public static class TestServers
{
    public const string PostgresVariable = "AIALLIN_POSTGRES_URL";
    public const string RedisVariable = "AIALLIN_REDIS_URL";
    public const string MongoVariable = "AIALLIN_MONGODB_URL";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? PostgresUrl => Read(PostgresVariable);

    public static string? RedisUrl => Read(RedisVariable);

    public static string? MongoUrl => Read(MongoVariable);

    /// <summary>The reason a test needing <paramref name="variable"/> is skipped, or null when it runs (or must run, in CI).</summary>
    public static string? SkipReason(string variable, bool requiredInCi)
    {
        if (Read(variable) is not null || (requiredInCi && IsCi))
        {
            return null;
        }

        return variable == MongoVariable
            ? $"{variable} is not set: no MongoDB server is available (none can be installed on the project's machines, so CI skips these too); " +
                "point it at a replica set, e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0, to run them."
            : $"{variable} is not set; run eval \"$(bash eng/services-start.sh)\" (PostgreSQL/Redis) or point it at a server.";
    }

    /// <summary>The value of <paramref name="variable"/>; throws with a clear message when it is missing (the CI case).</summary>
    public static string Require(string variable) =>
        Read(variable) ?? throw new InvalidOperationException(
            $"{variable} is not set. CI must start the server (eng/services-start.sh) and export it before running the tests.");

    private static string? Read(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
