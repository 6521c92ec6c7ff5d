using System.Data.Common;
using Microsoft.Data.SqlClient;
using MirtLab.Lis.Dialects;
using MirtLab.Testing;

namespace MirtLab.Lis.Tests;

/// <summary>
/// The LIS contract on SQL Server, when <c>MIRTLAB_TEST_SQLSERVER</c> holds a connection string with the right to
/// create databases (there is no SQL Server package for Debian here). Each test gets its own database, dropped after.
/// </summary>
public sealed class SqlServerLisWriterTests : LisWriterContract, IAsyncLifetime
{
    private const string Variable = "MIRTLAB_TEST_SQLSERVER";
    private readonly string? _server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;
    private readonly string _database = $"mirtlab_test_{Guid.NewGuid():N}";
    private string? _connectionString;

    protected override string ConnectionString =>
        _connectionString ?? throw SkipNow();

    protected override string UnreachableConnectionString =>
        new SqlConnectionStringBuilder(ConnectionString) { DataSource = $"tcp:127.0.0.1,{FreePort.Next()}", ConnectTimeout = 3 }.ConnectionString;

    protected override LisDialect CreateDialect() => new SqlServerLisDialect();

    protected override DbConnection OpenConnection()
    {
        var connection = new SqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask InitializeAsync()
    {
        if (_server is null)
        {
            return;
        }

        await using (var master = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString))
        {
            await master.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new SqlCommand($"CREATE DATABASE [{_database}]", master);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        _connectionString = new SqlConnectionStringBuilder(_server) { InitialCatalog = _database }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null || _connectionString is null)
        {
            return;
        }

        SqlConnection.ClearAllPools();
        await using var master = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString);
        await master.OpenAsync();
        await using var drop = new SqlCommand($"ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}]", master);
        await drop.ExecuteNonQueryAsync();
    }

    private static InvalidOperationException SkipNow()
    {
        Assert.Skip($"SQL Server tests skipped: set {Variable} to a connection string");
        return new InvalidOperationException("unreachable");
    }
}
