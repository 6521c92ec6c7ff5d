using MirtLab.Readers.Text;

namespace MirtLab.Readers.Sciex;

/// <summary>
/// The columns MirtLab reads from a SCIEX component table (MultiQuant and SCIEX OS results exports: one row per
/// sample × component, columns chosen by the user). Every column is found by name; only Sample Name and
/// Component Name are always present.
/// </summary>
internal sealed class ComponentTableColumns
{
    /// <summary>Header names only SCIEX OS writes (its acceptance and reportability features); MultiQuant has none of them.</summary>
    public static readonly string[] SciexOsOnly =
    [
        "Reportable", "Outlier Reasons", "Accuracy Acceptance", "Concentration Acceptance", "Integration Acceptance",
        "Ion Ratio Confidence", "Conc. Units",
    ];

    public Column SampleName { get; private init; }

    public Column SampleId { get; private init; }

    public Column SampleIndex { get; private init; }

    public Column SampleType { get; private init; }

    public Column SampleComment { get; private init; }

    public Column ComponentName { get; private init; }

    public Column ComponentType { get; private init; }

    public Column ComponentGroup { get; private init; }

    public Column IsInternalStandard { get; private init; }

    public Column InternalStandardName { get; private init; }

    public Column CalculatedConcentration { get; private init; }

    public Column ActualConcentration { get; private init; }

    public Column Units { get; private init; }

    public Column Area { get; private init; }

    public Column Height { get; private init; }

    public Column InternalStandardArea { get; private init; }

    public Column RetentionTime { get; private init; }

    public Column InternalStandardRetentionTime { get; private init; }

    public Column SignalToNoise { get; private init; }

    public Column IonRatio { get; private init; }

    public Column ExpectedIonRatio { get; private init; }

    public Column DilutionFactor { get; private init; }

    public Column Accuracy { get; private init; }

    public Column Used { get; private init; }

    public Column Reportable { get; private init; }

    public Column Modified { get; private init; }

    public Column OutlierReasons { get; private init; }

    public Column AcquisitionDate { get; private init; }

    public Column AcquisitionMethod { get; private init; }

    public Column Operator { get; private init; }

    public Column ProcessingMethod { get; private init; }

    /// <summary>SCIEX OS pass/fail columns (<c>Accuracy Acceptance</c>, <c>Integration Acceptance</c>, …), in header order.</summary>
    public IReadOnlyList<Column> Acceptance { get; private init; } = [];

    /// <summary>The columns that decide what a row is, under all their names: two of one kind make the row ambiguous.</summary>
    public static readonly string[][] KeyColumnNames =
    [
        ["Sample Name"], ["Sample ID"], ["Sample Index"], ["Sample Type"], ["Component Name"], ["Component Type"],
        ["Component Group Name"], ["IS"], ["Calculated Concentration", "Calculated Conc."], ["Actual Concentration"],
        ["Conc. Units", "Concentration Units", "Units"], ["Dilution Factor"], ["Used"], ["Reportable"],
    ];

    public static ComponentTableColumns Resolve(HeaderColumns h) => new()
    {
        SampleName = h.Find("Sample Name"),
        SampleId = h.Find("Sample ID"),
        SampleIndex = h.Find("Sample Index"),
        SampleType = h.Find("Sample Type"),
        SampleComment = h.Find("Sample Comment"),
        ComponentName = h.Find("Component Name"),
        ComponentType = h.Find("Component Type"),
        ComponentGroup = h.Find("Component Group Name"),
        IsInternalStandard = h.Find("IS"),
        InternalStandardName = h.Find("IS Name"),
        CalculatedConcentration = h.Find("Calculated Concentration", "Calculated Conc."),
        ActualConcentration = h.Find("Actual Concentration"),
        Units = h.Find("Conc. Units", "Concentration Units", "Units"),
        Area = h.Find("Area"),
        Height = h.Find("Height"),
        InternalStandardArea = h.Find("IS Area"),
        RetentionTime = h.Find("Retention Time"),
        InternalStandardRetentionTime = h.Find("IS Retention Time"),
        SignalToNoise = h.Find("Signal / Noise"),
        IonRatio = h.Find("Ion Ratio"),
        ExpectedIonRatio = h.Find("Expected Ion Ratio"),
        DilutionFactor = h.Find("Dilution Factor"),
        Accuracy = h.Find("Accuracy"),
        Used = h.Find("Used"),
        Reportable = h.Find("Reportable"),
        Modified = h.Find("Modified"),
        OutlierReasons = h.Find("Outlier Reasons"),
        AcquisitionDate = h.Find("Acquisition Date & Time", "Acquisition Date"),
        AcquisitionMethod = h.Find("Acq. Method Name", "Acquisition Method"),
        Operator = h.Find("Operator Name"),
        ProcessingMethod = h.Find("Proc. Method Name"),
        Acceptance = Enumerable.Range(0, h.Count)
            .Where(i => h.Headers[i].Trim().EndsWith(" Acceptance", StringComparison.OrdinalIgnoreCase))
            .Select(i => new Column(i, h.Headers[i].Trim(), null))
            .ToList(),
    };

    /// <summary>True when the header names Sample Name and Component Name: a SCIEX component table.</summary>
    public static bool IsComponentTable(HeaderColumns h) => h.Find("Sample Name").Exists && h.Find("Component Name").Exists;

    public static bool HasSciexOsColumns(HeaderColumns h) => SciexOsOnly.Any(name => h.Find(name).Exists);

    /// <summary>The header of a probed single file: its first non-blank line, split at tabs; null when it has no tab.</summary>
    public static HeaderColumns? ProbeHeader(SourceProbe probe)
    {
        if (probe.Source.IsFolder || probe.Files.Count != 1 || probe.Files[0].LooksBinary)
        {
            return null;
        }

        var first = probe.Files[0].Lines.FirstOrDefault(l => l.Trim().Length > 0);
        if (first is null || !first.Contains('\t', StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new List<string>();
        Fields.Split(first, '\t', fields);
        return new HeaderColumns(fields);
    }
}
