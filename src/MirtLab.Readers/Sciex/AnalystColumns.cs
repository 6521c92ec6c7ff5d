using MirtLab.Readers.Text;

namespace MirtLab.Readers.Sciex;

/// <summary>The Analyst results-table columns MirtLab reads, under their short and full labels.</summary>
internal sealed class AnalystColumns
{
    public Column SampleName { get; private init; }

    public Column SampleId { get; private init; }

    public Column SampleType { get; private init; }

    public Column Analyte { get; private init; }

    public Column Units { get; private init; }

    public Column Area { get; private init; }

    public Column Height { get; private init; }

    public Column Nominal { get; private init; }

    public Column RetentionTime { get; private init; }

    public Column SignalToNoise { get; private init; }

    public Column InternalStandardName { get; private init; }

    public Column InternalStandardArea { get; private init; }

    public Column InternalStandardRetentionTime { get; private init; }

    public Column UseRecord { get; private init; }

    public Column RecordModified { get; private init; }

    public Column CalculatedConcentration { get; private init; }

    public Column Accuracy { get; private init; }

    public Column AcquisitionDate { get; private init; }

    public Column DilutionFactor { get; private init; }

    public Column Comment { get; private init; }

    public static AnalystColumns Resolve(HeaderColumns h) => new()
    {
        SampleName = h.Find("Sample Name"),
        SampleId = h.Find("Sample ID"),
        SampleType = h.Find("Filetype", "Sample Type"),
        Analyte = h.Find("Peak Name", "Analyte Peak Name"),
        Units = h.Find("Units", "Analyte Units"),
        Area = h.Find("Area", "Analyte Peak Area"),
        Height = h.Find("Height", "Analyte Peak Height"),
        Nominal = h.Find("Conc.", "Analyte Concentration"),
        RetentionTime = h.Find("R.T.", "Analyte Retention Time"),
        SignalToNoise = h.Find("S/N", "Analyte Signal To Noise"),
        InternalStandardName = h.Find("IS Peak Name"),
        InternalStandardArea = h.Find("IS Area", "IS Peak Area"),
        InternalStandardRetentionTime = h.Find("IS R.T.", "IS Retention Time"),
        UseRecord = h.Find("Use Record", "Used"),
        RecordModified = h.Find("Record Modified"),
        CalculatedConcentration = h.Find("Calc.Conc.", "Calculated Concentration", "Calculated Conc."),
        Accuracy = h.Find("Accuracy"),
        AcquisitionDate = h.Find("Date Of Acq.", "Acquisition Date"),
        DilutionFactor = h.Find("Dil.Factor", "Dilution Factor"),
        Comment = h.Find("Sample Comment", "Sample Desc."),
    };

    public IEnumerable<string> Missing()
    {
        if (!SampleName.Exists) yield return "'Sample Name'";
        if (!SampleType.Exists) yield return "'Filetype' / 'Sample Type'";
        if (!Analyte.Exists) yield return "'Peak Name' / 'Analyte Peak Name'";
        if (!CalculatedConcentration.Exists) yield return "'Calc.Conc.' / 'Calculated Concentration'";
    }
}
