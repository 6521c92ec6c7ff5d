namespace MirtLab.Core.Results;

/// <summary>
/// One row as an instrument reported it (one sample × one compound), before the catalog and the rules
/// touch it. Everything a reader could not find stays null; nothing is invented.
/// </summary>
public sealed class InstrumentResult
{
    public required SourcePosition Source { get; init; }

    public required string SampleName { get; init; }

    public string? SampleId { get; init; }

    /// <summary>The sample type after the reader mapped the vendor's word (before name patterns refine it).</summary>
    public required SampleType SampleType { get; init; }

    /// <summary>The vendor's own word for the sample type (<c>Quality Control</c>, <c>Cal</c>).</summary>
    public string? VendorSampleType { get; init; }

    /// <summary>Calibration or QC level as written (MassHunter <c>Level</c>), if any.</summary>
    public string? Level { get; init; }

    /// <summary>The compound name as the instrument wrote it.</summary>
    public required string RawAnalyte { get; init; }

    /// <summary>True when the export itself marks this compound as an internal standard.</summary>
    public bool IsInternalStandard { get; init; }

    /// <summary>The internal standard the instrument used for this compound, as written.</summary>
    public string? InternalStandard { get; init; }

    /// <summary>The value text exactly as in the file (<c>4930.</c>, <c>No Peak</c>).</summary>
    public required string RawValueText { get; init; }

    /// <summary>The parsed value, in <see cref="RawUnit"/>.</summary>
    public required ResultValue Value { get; init; }

    /// <summary>The unit text as written (from a units column, a column name or configuration).</summary>
    public string? RawUnit { get; init; }

    /// <summary>Nominal (expected) concentration of a calibrator or QC, in <see cref="RawUnit"/>.</summary>
    public decimal? Nominal { get; init; }

    public double? Area { get; init; }

    public double? Height { get; init; }

    public double? InternalStandardArea { get; init; }

    public double? RetentionTime { get; init; }

    public double? InternalStandardRetentionTime { get; init; }

    public double? SignalToNoise { get; init; }

    public double? IonRatio { get; init; }

    public double? ExpectedIonRatio { get; init; }

    public decimal? DilutionFactor { get; init; }

    /// <summary>Whether the vendor used this calibrator in its curve (Analyst <c>Use Record</c>, SCIEX OS <c>Used</c>).</summary>
    public bool? UsedInCalibration { get; init; }

    /// <summary>The vendor's accuracy in percent, as reported.</summary>
    public decimal? VendorAccuracy { get; init; }

    /// <summary>Acquisition time as the instrument wrote it: local, without offset.</summary>
    public DateTime? AcquiredLocal { get; init; }

    public string? Comment { get; init; }

    /// <summary>The vendor's own flags, kept verbatim (outlier reasons, failed acceptance, quantitation messages).</summary>
    public IReadOnlyList<string> VendorFlags
    {
        get => _vendorFlags;
        init => _vendorFlags = value;
    }

    private IReadOnlyList<string> _vendorFlags = [];

    /// <summary>A copy of this row with one more vendor flag (a reader that learns something about a row after building it).</summary>
    public InstrumentResult WithVendorFlag(string flag)
    {
        var copy = (InstrumentResult)MemberwiseClone();
        copy._vendorFlags = [.. _vendorFlags, flag];
        return copy;
    }
}
