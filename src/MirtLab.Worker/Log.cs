
namespace MirtLab.Worker;

/// <summary>
/// Every log event of the host, source-generated, with event ids in stable ranges per area so operators can
/// filter: 1000 host, 2000 ingest, 3000 read, 3100 rules, 4000 delivery, 5000 LIS, 6100 MQTT delivery (6000-6099: the MQTT client),
/// 7000 web, 8000 audit, 9000 operations and alerts (Operations/Log.Operations.cs).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "MirtLab {Node} starting: config {ConfigFile}, data {DataRoot}, rules {RulesVersion}, {InstrumentCount} instrument(s), destinations {Destinations}")]
    public static partial void Starting(ILogger logger, string node, string configFile, string dataRoot, string rulesVersion, int instrumentCount, string destinations);

    [LoggerMessage(1002, LogLevel.Information, "Instrument {Instrument} watching {Inbox} (culture {Culture}, time zone {TimeZone})")]
    public static partial void Watching(ILogger logger, string instrument, string inbox, string culture, string timeZone);

    [LoggerMessage(2001, LogLevel.Information, "Claimed {Name} from {Instrument} inbox into {WorkPath}")]
    public static partial void Claimed(ILogger logger, string name, string instrument, string workPath);

    [LoggerMessage(2002, LogLevel.Information, "Accepted {Name} ({Sha256}) from {Instrument} as {Format}: run {RunKey} {RunOutcome}, {PatientResults} patient results ({Held} held), archived to {FinalPath}")]
    public static partial void Accepted(ILogger logger, string name, string sha256, string instrument, string format, string runKey, string runOutcome, int patientResults, int held, string finalPath);

    [LoggerMessage(2003, LogLevel.Warning, "Rejected {Name} ({Sha256}) from {Instrument}: {Reason}; quarantined to {FinalPath}")]
    public static partial void Rejected(ILogger logger, string name, string sha256, string instrument, string reason, string finalPath);

    [LoggerMessage(2004, LogLevel.Information, "Duplicate {Name} ({Sha256}) from {Instrument}: same content as input {OriginalId} ({OriginalName}); not published again, archived to {FinalPath}")]
    public static partial void Duplicate(ILogger logger, string name, string sha256, string instrument, long originalId, string originalName, string finalPath);

    [LoggerMessage(2005, LogLevel.Warning, "Recovered {Name} left in work by an interrupted run: recorded as {Outcome}, moved to {FinalPath}")]
    public static partial void Recovered(ILogger logger, string name, string outcome, string finalPath);

    [LoggerMessage(2008, LogLevel.Warning, "Input {OriginalId} ({Name}) had left work for {FinalPath} before an interrupted run could record it; marked finished")]
    public static partial void MoveFinishedBeforeCrash(ILogger logger, string name, long originalId, string finalPath);

    [LoggerMessage(2009, LogLevel.Warning, "Claim into {Instrument} work interrupted by a crash: {Step}")]
    public static partial void ClaimRecovered(ILogger logger, string instrument, string step);

    [LoggerMessage(2006, LogLevel.Error, "Ingest of {Path} failed; it stays where it is and is retried")]
    public static partial void IngestFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(2007, LogLevel.Debug, "{Path} is still open by another program; trying again later")]
    public static partial void Locked(ILogger logger, string path);

    [LoggerMessage(3001, LogLevel.Information, "Read {Name} as {Format}: {Rows} row(s), {Warnings} warning(s), {Errors} error(s)")]
    public static partial void Read(ILogger logger, string name, string format, int rows, int warnings, int errors);

    [LoggerMessage(3002, LogLevel.Warning, "{Severity} {Code} in {Name} at line {Line}, column {Column}: {Message}")]
    public static partial void ReadDiagnostic(ILogger logger, string severity, string code, string name, int? line, int? column, string message);

    [LoggerMessage(3101, LogLevel.Information, "Held {Sample} {Analyte} = {Display} {Unit} (flags {Flags}): {Reasons}")]
    public static partial void ResultHeld(ILogger logger, string sample, string analyte, string display, string? unit, string flags, string reasons);

    [LoggerMessage(3102, LogLevel.Warning, "Critical value {Flag}: {Sample} {Analyte} = {Display} {Unit} ({Reason})")]
    public static partial void CriticalValue(ILogger logger, string flag, string sample, string analyte, string display, string? unit, string reason);

    [LoggerMessage(3103, LogLevel.Information, "Run {RunKey} {Analyte}: {Outcome}; {FailedChecks}")]
    public static partial void AnalyteOutcome(ILogger logger, string runKey, string analyte, string outcome, string failedChecks);

    [LoggerMessage(4001, LogLevel.Information, "Delivered batch {BatchId} ({Results} results of run {RunKey}) to {Destination} in {ElapsedMs} ms")]
    public static partial void Delivered(ILogger logger, long batchId, int results, string runKey, string destination, long elapsedMs);

    [LoggerMessage(4002, LogLevel.Warning, "Delivery of batch {BatchId} to {Destination} failed (attempt {Attempt}), retrying at {NextAttempt:O}: {Error}")]
    public static partial void DeliveryFailed(ILogger logger, long batchId, string destination, long attempt, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(4003, LogLevel.Error, "Batch {BatchId} parked as a dead letter for {Destination} after {Attempts} attempts: {Error}")]
    public static partial void DeadLetter(ILogger logger, long batchId, string destination, long attempts, string error);

    [LoggerMessage(4004, LogLevel.Error, "The {Destination} dispatcher failed; it restarts in {DelaySeconds} s")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception, string destination, double delaySeconds);


    [LoggerMessage(6101, LogLevel.Warning, "MQTT broker {Host}:{Port} unreachable, retrying in {DelaySeconds} s: {Error}")]
    public static partial void MqttUnreachable(ILogger logger, string host, int port, double delaySeconds, string error);

    [LoggerMessage(6102, LogLevel.Information, "MQTT connection {State} ({Host}:{Port}){Error}")]
    public static partial void MqttState(ILogger logger, string state, string host, int port, string? error);

    [LoggerMessage(6103, LogLevel.Warning, "MQTT status message not sent: {Error}")]
    public static partial void MqttStopFailed(ILogger logger, string error);
}
