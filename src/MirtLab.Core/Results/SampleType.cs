namespace MirtLab.Core.Results;

/// <summary>
/// One vocabulary for what a sample is, whatever the vendor called it. Only <see cref="Unknown"/>
/// samples are patient samples; everything else evaluates the run.
/// </summary>
public enum SampleType
{
    /// <summary>A patient (unknown) sample.</summary>
    Unknown,

    /// <summary>A calibrator (standard).</summary>
    Standard,

    /// <summary>A quality-control sample.</summary>
    QualityControl,

    /// <summary>A blank with internal standard (zero sample, "single blank").</summary>
    Blank,

    /// <summary>A blank without analyte or internal standard.</summary>
    DoubleBlank,

    /// <summary>A solvent or wash injection.</summary>
    Solvent,

    /// <summary>A system-suitability injection.</summary>
    SystemSuitability,
}

public static class SampleTypeNames
{
    /// <summary>The name MirtLab's JSON and database use.</summary>
    public static string ToCode(this SampleType type) => type switch
    {
        SampleType.Unknown => "unknown",
        SampleType.Standard => "standard",
        SampleType.QualityControl => "qc",
        SampleType.Blank => "blank",
        SampleType.DoubleBlank => "double-blank",
        SampleType.Solvent => "solvent",
        SampleType.SystemSuitability => "sst",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParseCode(string? code, out SampleType type)
    {
        foreach (var candidate in Enum.GetValues<SampleType>())
        {
            if (string.Equals(candidate.ToCode(), code, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
