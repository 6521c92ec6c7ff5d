using System.Globalization;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Readers.Delimited;

namespace MirtLab.Readers.Agilent;

/// <summary>Where a sample's own columns are (MassHunter's <c>Sample</c> group, or a sample group of the compound table).</summary>
internal sealed class MassHunterSampleColumns
{
    public int Name { get; init; } = -1;

    public int DataFile { get; init; } = -1;

    public int Type { get; init; } = -1;

    public int Level { get; init; } = -1;

    public int AcquisitionDate { get; init; } = -1;

    public int Dilution { get; init; } = -1;

    public int Comment { get; init; } = -1;

    public int QuantitationMessage { get; init; } = -1;

    /// <summary>Unnamed summary columns (outlier / quantitation-message summary, <c>!</c>).</summary>
    public IReadOnlyList<int> Summaries { get; init; } = [];

    public static MassHunterSampleColumns From(MassHunterGroup group, IReadOnlyList<string> subHeaders) => new()
    {
        Name = group.Find("Name", "Sample Name"),
        DataFile = group.Find("Data File"),
        Type = group.Find("Type", "Sample Type"),
        Level = group.Find("Level"),
        AcquisitionDate = group.Find("Acq. Date-Time", "Acq Date-Time", "Acquisition Date-Time"),
        Dilution = group.Find("Dil.", "Dilution"),
        Comment = group.Find("Comment"),
        QuantitationMessage = group.Find("Quantitation Message"),
        Summaries = Enumerable.Range(group.Start, group.End - group.Start)
            .Where(i => i >= subHeaders.Count || subHeaders[i].Length == 0)
            .ToList(),
    };
}

/// <summary>A sample's facts read from one row, shared by all its compounds.</summary>
internal sealed record MassHunterSample(
    string Name,
    string? DataFile,
    SampleType Type,
    string? VendorType,
    string? Level,
    DateTime? Acquired,
    decimal? Dilution,
    string? Comment,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Messages);

/// <summary>Turns MassHunter cells into rows: the sample's facts once, then one result per compound.</summary>
internal static class MassHunterRowBuilder
{
    /// <summary>Reads the sample's own cells; null (with the errors reported) when the row cannot be attributed.</summary>
    public static MassHunterSample? ReadSample(RowCells cells, MassHunterSampleColumns columns, IReadOnlyList<string> subHeaders, string? fallbackName, IEnumerable<string> extraMessages)
    {
        var name = cells.Text(columns.Name);
        if (name.Length == 0)
        {
            name = fallbackName ?? string.Empty;
        }

        if (name.Length == 0)
        {
            cells.Error(DiagnosticCodes.MissingSampleOrCompound, columns.Name, "Name", "the row has no sample name, so its results cannot be attributed");
        }

        var type = cells.SampleType(columns.Type, "Type", null, out var vendorType);
        var acquired = cells.Date(columns.AcquisitionDate, "Acq. Date-Time");
        var dilution = cells.Decimal(columns.Dilution, "Dil.", "dilution factor");

        var flags = new List<string>();
        foreach (var index in columns.Summaries)
        {
            var text = cells.Text(index);
            if (text.Length > 0)
            {
                flags.Add(string.Create(CultureInfo.InvariantCulture, $"MassHunter summary (column {index + 1}): {text}"));
            }
        }

        var messages = new List<string>();
        foreach (var text in extraMessages.Append(cells.Text(columns.QuantitationMessage)))
        {
            messages.AddRange(text.Split('\n').Select(m => m.Trim()).Where(m => m.Length > 0));
        }

        return name.Length == 0
            ? null
            : new MassHunterSample(name, cells.TextOrNull(columns.DataFile), type, vendorType, cells.TextOrNull(columns.Level), acquired,
                dilution, cells.TextOrNull(columns.Comment), flags, messages);
    }

