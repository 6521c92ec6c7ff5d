using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MirtLab.Core.Runs;
using MirtLab.Lis.Dialects;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MirtLab.Lis;

/// <summary>
/// Writes batches into the LIS interface tables: one transaction per batch (a run and its results),
/// idempotent (a retried batch updates nothing it already wrote), history kept for every revision; and reads the
/// previous results the delta check compares with. Each call runs through a short retry for transient errors, a
/// circuit breaker and a per-attempt timeout.
/// </summary>
public sealed class LisWriter : IDisposable
{
    private static readonly ResiliencePropertyKey<string> OperationKey = new("mirtlab.lis.operation");

    private static readonly ResiliencePropertyKey<int> RowsKey = new("mirtlab.lis.rows");

    private readonly LisDialect _dialect;
    private readonly string _connectionString;
    private readonly string _migrationConnectionString;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private bool _schemaReady;
    private volatile Exception? _lastTransientFailure;

    public LisWriter(LisDialect dialect, string connectionString, TimeProvider time, LisWriterOptions? options = null, ILogger<LisWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        options ??= new LisWriterOptions();
        _dialect = dialect;
        _connectionString = connectionString;
        _migrationConnectionString = string.IsNullOrWhiteSpace(options.MigrationConnectionString) ? connectionString : options.MigrationConnectionString;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _pipeline = BuildPipeline(options);
    }

    public LisDialect Dialect => _dialect;

    /// <summary>True when migrations use their own (schema owner) connection string.</summary>
    public bool MigratesWithSeparateAccount => !string.Equals(_migrationConnectionString, _connectionString, StringComparison.Ordinal);

