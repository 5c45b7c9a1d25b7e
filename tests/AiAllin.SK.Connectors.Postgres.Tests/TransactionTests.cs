using AiAllin.SK.Testing.Servers;

namespace AiAllin.SK.Connectors.Postgres.Tests;

public sealed class TransactionTests
{
    [PostgresFact]
    public async Task UpsertAndDelete_InCallerTransaction_AreVisibleOnlyAfterCommit()
    {
        await using var fixture = await PostgresFixture.CreateAsync("tx");
        var articles = await fixture.ArticlesAsync();
        await articles.UpsertAsync(Articles.Make(1, "to delete", [1, 0, 0, 0]));
        await fixture.Server.ExecuteAsync($"CREATE TABLE \"{fixture.Schema}\".audit (note text)");

        await using (var connection = await fixture.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await articles.UpsertAsync([Articles.Make(2, "joined", [0, 1, 0, 0])], transaction);
            await articles.DeleteAsync([1L], transaction);
            await using (var audit = new Npgsql.NpgsqlCommand($"INSERT INTO \"{fixture.Schema}\".audit VALUES ('wrote 2')", connection, transaction))
            {
                await audit.ExecuteNonQueryAsync();
            }

            Assert.Null(await articles.GetAsync(2));
            Assert.NotNull(await articles.GetAsync(1));
            await transaction.CommitAsync();
        }

        Assert.Equal("joined", (await articles.GetAsync(2))?.Title);
        Assert.Null(await articles.GetAsync(1));
        Assert.Equal(1L, await fixture.Server.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".audit"));
    }

    [PostgresFact]
    public async Task UpsertAndDelete_InCallerTransaction_VanishOnRollback()
    {
        await using var fixture = await PostgresFixture.CreateAsync("tx");
        var articles = await fixture.ArticlesAsync();
        await articles.UpsertAsync(Articles.Make(1, "kept", [1, 0, 0, 0]));

        await using (var connection = await fixture.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await articles.UpsertAsync([Articles.Make(2, "rolled back", [0, 1, 0, 0]), Articles.Make(1, "changed", [0, 0, 1, 0])], transaction);
            await articles.DeleteAsync([1L], transaction);
            await transaction.RollbackAsync();
        }

        Assert.Null(await articles.GetAsync(2));
        Assert.Equal("kept", (await articles.GetAsync(1))?.Title);
        Assert.Equal(1, await fixture.CountAsync("articles"));
    }

    [PostgresFact]
    public async Task UpsertInCallerTransaction_WithBadRecord_ThrowsBeforeTouchingTheTransaction()
    {
        await using var fixture = await PostgresFixture.CreateAsync("tx");
        var articles = await fixture.ArticlesAsync();

        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await articles.UpsertAsync([Articles.Make(1, "good", [1, 0, 0, 0])], transaction);
        await Assert.ThrowsAsync<ArgumentException>(() => articles.UpsertAsync([Articles.Make(2, "bad", [1, 0, 0])], transaction));
        await transaction.CommitAsync();

        Assert.Equal("good", (await articles.GetAsync(1))?.Title);
        Assert.Null(await articles.GetAsync(2));
    }
}
