using System.Data.Common;
using MirtLab.Lis.Dialects;
using MirtLab.Lis.Tests.Support;
using Npgsql;

namespace MirtLab.Lis.Tests;

/// <summary>The LIS contract on a real PostgreSQL server: small batches pipelined, large ones through COPY.</summary>
public class PostgresLisWriterTests(PostgresFixture postgres) : LisWriterContract, IAsyncLifetime
{
    private string? _connectionString;

    protected PostgresFixture Postgres => postgres;

    protected override string ConnectionString => _connectionString ?? throw new InvalidOperationException("The test database is not created yet.");

    protected override string UnreachableConnectionString => PostgresFixture.Unreachable(ConnectionString);

    protected override LisDialect CreateDialect() => new PostgreSqlLisDialect();

    protected override DbConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask InitializeAsync() => _connectionString = await postgres.CreateDatabaseAsync();

    public ValueTask DisposeAsync()
    {
        PostgresFixture.Release(_connectionString);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The same contract with every batch, even one of three results, through COPY and the set-based upsert.</summary>
public sealed class PostgresCopyPathLisWriterTests(PostgresFixture postgres) : PostgresLisWriterTests(postgres)
{
    protected override LisDialect CreateDialect() => new PostgreSqlLisDialect(bulkCopyThreshold: 1);
}
