using MirtLab.Core.Catalog;
using MirtLab.Core.Units;

namespace MirtLab.Core.Results;

/// <summary>
/// A row after the catalog and the rules: canonical unit, reported value, flags and status,
/// with the instrument's raw row kept beside it for the audit.
/// </summary>
public sealed class EvaluatedResult
{
    public required string ResultKey { get; init; }

    public required InstrumentResult Raw { get; init; }

    /// <summary>The sample type after sample-name patterns refined the reader's.</summary>
    public required SampleType SampleType { get; init; }

    /// <summary>The catalog analyte, or null when the compound name is not in the catalog.</summary>
    public Analyte? Analyte { get; init; }

    /// <summary>The unit <see cref="Value"/> is in: the analyte's canonical unit, or the raw unit for an unmapped compound.</summary>
    public UcumUnit? Unit { get; init; }

    /// <summary>The value as reported: rounded to the analyte's precision, outside the reportable range turned into a limit.</summary>
    public required ResultValue Value { get; init; }

    /// <summary>The measured number in <see cref="Unit"/> before rounding and range limits (for QA), if there is one.</summary>
    public decimal? UnroundedNumber { get; init; }

    /// <summary>The nominal concentration of a calibrator or QC, in <see cref="Unit"/>.</summary>
    public decimal? Nominal { get; init; }

    /// <summary>The report's text for the value (<c>46.5</c>, <c>&lt;5.0</c>, <c>Not detected</c>).</summary>
    public required string Display { get; init; }

    public IReadOnlyList<ResultFlag> Flags { get; init; } = [];

    /// <summary>Release status; null for rows that are not patient results.</summary>
    public ResultStatus? Status { get; init; }

    /// <summary>Why a patient result is held (empty when final).</summary>
    public IReadOnlyList<string> HoldReasons { get; init; } = [];

    /// <summary>The range the flags were judged against, in words (<c>30–80 ng/mL</c>).</summary>
    public string? ReferenceRange { get; init; }

    public DateTimeOffset? AcquiredUtc { get; init; }

    /// <summary>The patient, from the sample-metadata patterns; null when none matched.</summary>
    public string? PatientId { get; init; }

    /// <summary>The daily dose in mg, from the sample metadata, when known.</summary>
    public decimal? DoseMgPerDay { get; init; }

    /// <summary>Interpretive comments (never a flag, never a status).</summary>
    public IReadOnlyList<Rules.ResultComment> Comments { get; init; } = [];

    /// <summary>For a derived observation: the result keys it was computed from.</summary>
    public IReadOnlyList<string> DerivedFrom { get; init; } = [];

    /// <summary>True for results the LIS receives: patient samples of a catalog analyte that is not an internal standard.</summary>
    public bool IsPatientResult => SampleType == SampleType.Unknown && Analyte is { IsInternalStandard: false };
}
