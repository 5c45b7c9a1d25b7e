using AiAllin.SK.Testing.Servers;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class PostgresServerTests
{
    [PostgresFact]
    public async Task TestServer_HasPgvector_AndGivesEachTestItsOwnSchema()
    {
        await using var first = await PostgresServer.CreateAsync("probe");
        await using var second = await PostgresServer.CreateAsync("probe");

        Assert.NotEqual(first.Schema, second.Schema);
        Assert.NotNull(await first.ScalarAsync<string>("SELECT extversion FROM pg_extension WHERE extname = 'vector'"));
        Assert.Equal(1L, await first.ScalarAsync<long>($"SELECT count(*) FROM pg_namespace WHERE nspname = '{first.Schema}'"));
    }
}
