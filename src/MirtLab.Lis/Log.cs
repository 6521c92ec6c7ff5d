using Microsoft.Extensions.Logging;

namespace MirtLab.Lis;

/// <summary>Every log message of the LIS writer; event ids 5000-5099 (STYLE.md: stable ranges per area).</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Warning, "LIS {Provider} {Operation} attempt {Attempt} failed transiently; retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string provider, string operation, int attempt, long delayMs, Exception? exception);

    [LoggerMessage(5001, LogLevel.Error, "LIS {Provider} circuit opened for {BreakSeconds} s after repeated transient failures; calls fail at once until then")]
    public static partial void CircuitOpened(ILogger logger, string provider, double breakSeconds, Exception? exception);

    [LoggerMessage(5002, LogLevel.Information, "LIS {Provider} circuit half-open: trying one call")]
    public static partial void CircuitHalfOpen(ILogger logger, string provider);

    [LoggerMessage(5003, LogLevel.Information, "LIS {Provider} circuit closed: the database answers again")]
    public static partial void CircuitClosed(ILogger logger, string provider);

    [LoggerMessage(5004, LogLevel.Debug, "LIS {Provider} wrote run {RunKey} with {Results} result(s) via {Path} in {ElapsedMs} ms")]
    public static partial void BatchWritten(ILogger logger, string provider, string runKey, int results, string path, long elapsedMs);

    [LoggerMessage(5005, LogLevel.Information, "LIS {Provider} schema migrated with the {Account} connection: version(s) {Versions} applied")]
    public static partial void Migrated(ILogger logger, string provider, string account, string versions);

    [LoggerMessage(5006, LogLevel.Debug, "LIS {Provider} found previous results for {Found} of {Keys} patient/analyte key(s) in {ElapsedMs} ms")]
    public static partial void PreviousResultsRead(ILogger logger, string provider, int found, int keys, long elapsedMs);
}
