using MirtLab.Lis.Tests.Support;
using MirtLab.Testing;
using Npgsql;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace MirtLab.Lis.Tests.Support;

/// <summary>
/// One real PostgreSQL server for this test assembly, started on first use (so SQLite-only runs need none);
/// each test gets its own database.
/// </summary>
public sealed class PostgresFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PostgresServer? _server;

    public async Task<PostgresServer> ServerAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _server ??= await PostgresServer.StartNewAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync() => await (await ServerAsync()).CreateDatabaseAsync(cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>A loopback port nothing listens on: connections are refused at once.</summary>
    public static string Unreachable(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Port = FreePort.Next(), Timeout = 3 }.ConnectionString;

    /// <summary>Drops the pooled connections of a test database so the server's connection slots are not used up.</summary>
    public static void Release(string? connectionString)
    {
        if (connectionString is not null)
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
