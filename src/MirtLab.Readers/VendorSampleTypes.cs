using MirtLab.Core.Results;

namespace MirtLab.Readers;

/// <summary>
/// The vendors' words for sample types, mapped to MirtLab's one vocabulary. A word not listed is not
/// guessed: the reader reports it and the file is rejected.
/// </summary>
public static class VendorSampleTypes
{
    private static readonly Dictionary<string, SampleType> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Unknown"] = SampleType.Unknown,
        ["Sample"] = SampleType.Unknown,
        ["Unknown Sample"] = SampleType.Unknown,
        ["Patient"] = SampleType.Unknown,
        ["Standard"] = SampleType.Standard,
        ["Std"] = SampleType.Standard,
        ["Cal"] = SampleType.Standard,
        ["Calibrator"] = SampleType.Standard,
        ["Calibration"] = SampleType.Standard,
        ["Calibration Standard"] = SampleType.Standard,
        ["Quality Control"] = SampleType.QualityControl,
        ["QC"] = SampleType.QualityControl,
        ["Control"] = SampleType.QualityControl,
        ["CC"] = SampleType.QualityControl,
        ["Blank"] = SampleType.Blank,
        ["Matrix Blank"] = SampleType.Blank,
        ["Zero"] = SampleType.Blank,
        ["Single Blank"] = SampleType.Blank,
        ["Double Blank"] = SampleType.DoubleBlank,
        ["DoubleBlank"] = SampleType.DoubleBlank,
        ["Solvent"] = SampleType.Solvent,
        ["Solvent Blank"] = SampleType.Solvent,
        ["Solvent / Wash"] = SampleType.Solvent,
        ["Wash"] = SampleType.Solvent,
        ["System Suitability"] = SampleType.SystemSuitability,
        ["SST"] = SampleType.SystemSuitability,

        // Agilent MassHunter Quant writes its sample types without spaces.
        ["MatrixBlank"] = SampleType.Blank,
        ["TuneCheck"] = SampleType.SystemSuitability,
        ["ResponseCheck"] = SampleType.SystemSuitability,

        // Agilent ACAML (SampleTypeEnum) writes its sample types without spaces too.
        ["SystemSuitability"] = SampleType.SystemSuitability,
    };

    public static bool TryMap(string? vendorWord, out SampleType type)
    {
        if (vendorWord is null)
        {
            type = SampleType.Unknown;
            return false;
        }

        return Words.TryGetValue(vendorWord.Trim(), out type);
    }

    public static IEnumerable<string> Known => Words.Keys;
}
