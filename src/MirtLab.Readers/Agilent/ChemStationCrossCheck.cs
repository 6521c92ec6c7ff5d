using System.Globalization;
using MirtLab.Core.Catalog;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Units;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// Compares the rows of the report file MirtLab read with those of another report file of the same injection
/// (ChemStation writes Report.TXT, the CSV report and Result.xml from one integration). Every compound whose presence
/// or amount differs beyond the printed precision gets a warning and a vendor flag, so its result is held; a different
/// sample name is an error, because then the folder's files are not of one injection.
/// </summary>
internal static class ChemStationCrossCheck
{
    /// <summary>Flags to add, by compound key (<see cref="AnalyteCatalog.Key"/>); the key "" flags every row.</summary>
    public static Dictionary<string, List<string>> Compare(
        ChemStationInjection primary, ChemStationRead primaryRead,
        ChemStationInjection secondary, ChemStationRead secondaryRead,
        List<Diagnostic> diagnostics)
    {
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var primaryName = Name(primary);
        var secondaryName = Name(secondary);
        if (primaryRead.Rows.Count == 0 || secondaryRead.Rows.Count == 0)
        {
            return flags;
        }

        var sampleA = primaryRead.Rows[0].SampleName;
        var sampleB = secondaryRead.Rows[0].SampleName;
        if (!string.Equals(sampleA, sampleB, StringComparison.Ordinal))
        {
            diagnostics.Add(new Diagnostic(DiagnosticCodes.SampleIdentityConflict, DiagnosticSeverity.Error,
                $"{primaryName} is of sample '{sampleA}' but {secondaryName} of sample '{sampleB}': the folder's reports are not of one injection",
                secondary.File));
            return flags;
        }

        var compareAmounts = primary.HasAmounts && secondary.HasAmounts;
        var others = secondaryRead.Rows.GroupBy(r => AnalyteCatalog.Key(r.RawAnalyte), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in primaryRead.Rows)
        {
            var key = AnalyteCatalog.Key(row.RawAnalyte);
            string? problem;
            if (!others.TryGetValue(key, out var other))
            {
                problem = $"{secondaryName} does not list '{row.RawAnalyte}'";
            }
            else
            {
                matched.Add(key);
                problem = compareAmounts ? CompareValues(row, other) : ComparePresence(row, other);
                problem = problem is null ? null
                    : $"'{row.RawAnalyte}': {primaryName} has {Describe(row)}, {secondaryName} (line {other.Source.Line.ToString(CultureInfo.InvariantCulture)}) {Describe(other)}";
            }

            if (problem is not null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticCodes.ReportFilesDisagree, DiagnosticSeverity.Warning,
                    $"the report files disagree: {problem}; the result is held for review", row.Source.File, row.Source.Line));
                Add(key, $"cross-check: {problem}");
            }
        }

        foreach (var (key, other) in others.Where(o => !matched.Contains(o.Key)))
        {
            var problem = $"{secondaryName} lists '{other.RawAnalyte}' ({Describe(other)}), which {primaryName} does not";
            diagnostics.Add(new Diagnostic(DiagnosticCodes.ReportFilesDisagree, DiagnosticSeverity.Warning,
                $"the report files disagree: {problem}; every result of the injection is held for review", other.Source.File, other.Source.Line));
            Add(string.Empty, $"cross-check: {problem}");
        }

        return flags;

        void Add(string key, string flag)
        {
            if (!flags.TryGetValue(key, out var list))
            {
                flags[key] = list = [];
            }

            list.Add(flag);
        }
    }

    private static string? ComparePresence(InstrumentResult a, InstrumentResult b) =>
        (a.Value.Kind == ValueKind.NotDetected) == (b.Value.Kind == ValueKind.NotDetected) ? null : "presence";

    private static string? CompareValues(InstrumentResult a, InstrumentResult b)
    {
        if (a.Value.Kind != b.Value.Kind)
        {
            return "kind";
        }

        if (a.Value.Number is not decimal x || b.Value.Number is not decimal y)
        {
            return null;
        }

        if (UnitSpellings.TryResolve(a.RawUnit, out var unitA) && UnitSpellings.TryResolve(b.RawUnit, out var unitB))
        {
            if (unitA.Dimension != unitB.Dimension)
            {
                return "unit";
            }

            var converted = UnitConversion.Convert(y, unitB, unitA, null);
            if (converted.Value is not decimal inA)
            {
                return "unit";
            }

            y = inA;
        }
        else if (!string.Equals(a.RawUnit?.Trim(), b.RawUnit?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "unit";
        }

        // The files print different precision (Report.TXT 6 significant digits, the CSV and XML more): compare
        // within the coarser of the two printed resolutions.
        var scale = Math.Max(Math.Abs(x), Math.Abs(y));
        if (scale == 0m)
        {
            return null;
        }

        var tolerance = Math.Max(RelativeResolution(a.RawValueText, x), RelativeResolution(b.RawValueText, b.Value.Number!.Value));
        return Math.Abs(x - y) / scale <= tolerance + 1e-9m ? null : "amount";
    }

    /// <summary>Half a unit in the last printed digit, relative to the value: <c>531.23458</c> → 0.000005 / 531.23458.</summary>
    internal static decimal RelativeResolution(string text, decimal value)
    {
        var t = text.Trim();
        var exponent = 0;
        var e = t.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(t[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return 0m;
            }

            t = t[..e];
        }

        var point = t.IndexOf('.', StringComparison.Ordinal);
        var decimals = point < 0 ? 0 : t.Length - point - 1;
        var places = Math.Clamp(decimals - exponent, -20, 20);
        var half = 0.5m;
        for (var i = 0; i < Math.Abs(places); i++)
        {
            half = places > 0 ? half / 10m : half * 10m;
        }

        return value == 0m ? 0m : half / Math.Abs(value);
    }

    private static string Describe(InstrumentResult row) => row.Value.Kind switch
    {
        ValueKind.Number => $"{row.RawValueText.Trim()} {row.RawUnit}".TrimEnd(),
        ValueKind.NotDetected => "not found",
        _ => $"'{row.RawValueText.Trim()}' ({row.Value.Qualifier})",
    };

    private static string Name(ChemStationInjection injection) => injection.File ?? injection.Kind;
}
