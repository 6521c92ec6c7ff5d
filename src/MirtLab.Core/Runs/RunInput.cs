using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;

namespace MirtLab.Core.Runs;

/// <summary>Who and what a run is: the dropped item's hash and name, the reader that read it, the instrument it came from.</summary>
public sealed record RunIdentity(string FileSha256, string SourceName, string FormatId, string InstrumentId)
{
    public string RunKey => ResultKeys.RunKey(FileSha256);
}

/// <summary>What the evaluator needs: the rows a reader produced and the instrument's time zone.</summary>
public sealed record RunInput(
    RunIdentity Identity,
    RunInfo Info,
    IReadOnlyList<InstrumentResult> Rows,
    TimeZoneInfo TimeZone,
    IReadOnlyList<Diagnostic> ReaderDiagnostics);

/// <summary>A patient's previous result of an analyte, for the delta check.</summary>
public sealed record PreviousResult(decimal Value, DateTimeOffset? AcquiredUtc, string ResultKey);

/// <summary>
/// One QC result of an earlier accepted run, for the Westgard rules and the Levey-Jennings chart: the run it came
/// from, when it was acquired, and its value in the analyte's unit.
/// </summary>
public sealed record QcObservation(string RunKey, DateTimeOffset? AcquiredUtc, decimal Value, string? SampleName = null);

/// <summary>
/// What the evaluator is told from outside the export: previous results from the LIS for the delta check and
/// the QC history for the Westgard rules (looked up by the host before evaluation, keeping the evaluation pure).
/// </summary>
public sealed class RunContext
{
    public static RunContext Empty { get; } = new();

    /// <summary>Previous results by (patient id, analyte code).</summary>
    public IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult> PreviousResults { get; init; } =
        new Dictionary<(string, string), PreviousResult>();

    /// <summary>Why previous results could not be looked up (the LIS was unreachable); null when they were.</summary>
    public string? PreviousResultsUnavailable { get; init; }

    /// <summary>
    /// QC results of earlier runs by (analyte code, nominal level in the analyte's unit), oldest first. Only runs
    /// whose QCs were accepted belong here: a rejected run's QCs were repeated and are not part of the history
    /// the targets are established from (CLSI C24). <see cref="RunEvaluator.QcHistoryLookups"/> names the keys.
    /// </summary>
    public IReadOnlyDictionary<(string Analyte, decimal Level), IReadOnlyList<QcObservation>> QcHistory { get; init; } =
        new Dictionary<(string, decimal), IReadOnlyList<QcObservation>>();

    /// <summary>Why the QC history could not be looked up; null when it was (or when the host keeps none).</summary>
    public string? QcHistoryUnavailable { get; init; }
}