    /// <summary>
    /// One compound's result for the sample; bad cells are reported (check <see cref="RowCells.RowHasErrors"/>).
    /// <c>column</c> is the sample group's 1-based column when one line holds several samples (the compound
    /// table), so each result keeps a position, and a key, of its own.
    /// </summary>
    public static InstrumentResult ReadCompound(RowCells cells, MassHunterSample sample, MassHunterCompoundColumns compound, IReadOnlyList<string> compoundNames, IReadOnlyList<string> subHeaders, ReaderContext context, int? column = null)
    {
        var value = compound.ValueColumn >= 0
            ? cells.Value(compound.ValueColumn, compound.ValueHeader, "concentration", out var raw)
            : ResultValue.NoValue(raw = string.Empty);
        if (compound.FinalConcentration < 0 && compound.ValueColumn >= 0)
        {
            RefuseUndilutedValue(cells, compound.ValueColumn, compound.ValueHeader, sample.Name, compound.Name, compound.IsInternalStandard, value, raw, sample.Dilution, null);
        }

        var flags = new List<string>(sample.Flags);
        foreach (var message in sample.Messages)
        {
            // A message names its compound first ("S1P d20:1 [M>113]: The retention times ..."); one that names
            // none of the compounds concerns the whole injection.
            if (message.StartsWith(compound.Name + ":", StringComparison.Ordinal) || !NamesACompound(message))
            {
                flags.Add("MassHunter quantitation message: " + message);
            }
        }

        if (compound.ManualIntegration >= 0 && MassHunterCsv.ManualIntegrationFlag(cells.Text(compound.ManualIntegration)) is string mi)
        {
            flags.Add(mi);
        }

        foreach (var (index, header) in compound.Outliers)
        {
            var text = cells.Text(index);
            if (text.Length > 0)
            {
                flags.Add($"MassHunter {header}: {text}");
            }
        }

        return new InstrumentResult
        {
            Source = new SourcePosition(null, cells.Line, column),
            SampleName = sample.Name,
            SampleType = sample.Type,
            VendorSampleType = sample.VendorType,
            Level = sample.Level,
            RawAnalyte = compound.Name,
            IsInternalStandard = compound.IsInternalStandard,
            InternalStandard = cells.TextOrNull(compound.InternalStandardName),
            RawValueText = raw,
            Value = value,
            RawUnit = context.DefaultUnit,
            Nominal = cells.Decimal(compound.ExpectedConcentration, Header(compound.ExpectedConcentration), "expected concentration"),
            Area = cells.Double(compound.Area, Header(compound.Area), "area"),
            Height = cells.Double(compound.Height, Header(compound.Height), "height"),
            InternalStandardArea = cells.Double(compound.InternalStandardResponse, Header(compound.InternalStandardResponse), "ISTD response"),
            RetentionTime = cells.Double(compound.RetentionTime, Header(compound.RetentionTime), "retention time"),
            SignalToNoise = cells.Double(compound.SignalToNoise, Header(compound.SignalToNoise), "S/N"),
            DilutionFactor = sample.Dilution,
            VendorAccuracy = cells.Decimal(compound.Accuracy, Header(compound.Accuracy), "accuracy"),
            AcquiredLocal = sample.Acquired,
            Comment = sample.Comment,
            VendorFlags = flags,
        };

        string Header(int index) => index >= 0 && index < subHeaders.Count ? subHeaders[index] : string.Empty;

        bool NamesACompound(string message) => compoundNames.Any(n => message.StartsWith(n + ":", StringComparison.Ordinal));
    }

    /// <summary>
    /// Refuses a <c>Calc. Conc.</c> read as the value (no <c>Final Conc.</c> in the export) of a diluted sample.
    /// MassHunter's Calc. Conc. is the extract's concentration and Final Conc. = Calc. Conc. × Dil.: published, it
    /// would report half (or less) of the patient's level. Refused, not multiplied: MirtLab reports what the vendor
    /// software states. Values without a number (<c>ND</c>) and internal standards (never reported) are left alone.
    /// <paramref name="dilutionText"/> is a dilution cell that is not a number (the block report reads it late).
    /// </summary>
    public static void RefuseUndilutedValue(RowCells cells, int valueColumn, string valueHeader, string sampleName, string compoundName, bool isInternalStandard,
        ResultValue value, string raw, decimal? dilution, string? dilutionText)
    {
        if (isInternalStandard || value.Kind is not (ValueKind.Number or ValueKind.BelowLimit or ValueKind.AboveLimit))
        {
            return;
        }

        if (dilutionText is not null)
        {
            cells.Error(DiagnosticCodes.UndilutedConcentration, valueColumn, valueHeader,
                $"sample '{sampleName}' has dilution factor '{dilutionText}', which is not a number, and the export has no 'Final Conc.' column, so it cannot be told whether '{valueHeader}' {raw.Trim()} for '{compoundName}' still lacks a dilution; the file is not published: export the results from MassHunter with 'Final Conc.'");
            return;
        }

        if (dilution is { } factor && factor != 1m)
        {
            cells.Error(DiagnosticCodes.UndilutedConcentration, valueColumn, valueHeader,
                string.Create(CultureInfo.InvariantCulture, $"sample '{sampleName}' was diluted (Dil. {factor}) but the export has no 'Final Conc.' column: '{valueHeader}' {raw.Trim()} for '{compoundName}' is the concentration before the dilution factor is applied (Final Conc. = Calc. Conc. × Dil.), so it is not published; export the results from MassHunter with 'Final Conc.'"));
        }
    }
}
