namespace MirtLab.Lis;

/// <summary>
/// How <see cref="LisWriter"/> talks to the LIS database: which account migrates the schema, and the short-term
/// resilience around each call. Long-term retrying is the outbox's job; these retries only bridge a dropped
/// pooled connection, a deadlock or a server restart of a few seconds.
/// </summary>
public sealed class LisWriterOptions
{
    /// <summary>
    /// Connection string of the schema owner, used only to create or upgrade the LIS tables (setting
    /// <c>Lis:MigrationConnectionString</c>). When empty, migrations use the runtime connection string, which then
    /// needs DDL rights; see deploy/sql for the least-privilege split.
    /// </summary>
    /// <value>Default null: migrate with the runtime connection string.</value>
    public string? MigrationConnectionString { get; set; }

    /// <summary>Tries per call, the first included, for transient errors only.</summary>
    /// <value>Default 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; it doubles per retry, with jitter.</summary>
    /// <value>Default 200 ms.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest a single attempt may take (per 10,000 rows it writes) before it is cancelled and counted as a transient failure.</summary>
    /// <value>Default 20 s (the outbox gives a whole delivery 30 s per 10,000 results by default).</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    /// <value>Default 0.5.</value>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within the sampling window before the ratio is judged.</summary>
    /// <value>Default 6 (two whole calls of three attempts).</value>
    public int BreakerMinimumThroughput { get; set; } = 6;

    /// <summary>Window in which failures are counted.</summary>
    /// <value>Default 60 s.</value>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails calls at once before one trial call is let through.</summary>
    /// <value>Default 15 s.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