    /// <summary>
    /// Creates or upgrades the schema with the migration connection string; returns the versions applied. When the
    /// schema is already current it only reads the version table, so the runtime account may call it at every start.
    /// </summary>
    /// <summary>
    /// Brings the schema up to date once per process, before the first write or lookup. The LIS may be down when
    /// MirtLab starts, so this is not done at start but retried with the work that needs it.
    /// </summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await MigrateAsync(cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public void Dispose() => _schemaGate.Dispose();

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) =>
        RunAsync("migrate", async token =>
        {
            await using var connection = await OpenAsync(_migrationConnectionString, token);
            var applied = await Schema.SchemaMigrator.MigrateAsync(connection, _dialect, _time.GetUtcNow(), token);
            if (applied.Count > 0)
            {
                Log.Migrated(_logger, _dialect.Name, MigratesWithSeparateAccount ? "migration" : "runtime", string.Join(", ", applied));
            }

            return applied;
        }, cancellationToken);

    /// <summary>Writes a run and its results in one transaction: all of it is visible afterwards, or none.</summary>
    public Task WriteAsync(LisBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return RunAsync("write", async token =>
        {
            var started = _time.GetTimestamp();
            await using var connection = await OpenAsync(_connectionString, token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            var path = await _dialect.WriteBatchAsync(connection, transaction, batch, token);
            await transaction.CommitAsync(token);
            Log.BatchWritten(_logger, _dialect.Name, batch.Run.RunKey, batch.Results.Count, path, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return path;
        }, cancellationToken, batch.Results.Count);
    }

    /// <summary>
    /// The delta check's references (<see cref="RunContext.PreviousResults"/>): for each (patient id, analyte code),
    /// the latest result in the LIS of that patient and analyte that has a number and was released (status F or C;
    /// a held result is no reference), acquired strictly before <paramref name="beforeUtc"/> when given. Without a
    /// bound the latest is taken, results without an acquisition time last; pass the run's acquisition time so a
    /// re-delivered run is not compared with itself. Keys without such a result are absent from the answer.
    /// </summary>
    /// <remarks>
    /// Read-only and parameterised: one command for all keys on PostgreSQL, one per 1000 keys on SQLite and SQL Server
    /// (their parameter limits), all on one connection.
    /// Failures are not an empty answer: they surface like a write's (transient ones retried, then thrown, the
    /// breaker counting them), so the caller can hold the results it could not check.
    /// </remarks>
    /// <param name="keys">(patient id, analyte code) pairs, compared exactly (case-sensitive); duplicates are asked once.</param>
    /// <param name="beforeUtc">Only results acquired before this instant (millisecond precision), or null for the latest.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>> PreviousResultsAsync(
        IReadOnlyCollection<(string PatientId, string Analyte)> keys,
        DateTimeOffset? beforeUtc,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Any(k => k.PatientId is null || k.Analyte is null))
        {
            throw new ArgumentException("Every key needs a patient id and an analyte code.", nameof(keys));
        }

        var distinct = keys.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>>(
                new Dictionary<(string PatientId, string Analyte), PreviousResult>());
        }

        var before = LisRows.Utc(beforeUtc);
        return RunAsync("previous-results", async token =>
        {
            var started = _time.GetTimestamp();
            await using var connection = await OpenAsync(_connectionString, token);
            var found = await _dialect.ReadPreviousResultsAsync(connection, distinct, before, token);
            Log.PreviousResultsRead(_logger, _dialect.Name, found.Count, distinct.Count, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return found;
        }, cancellationToken);
    }

    /// <summary>Proves the delivery path works: opens a connection and writes the health row.</summary>
    public Task ProbeAsync(string node, CancellationToken cancellationToken = default) =>
        RunAsync("probe", async token =>
        {
            await using var connection = await OpenAsync(_connectionString, token);
            return await connection.ExecuteAsync(new CommandDefinition(
                _dialect.ProbeSql,
                new { Node = node, Now = _time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
                cancellationToken: token));
        }, cancellationToken);

    /// <summary>
    /// Time one attempt may take: <paramref name="perTenThousandRows"/> for every 10,000 rows it writes (at least once), so
    /// a large batch is not cut off on every attempt.
    /// </summary>
    public static TimeSpan AttemptTimeout(TimeSpan perTenThousandRows, int rows) =>
        perTenThousandRows * Math.Max(1, (rows + 9_999) / 10_000);

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken, int rows = 0)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        context.Properties.Set(RowsKey, rows);
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, act) => await Abandonable(act(ctx.CancellationToken), ctx.CancellationToken), context, action);
        }
        catch (BrokenCircuitException ex)
        {
            var last = _lastTransientFailure;
            throw new LisUnavailableException(
                string.Create(CultureInfo.InvariantCulture, $"The LIS database ({_dialect.Name}) failed repeatedly; MirtLab is not calling it for a while.{(last is null ? "" : $" Last error: {last.GetType().Name}: {last.Message}")}"),
                last ?? ex)
            {
                RetryAfter = ex.RetryAfter,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Ends the wait when the attempt is cancelled (its timeout or the caller), even if the driver has not noticed:
    /// Npgsql ignores cancellation while connecting to a hung server and while its cancel request waits on one
    /// (measured 10–20 s). Leaving the attempt behind is safe because writes are idempotent (and lookups only
    /// read); it ends with the driver's own timeouts and disposes its connection.
    /// </summary>
    private static async Task<T> Abandonable<T>(Task<T> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!attempt.IsCompleted)
        {
            _ = attempt.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private ResiliencePipeline BuildPipeline(LisWriterOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (options.MaxAttempts > 1)
        {
            // Retrying a write is safe because writes are idempotent: a commit whose answer was lost is redone as a no-op.
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && e is not BrokenCircuitException && _dialect.IsTransient(e)),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                OnRetry = args =>
                {
                    Log.Retrying(_logger, _dialect.Name, Operation(args.Context), args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            });
        }

        // Only transient failures count: a batch the database rejects says nothing about the database's health.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && _dialect.IsTransient(e)),
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            OnOpened = args =>
            {
                _lastTransientFailure = args.Outcome.Exception;
                Log.CircuitOpened(_logger, _dialect.Name, args.BreakDuration.TotalSeconds, args.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                Log.CircuitHalfOpen(_logger, _dialect.Name);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(_logger, _dialect.Name);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(AttemptTimeout(options.AttemptTimeout, args.Context.Properties.GetValue(RowsKey, 0))),
        });
        return builder.Build();
    }

    private static string Operation(ResilienceContext context) =>
        context.Properties.TryGetValue(OperationKey, out var operation) ? operation : "call";

    private async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = _dialect.CreateConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await _dialect.PrepareAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
