using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Worker.Processing;

namespace MirtLab.Worker.Operations;

/// <summary>
/// What the ingest tells operators besides its own events: logging scopes that put the instrument, the file, its
/// SHA-256 and (per result) the sample and analyte on every event logged inside them; read (3000) and rules (3100)
/// events; the file and result metrics; and an immediate alert evaluation after a quarantine.
/// </summary>
public sealed class IngestTelemetry
{
    /// <summary>At most this many diagnostics of one input are logged one by one (the quarantine report has them all).</summary>
    private const int MaxLoggedDiagnostics = 20;

    private readonly MirtLabMetrics _metrics;
    private readonly ILogger _logger;
    private readonly OperationsMonitor? _monitor;

    public IngestTelemetry(MirtLabMetrics metrics, ILogger<IngestTelemetry> logger, OperationsMonitor? monitor = null)
    {
        _metrics = metrics;
        _logger = logger;
        _monitor = monitor;
    }

    /// <summary>A scope naming the instrument and the file for everything logged while it is handled.</summary>
    public IDisposable? BeginFile(string instrument, string name) =>
        LogScope.Begin(_logger, ("Instrument", instrument), ("File", name));

    /// <summary>A scope adding the content hash once it is known.</summary>
    public IDisposable? BeginContent(string sha256) =>
        LogScope.Begin(_logger, ("Sha256", sha256));

    public void Received(string instrument) => _metrics.FileReceived(instrument);

    public void Duplicate(string instrument) => _metrics.FileDuplicate(instrument);

    /// <summary>The reader's verdict: a summary (3001) and each warning or error with its code and place (3002).</summary>
    public void Read(string name, ProcessedInput processed)
    {
        ArgumentNullException.ThrowIfNull(processed);
        var diagnostics = processed.Diagnostics;
        Log.Read(_logger, name, processed.FormatId ?? "(not recognised)", processed.Run?.Results.Count ?? 0,
            diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning), diagnostics.Count(d => d.IsError));
        foreach (var d in diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info).Take(MaxLoggedDiagnostics))
        {
            Log.ReadDiagnostic(_logger, d.Severity.ToString().ToLowerInvariant(), d.Code, d.File is null ? name : $"{name}/{d.File}", d.Line, d.Column, d.Message);
        }
    }

    public void Rejected(string instrument, ProcessedInput processed)
    {
        ArgumentNullException.ThrowIfNull(processed);
        _metrics.FileRejected(instrument, processed.Diagnostics.Where(d => d.IsError).Select(d => d.Code), processed.FormatId);
        _monitor?.Wake();
    }

    /// <summary>An accepted run: analytes not accepted (3103), held results (3101) and critical values (3102), each in a sample and analyte scope.</summary>
    public void Accepted(string instrument, EvaluatedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var patients = run.PatientResults.ToList();
        _metrics.FileAccepted(instrument, patients);
        foreach (var analyte in run.Analytes.Where(a => a.Outcome != RunOutcome.Accepted))
        {
            var failed = string.Join("; ", analyte.Problems.Select(c => $"{c.Outcome.ToString().ToLowerInvariant()} {c.Id}: {c.Message}"));
            Log.AnalyteOutcome(_logger, run.Identity.RunKey, analyte.AnalyteCode, RunDocument.OutcomeCode(analyte.Outcome), failed.Length == 0 ? "no failing check" : failed);
        }

        foreach (var result in patients)
        {
            var critical = result.Flags.Where(f => f.Code is Hl7Flags.CriticalLow or Hl7Flags.CriticalHigh).ToList();
            if (result.Status == ResultStatus.Final && critical.Count == 0)
            {
                continue;
            }

            var analyte = result.Analyte?.Code ?? result.Raw.RawAnalyte;
            using var scope = LogScope.Begin(_logger, ("Sample", result.Raw.SampleName), ("Analyte", analyte), ("ResultKey", result.ResultKey));
            foreach (var flag in critical)
            {
                Log.CriticalValue(_logger, flag.Code, result.Raw.SampleName, analyte, result.Display, result.Unit?.Code, flag.Reason);
            }

            if (result.Status != ResultStatus.Final)
            {
                Log.ResultHeld(_logger, result.Raw.SampleName, analyte, result.Display, result.Unit?.Code,
                    result.Flags.Count == 0 ? "none" : string.Join("~", result.Flags.Select(f => f.Code)), string.Join("; ", result.HoldReasons));
            }
        }
    }
}
