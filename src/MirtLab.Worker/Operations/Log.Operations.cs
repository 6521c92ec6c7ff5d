namespace MirtLab.Worker;

/// <summary>Log events of operations (9000–9099): alerts, service managers (systemd, Windows), telemetry, readiness.</summary>
internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Warning, "ALERT {Kind} {Subject} set (since {SinceUtc:O}): {Message}")]
    public static partial void AlertRaised(ILogger logger, string kind, string subject, DateTimeOffset sinceUtc, string message);

    [LoggerMessage(9002, LogLevel.Information, "Alert {Kind} {Subject} cleared after {Duration}")]
    public static partial void AlertCleared(ILogger logger, string kind, string subject, string duration);

    [LoggerMessage(9003, LogLevel.Warning, "Alert {Kind} {Subject} not published to MQTT yet (retried): {Error}")]
    public static partial void AlertPublishFailed(ILogger logger, string kind, string subject, string error);

    [LoggerMessage(9004, LogLevel.Error, "Evaluating alerts failed; trying again in {DelaySeconds} s")]
    public static partial void MonitorFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(9010, LogLevel.Information, "Service manager {Manager}: {State}")]
    public static partial void ServiceManagerState(ILogger logger, string manager, string state);

    [LoggerMessage(9011, LogLevel.Warning, "Service manager {Manager}: notification '{Message}' failed: {Error}")]
    public static partial void ServiceManagerNotifyFailed(ILogger logger, string manager, string message, string error);

    [LoggerMessage(9012, LogLevel.Error, "Background service {Service} failed; MirtLab stops with exit code {ExitCode} so that the service manager restarts it")]
    public static partial void BackgroundServiceFailed(ILogger logger, Exception? exception, string service, int exitCode);

    [LoggerMessage(9020, LogLevel.Information, "Exporting metrics over OTLP ({Protocol}) to {Endpoint} every {IntervalSeconds} s")]
    public static partial void OtlpExporting(ILogger logger, string protocol, string endpoint, double intervalSeconds);

    [LoggerMessage(9030, LogLevel.Warning, "Readiness check {Check} failed after {ElapsedMs} ms: {Error}")]
    public static partial void ReadinessFailed(ILogger logger, string check, long elapsedMs, string error);
}
