namespace MirtLab.Readers.Agilent;

/// <summary>A value as one ChemStation report file wrote it, with where it stands (for diagnostics).</summary>
internal readonly record struct ChemStationText(string Text, int? Line, int? Column = null);

/// <summary>What a report row says about its compound, before MirtLab's rules decide what to report.</summary>
internal enum PeakState
{
    /// <summary>A peak was found and identified as the compound (or the row carries the compound's measured values).</summary>
    Identified,

    /// <summary>The file itself says the calibrated compound was not found (ACAML <c>NotIdentifiedExpected</c>, dashes in Report.TXT).</summary>
    NotFound,

    /// <summary>An integrated peak that no calibrated compound claims (<c>?</c>, an empty name, ACAML <c>Unknown</c>).</summary>
    Unidentified,

    /// <summary>A row that is not one analyte (ACAML <c>Group</c>, <c>PeakSum</c>).</summary>
    NotAnAnalyte,
}

/// <summary>One row of a ChemStation report: one compound (or unidentified peak) on one signal.</summary>
internal sealed class ChemStationPeak
{
    /// <summary>The file the row stands in, relative to the dropped item; null for a single dropped file.</summary>
    public required string? File { get; init; }

    public required int Line { get; init; }

    /// <summary>The signal the peak belongs to, as the report describes it (<c>ADC1 A, ADC CHANNEL A</c>).</summary>
    public string? Signal { get; init; }

    public required string Compound { get; init; }

    public PeakState State { get; init; } = PeakState.Identified;

    /// <summary>ChemStation's peak type code as written (<c>BB</c>, <c>MM N</c>, <c>FM   I</c>); blank for a compound that was not found.</summary>
    public string? PeakType { get; init; }

    public double? RetentionTime { get; init; }

    public double? Area { get; init; }

    public double? Height { get; init; }

    /// <summary>The amount cell as written; null when the report has no amount for this row.</summary>
    public string? AmountText { get; init; }

    public int? AmountColumn { get; init; }

    /// <summary>The amount's unit (the column declaration's, or the row's own in XML).</summary>
    public string? AmountUnit { get; init; }

    public bool IsInternalStandard { get; init; }

    /// <summary>Which internal standard the row was calculated with: an ISTD number (<c>1</c>) or a name.</summary>
    public string? InternalStandardReference { get; init; }

    /// <summary>Vendor facts about this row kept verbatim (manual identification, uncalibrated compound).</summary>
    public List<string> Flags { get; } = [];
}

/// <summary>
/// One injection as one ChemStation report file describes it (Report00/REPORTnn.CSV, Report.TXT, Result.xml or
/// an ACAML export). Parsers fill it; <see cref="ChemStationRows"/> applies MirtLab's rules to turn it into results.
/// </summary>
internal sealed class ChemStationInjection
{
    /// <summary>The file the injection was read from, relative to the dropped item; null for a single dropped file.</summary>
    public required string? File { get; init; }

    /// <summary>What kind of report this is, for messages (<c>Report00.CSV</c>, <c>ACAML export</c>).</summary>
    public required string Kind { get; init; }

    public ChemStationText? SampleName { get; set; }

    public ChemStationText? SampleId { get; set; }

    public ChemStationText? Comment { get; set; }

    public ChemStationText? SampleType { get; set; }

    public ChemStationText? Level { get; set; }

    public ChemStationText? InjectionDate { get; set; }

    /// <summary>Set by parsers whose format carries an exact time (ACAML); otherwise parsed from <see cref="InjectionDate"/>.</summary>
    public DateTime? AcquiredLocal { get; set; }

    public ChemStationText? Operator { get; set; }

    public string? Instrument { get; set; }

    public string? Method { get; set; }

    public string? Sequence { get; set; }

    public ChemStationText? Dilution { get; set; }

    /// <summary>False for a report without an amount column (an area-percent report): nothing in it is a concentration.</summary>
    public bool HasAmounts { get; set; }

    /// <summary>The report's own warnings and errors (<c>Msg n</c>, <c>Warning : …</c>), verbatim.</summary>
    public List<ChemStationText> Messages { get; } = [];

    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public List<ChemStationPeak> Peaks { get; } = [];

    /// <summary>ISTD number → compound name, from the report's "Sample ISTD Information" table.</summary>
    public Dictionary<string, string> InternalStandards { get; } = new(StringComparer.Ordinal);

    /// <summary>Keeps a header fact under its own key (numbered when the key repeats); returns the key used, null when not kept.</summary>
    public string? AddProperty(string key, string value, bool keepEmpty = false)
    {
        if (value.Length == 0 && !keepEmpty)
        {
            return null;
        }

        var name = key;
        for (var n = 2; Properties.ContainsKey(name); n++)
        {
            name = $"{key} ({n.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        }

        Properties[name] = value;
        return name;
    }
}
