using System.Globalization;

namespace MirtLab.Core.Runs;

/// <summary>A run as MirtLab hands it on (store, LIS runs table, MQTT run message, <c>check --json</c>).</summary>
public sealed class RunDocument
{
    public const string CurrentSchema = "mirtlab.run.v1";

    public string Schema { get; init; } = CurrentSchema;

    public required string RunKey { get; init; }

    public required string Instrument { get; init; }

    public required string Format { get; init; }

    public required string Source { get; init; }

    public required string Sha256 { get; init; }

    /// <summary><c>accepted</c>, <c>needs-review</c>, <c>rejected</c> or <c>not-evaluated</c>: the worst of its analytes.</summary>
    public required string Outcome { get; init; }

    public string? AcquiredLocal { get; init; }

    public DateTimeOffset? AcquiredUtc { get; init; }

    public required string ConfigVersion { get; init; }

    public int ResultCount { get; init; }

    public int PatientResultCount { get; init; }

    public int HeldCount { get; init; }

    public IReadOnlyList<AnalyteEvaluationDocument> Analytes { get; init; } = [];

    public static string OutcomeCode(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Accepted => "accepted",
        RunOutcome.NeedsReview => "needs-review",
        RunOutcome.Rejected => "rejected",
        RunOutcome.NotEvaluated => "not-evaluated",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static RunDocument From(EvaluatedRun run)
    {
        var worst = run.Analytes.Count == 0
            ? RunOutcome.NotEvaluated
            : run.Analytes.Select(a => a.Outcome).OrderByDescending(Severity).First();
        var patients = run.PatientResults.ToList();
        return new RunDocument
        {
            RunKey = run.Identity.RunKey,
            Instrument = run.Identity.InstrumentId,
            Format = run.Identity.FormatId,
            Source = run.Identity.SourceName,
            Sha256 = run.Identity.FileSha256,
            Outcome = OutcomeCode(worst),
            AcquiredLocal = run.AcquiredLocal?.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            AcquiredUtc = run.AcquiredUtc,
            ConfigVersion = run.ConfigVersion,
            ResultCount = run.Results.Count,
            PatientResultCount = patients.Count,
            HeldCount = patients.Count(p => p.Status != Results.ResultStatus.Final),
            Analytes = run.Analytes.Select(AnalyteEvaluationDocument.From).ToList(),
        };

        static int Severity(RunOutcome o) => o switch
        {
            RunOutcome.Accepted => 0,
            RunOutcome.NeedsReview => 1,
            RunOutcome.NotEvaluated => 2,
            _ => 3,
        };
    }
}

/// <summary>One analyte's verdict in a run, with its checks and the points behind them.</summary>
public sealed class AnalyteEvaluationDocument
{
    public required string Analyte { get; init; }

    public required string Outcome { get; init; }

    public decimal? Lloq { get; init; }

    public decimal? Uloq { get; init; }

    public string? Unit { get; init; }

    public IReadOnlyList<RunCheck> Checks { get; init; } = [];

    public IReadOnlyList<CalibratorPoint> Calibrators { get; init; } = [];

    public IReadOnlyList<QcPoint> Qcs { get; init; } = [];

    public VendorCalibration? VendorCalibration { get; init; }

    /// <summary>MirtLab's own curve (model, coefficients, r²); with <see cref="Calibrators"/> a page can plot points, curve, residuals and LLOQ/ULOQ.</summary>
    public CalibrationFit? Fit { get; init; }

    /// <summary>Every injection in order with its IS response, retention time and ion ratio figures.</summary>
    public IReadOnlyList<InjectionPoint> Injections { get; init; } = [];

    /// <summary>Patient results a per-injection check holds, with why.</summary>
    public IReadOnlyList<SampleHold> SampleHolds { get; init; } = [];

    /// <summary>Levey-Jennings chart per QC level: target, history and this run's results with z-scores.</summary>
    public IReadOnlyList<QcLevelChart> QcCharts { get; init; } = [];

    public IReadOnlyList<WestgardViolation> WestgardViolations { get; init; } = [];

    public static AnalyteEvaluationDocument From(AnalyteRunEvaluation e) => new()
    {
        Analyte = e.AnalyteCode,
        Outcome = RunDocument.OutcomeCode(e.Outcome),
        Lloq = e.ReportableRange?.Lloq,
        Uloq = e.ReportableRange?.Uloq,
        Unit = e.Unit,
        Checks = e.Checks,
        Calibrators = e.Calibrators,
        Qcs = e.Qcs,
        VendorCalibration = e.VendorCalibration,
        Fit = e.Fit,
        Injections = e.Injections,
        SampleHolds = e.SampleHolds,
        QcCharts = e.QcCharts,
        WestgardViolations = e.WestgardViolations,
    };
}
