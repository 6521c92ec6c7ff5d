using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Lis.Dialects;
using MirtLab.Lis.Tests.Support;
using MirtLab.Testing;
using Npgsql;
using Polly.Timeout;
using static MirtLab.Lis.Tests.Support.TestBatches;

namespace MirtLab.Lis.Tests;

/// <summary>What only PostgreSQL shows: its error classes, exact numerics, the least-privilege roles, a server killed between batches.</summary>
public sealed class PostgresLisTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly TempFolder _folder = new("mirtlab-lis-compare");
    private string _connectionString = "";

    public async ValueTask InitializeAsync() => _connectionString = await postgres.CreateDatabaseAsync();

    public ValueTask DisposeAsync()
    {
        PostgresFixture.Release(_connectionString);
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("08006", true)] // connection failure
    [InlineData("08001", true)] // cannot establish connection
    [InlineData("40001", true)] // serialization failure
    [InlineData("40P01", true)] // deadlock detected
    [InlineData("53100", true)] // disk full
    [InlineData("53200", true)] // out of memory
    [InlineData("53300", true)] // too many connections
    [InlineData("57P01", true)] // admin shutdown
    [InlineData("57P02", true)] // crash shutdown
    [InlineData("57P03", true)] // cannot connect now (starting up)
    [InlineData("57P04", false)] // database dropped
    [InlineData("23505", false)] // unique violation
    [InlineData("23503", false)] // foreign key violation
    [InlineData("23514", false)] // check violation
    [InlineData("23502", false)] // not null violation
    [InlineData("42P01", false)] // undefined table
    [InlineData("42703", false)] // undefined column
    [InlineData("42501", false)] // insufficient privilege
    [InlineData("22003", false)] // numeric value out of range
    public void SqlState_IsTransientOnlyForConnectionResourceAndConcurrencyClasses(string sqlState, bool transient)
    {
        Assert.Equal(transient, PostgreSqlLisDialect.IsTransientSqlState(sqlState));
        Assert.Equal(transient, new PostgreSqlLisDialect().IsTransient(new PostgresException("test", "ERROR", "ERROR", sqlState)));
    }

    [Fact]
    public async Task RealErrors_AreClassified_ConstraintAndSchemaPermanent_RefusedTerminatedAndDeadlockTransient()
    {
        var dialect = new PostgreSqlLisDialect();
        var writer = new LisWriter(dialect, _connectionString, TimeProvider.System);
        await writer.MigrateAsync();
        await writer.WriteAsync(Batch(revision: 1));
        await using var connection = await OpenAsync();

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO mirtlab_result_history SELECT * FROM mirtlab_result_history LIMIT 1"));
        Assert.Equal("23505", duplicate.SqlState);
        Assert.False(dialect.IsTransient(duplicate));

        var undefined = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("SELECT * FROM mirtlab_no_such_table"));
        Assert.False(dialect.IsTransient(undefined));

        await using (var refused = new NpgsqlConnection(PostgresFixture.Unreachable(_connectionString)))
        {
            Assert.True(dialect.IsTransient(await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync(TestContext.Current.CancellationToken))));
        }

        await using (var victim = await OpenAsync())
        {
            var pid = await victim.ExecuteScalarAsync<int>("SELECT pg_backend_pid()");
            await connection.ExecuteAsync("SELECT pg_terminate_backend(@pid)", new { pid });
            var terminated = await Assert.ThrowsAnyAsync<Exception>(() => victim.ExecuteAsync("SELECT 1"));
            Assert.True(dialect.IsTransient(terminated), terminated.ToString());
        }

        var deadlock = await DeadlockAsync();
        Assert.Equal("40P01", deadlock.SqlState);
        Assert.True(dialect.IsTransient(deadlock));
    }

    [Fact]
    public async Task AttemptTimeout_CancelsAWriteBlockedByALock_CountsAsTransient_AndTheWriteLaterSucceeds()
    {
        var dialect = new PostgreSqlLisDialect();
        var writer = new LisWriter(dialect, _connectionString, TimeProvider.System, new LisWriterOptions
        {
            MaxAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            AttemptTimeout = TimeSpan.FromMilliseconds(500),
        });
        await writer.MigrateAsync();

        await using (var blocker = await OpenAsync())
        await using (var transaction = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await blocker.ExecuteAsync("LOCK TABLE mirtlab_runs IN ACCESS EXCLUSIVE MODE", transaction: transaction);
            var error = await Assert.ThrowsAsync<TimeoutRejectedException>(() => writer.WriteAsync(Batch(revision: 1)));
            Assert.True(dialect.IsTransient(error));
        }

        await writer.WriteAsync(Batch(revision: 1));
        await using var connection = await OpenAsync();
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results"));
    }

    [Fact]
    public async Task Values_AreExact_NumericKeepsEveryDigit()
    {
        var writer = new LisWriter(new PostgreSqlLisDialect(), _connectionString, TimeProvider.System);
        await writer.MigrateAsync();
        var batch = Batch(revision: 1);
        decimal[] values = [0.1234567890123456789m, 12345678901234.5678m, 0.0000001m];
        var rows = batch.Results.Select((r, i) => r with { Value = values[i], LimitValue = values[i] }).ToList();
        await writer.WriteAsync(batch with { Results = rows });
        var large = LargeBatch(150, revision: 1);
        await writer.WriteAsync(large with { Results = [.. large.Results.Select((r, i) => r with { Value = values[i % 3] + i })] });

        await using var connection = await OpenAsync();
        foreach (var row in rows)
        {
            Assert.Equal(row.Value, await connection.ExecuteScalarAsync<decimal>("SELECT value FROM mirtlab_results WHERE result_key = @ResultKey", new { row.ResultKey }));
        }

        Assert.Equal(values[1] + 1, await connection.ExecuteScalarAsync<decimal>(
            "SELECT value FROM mirtlab_results WHERE run_key = 'fedcba9876543210fedc' AND source_line = 11"));
    }

    [Fact]
    public async Task DosesAndPreviousResults_AreExact_OnThePipelinedAndTheCopyPath()
    {
        var copy = await postgres.CreateDatabaseAsync();
        try
        {
            decimal[] values = [0.1234567890123456789m, 12345678901234.5678m, 0.0000001m];
            var at = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
            var results = values.Select((v, i) => PatientResult($"k{i}", $"PAT-K{i}", "mirtazapine", v, at, dose: v)).ToArray();
            foreach (var (dialect, connectionString) in new[] { (new PostgreSqlLisDialect(), _connectionString), (new PostgreSqlLisDialect(bulkCopyThreshold: 1), copy) })
            {
                var writer = new LisWriter(dialect, connectionString, TimeProvider.System);
                await writer.MigrateAsync();
                await writer.WriteAsync(RunOf(results));

                var found = await writer.PreviousResultsAsync([.. values.Select((_, i) => ($"PAT-K{i}", "mirtazapine"))], at.AddDays(1));
                Assert.Equal(values, values.Select((_, i) => found[($"PAT-K{i}", "mirtazapine")].Value));
                await using var connection = new NpgsqlConnection(connectionString);
                Assert.Equal(values, await connection.QueryAsync<decimal>("SELECT dose_mg_per_day FROM mirtlab_results ORDER BY result_key"));
            }
        }
        finally
        {
            PostgresFixture.Release(copy);
        }
    }

    [Fact]
    public async Task Migration_BehindALongLisRead_GivesUpAsTransient_InsteadOfQueueingTheLisReaders_ThenApplies()
    {
        await new LisWriter(new OlderSchemaDialect(new PostgreSqlLisDialect(), 1), _connectionString, TimeProvider.System).MigrateAsync();
        var writer = new LisWriter(new PostgreSqlLisDialect(), _connectionString, TimeProvider.System, new LisWriterOptions { MaxAttempts = 1 });

        await using (var lis = await OpenAsync())
        await using (var read = await lis.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await lis.ExecuteAsync("SELECT COUNT(*) FROM mirtlab_results", transaction: read);
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<PostgresException>(() => writer.MigrateAsync());
            Assert.Equal("55P03", error.SqlState);
            Assert.True(writer.Dialect.IsTransient(error));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"lock_timeout is 5 s; waited {stopwatch.Elapsed}");
        }

        Assert.Equal([2, 3], await writer.MigrateAsync());
    }

    [Fact]
    public async Task SqliteAndPostgres_FillTheLisTablesTheSame_OnThePipelinedAndTheCopyPath()
    {
        var sqlite = $"Data Source={_folder.Combine("lis.db")}";
        var copy = await postgres.CreateDatabaseAsync();
        var pipelined = await postgres.CreateDatabaseAsync();
        try
        {
            LisWriter[] writers =
            [
                new(new SqliteLisDialect(), sqlite, TimeProvider.System),
                new(new PostgreSqlLisDialect(), _connectionString, TimeProvider.System),
                new(new PostgreSqlLisDialect(bulkCopyThreshold: 1), copy, TimeProvider.System),
                new(new PostgreSqlLisDialect(bulkCopyThreshold: int.MaxValue), pipelined, TimeProvider.System),
            ];
            foreach (var writer in writers)
            {
                await writer.MigrateAsync();
                await writer.WriteAsync(Batch(revision: 1));
                await writer.WriteAsync(LargeBatch(300, revision: 1));
                await writer.WriteAsync(Batch(revision: 2, status: "final"));
                await writer.WriteAsync(Batch(revision: 1));
                await writer.WriteAsync(LargeBatch(300, revision: 2, status: "corrected"));
                await writer.WriteAsync(LargeBatch(300, revision: 1));
            }

            (string Table, int Rows)[] tables =
            [
                ("mirtlab_runs ORDER BY run_key", 2),
                ("mirtlab_results ORDER BY result_key", 303),
                ("mirtlab_result_history ORDER BY result_key, revision", 606),
            ];
            foreach (var (table, count) in tables)
            {
                var expected = await RowsAsync(new SqliteConnection(sqlite), table);
                Assert.Equal(count, expected.Count);
                foreach (var connectionString in new[] { _connectionString, copy, pipelined })
                {
                    var actual = await RowsAsync(new NpgsqlConnection(connectionString), table);
                    Assert.Equal(expected, actual);
                }
            }
        }
        finally
        {
            PostgresFixture.Release(copy);
            PostgresFixture.Release(pipelined);
        }
    }

    [Fact]
    public async Task RuntimeRoleFromGrantsSql_DeliversBatches_ButCannotDeleteTruncateAlterDropOrCreate()
    {
        var server = await postgres.ServerAsync();
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database!;
        await server.RunSqlFileAsync(database, Path.Combine(RepoPaths.Root, "deploy", "sql", "postgresql", "grants.sql"), TestContext.Current.CancellationToken);
        await server.RunSqlFileAsync(database, Path.Combine(RepoPaths.Root, "deploy", "sql", "postgresql", "grants.sql"), TestContext.Current.CancellationToken);
        var owner = server.ConnectionString(database, "mirtlab_owner");
        var service = server.ConnectionString(database, "mirtlab_service");
        var dialect = new PostgreSqlLisDialect();
        try
        {
            var runtimeOnly = new LisWriter(dialect, service, TimeProvider.System);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => runtimeOnly.MigrateAsync());
            Assert.Equal("42501", denied.SqlState);
            Assert.False(dialect.IsTransient(denied));

            var writer = new LisWriter(dialect, service, TimeProvider.System, new LisWriterOptions { MigrationConnectionString = owner });
            Assert.Equal([1, 2, 3], await writer.MigrateAsync());
            Assert.Empty(await runtimeOnly.MigrateAsync());
            await writer.WriteAsync(Batch(revision: 1));
            await writer.WriteAsync(Batch(revision: 2, status: "final"));
            await writer.WriteAsync(LargeBatch(500, revision: 1));
            await writer.ProbeAsync("node-a");
            var previous = await runtimeOnly.PreviousResultsAsync([("P-240124", "mirtazapine"), ("PAT000001", "mirtazapine")], null);
            Assert.Equal(171m, previous[("P-240124", "mirtazapine")].Value);
            Assert.Single(previous);

            await using var connection = new NpgsqlConnection(service);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal("mirtlab", await connection.ExecuteScalarAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'mirtlab_results'"));
            string[] forbidden =
            [
                "DELETE FROM mirtlab_results",
                "DELETE FROM mirtlab_result_history",
                "TRUNCATE mirtlab_results",
                "ALTER TABLE mirtlab_results ADD COLUMN extra integer",
                "DROP TABLE mirtlab_result_history",
                "CREATE TABLE mirtlab_other (id integer)",
                "CREATE TABLE public.mirtlab_other (id integer)",
                "CREATE INDEX ix_mirtlab_other ON mirtlab_results (loinc)",
                "DROP INDEX ix_mirtlab_results_patient",
            ];
            foreach (var sql in forbidden)
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));
                Assert.True(refused.SqlState == "42501", $"{sql}: {refused.SqlState} {refused.MessageText}");
            }

            Assert.Equal(503L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results"));
            Assert.Equal(506L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_result_history"));
        }
        finally
        {
            PostgresFixture.Release(owner);
            PostgresFixture.Release(service);
        }
    }

    [Fact]
    public async Task ServerKilledBetweenBatches_CommittedBatchSurvives_AndTheShortRetryBridgesTheDeadPooledConnection()
    {
        await using var server = await PostgresServer.StartNewAsync(TestContext.Current.CancellationToken);
        var connectionString = await server.CreateDatabaseAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            var log = new ListLogger<LisWriter>();
            var writer = new LisWriter(new PostgreSqlLisDialect(), connectionString, TimeProvider.System, new LisWriterOptions { MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(100) }, log);
            await writer.MigrateAsync();
            await writer.WriteAsync(Batch(revision: 1));
            Assert.DoesNotContain(5000, log.EventIds);

            await server.KillAsync(TestContext.Current.CancellationToken);
            Assert.False(server.IsRunning);
            await server.StartAsync(TestContext.Current.CancellationToken);
            await writer.WriteAsync(Batch(revision: 2, status: "final"));
            Assert.Contains(5000, log.EventIds);

            await server.StopAsync(TestContext.Current.CancellationToken);
            await server.StartAsync(TestContext.Current.CancellationToken);
            await writer.WriteAsync(LargeBatch(200, revision: 1));

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results WHERE revision = 2 AND status = 'F'"));
            Assert.Equal(6L + 200L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_result_history"));
        }
        finally
        {
            PostgresFixture.Release(connectionString);
        }
    }

    [Fact]
    public async Task HungServer_EachAttemptTimesOut_AsTransient_AndDeliveryResumesWhenItAnswersAgain()
    {
        await using var server = await PostgresServer.StartNewAsync(TestContext.Current.CancellationToken);
        var connectionString = await server.CreateDatabaseAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            var dialect = new PostgreSqlLisDialect();
            var writer = new LisWriter(dialect, connectionString, TimeProvider.System, new LisWriterOptions
            {
                MaxAttempts = 2,
                RetryDelay = TimeSpan.FromMilliseconds(10),
                AttemptTimeout = TimeSpan.FromMilliseconds(500),
            });
            await writer.MigrateAsync();
            await writer.WriteAsync(Batch(revision: 1));

            server.Pause();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<TimeoutRejectedException>(() => writer.WriteAsync(Batch(revision: 2, status: "final")));
            Assert.True(dialect.IsTransient(error));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"two attempts of 0.5 s took {stopwatch.Elapsed}");
            server.Resume();

            await writer.WriteAsync(Batch(revision: 2, status: "final"));
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_results WHERE revision = 2"));
            Assert.Equal(6L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mirtlab_result_history"));
        }
        finally
        {
            server.Resume();
            PostgresFixture.Release(connectionString);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Two transactions that each hold a row the other wants: PostgreSQL aborts one with 40P01.</summary>
    private async Task<PostgresException> DeadlockAsync()
    {
        await using var a = await OpenAsync();
        await using var b = await OpenAsync();
        await using var ta = await a.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var tb = await b.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await a.ExecuteAsync("UPDATE mirtlab_results SET flags = flags WHERE result_key LIKE 'aa%'", transaction: ta);
        await b.ExecuteAsync("UPDATE mirtlab_results SET flags = flags WHERE result_key LIKE 'bb%'", transaction: tb);
        var first = Task.Run(() => a.ExecuteAsync("UPDATE mirtlab_results SET flags = flags WHERE result_key LIKE 'bb%'", transaction: ta));
        var second = Task.Run(() => b.ExecuteAsync("UPDATE mirtlab_results SET flags = flags WHERE result_key LIKE 'aa%'", transaction: tb));
        // PostgreSQL aborts one of them (after deadlock_timeout); the other then goes through.
        var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));
        var error = Assert.Single(outcomes.OfType<PostgresException>());
        await ta.RollbackAsync(TestContext.Current.CancellationToken);
        await tb.RollbackAsync(TestContext.Current.CancellationToken);
        return error;
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (PostgresException ex)
        {
            return ex;
        }
    }

    /// <summary>Every row as text, with engine differences normalised: numbers by value, instants as ISO 8601 UTC.</summary>
    private static async Task<List<string>> RowsAsync(DbConnection connection, string tableAndOrder)
    {
        await using (connection)
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {tableAndOrder}";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var rows = new List<string>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={Normalise(reader.GetValue(i))}")));
            }

            return rows;
        }
    }

    private static string Normalise(object value) => value switch
    {
        DBNull => "NULL",
        double d => ((decimal)d).ToString("G29", CultureInfo.InvariantCulture),
        decimal m => m.ToString("G29", CultureInfo.InvariantCulture),
        int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
