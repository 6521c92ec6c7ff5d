using System.Text.Json.Serialization;
using MirtLab.Core.Catalog;

namespace MirtLab.Core.Runs;

/// <summary>The verdict on one analyte in one run.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    Accepted,
    NeedsReview,
    Rejected,
    NotEvaluated,
}

/// <summary>How one check came out: passing, a warning that needs review, or a failure that rejects.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<CheckOutcome>))]
public enum CheckOutcome
{
    Pass,
    Review,
    Fail,
}

/// <summary>One acceptance check with what it found and the thresholds it applied.</summary>
public sealed record RunCheck(string Id, CheckOutcome Outcome, string Message, string Thresholds);

/// <summary>One calibrator as evaluated: nominal and measured in the analyte's unit, accuracy in percent.</summary>
public sealed record CalibratorPoint(
    string ResultKey,
    string SampleName,
    decimal Nominal,
    decimal? Measured,
    decimal? AccuracyPercent,
    decimal TolerancePercent,
    bool Passed,
    bool? UsedByVendor,
    double? Response);

/// <summary>One QC as evaluated.</summary>
public sealed record QcPoint(
    string ResultKey,
    string SampleName,
    string Level,
    decimal Nominal,
    decimal? Measured,
    decimal? AccuracyPercent,
    bool Passed);

/// <summary>The reportable (calibrated) range of a run: the lowest and highest passing calibrator levels.</summary>
public sealed record ReportableRange(decimal Lloq, decimal Uloq);

/// <summary>Everything MirtLab decided about one analyte of one run.</summary>
public sealed class AnalyteRunEvaluation
{
    /// <summary>The catalog code, or the compound name as written for a compound not in the catalog.</summary>
    public required string AnalyteCode { get; init; }

    /// <summary>The catalog analyte; null for a compound not in the catalog (its run is still judged).</summary>
    public Analyte? Analyte { get; init; }

    /// <summary>The unit nominal and measured concentrations are compared in.</summary>
    public string? Unit { get; init; }

    /// <summary>The name to show: the catalog name, or the compound as written.</summary>
    public string DisplayName => Analyte?.Name ?? AnalyteCode;

    public required RunOutcome Outcome { get; init; }

    public IReadOnlyList<RunCheck> Checks { get; init; } = [];

    public IReadOnlyList<CalibratorPoint> Calibrators { get; init; } = [];

    public IReadOnlyList<QcPoint> Qcs { get; init; } = [];

    public ReportableRange? ReportableRange { get; init; }

    public VendorCalibration? VendorCalibration { get; init; }

    /// <summary>The failing and review checks in words, for hold reasons.</summary>
    public IEnumerable<RunCheck> Problems => Checks.Where(c => c.Outcome != CheckOutcome.Pass);
}
