using System.Globalization;
using MirtLab.Core.Catalog;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Core.Units;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>The rows and run facts of one ChemStation injection.</summary>
internal sealed record ChemStationRead(List<InstrumentResult> Rows, RunInfo Info);

/// <summary>
/// MirtLab's rules for ChemStation injections, whichever report file they came from:
/// <list type="bullet">
/// <item>Value = the quantified <c>Amount</c> in its declared unit. A report without amounts (area percent, or amounts
/// in %) gives rows with "no value" and a warning: an area is never a concentration.</item>
/// <item>A calibrated compound that was not found (the file says so, or its row is blank-typed with area 0, the
/// "row of zeros") is <em>not detected</em>, never 0; its retention time is the expected one and is dropped.</item>
/// <item>An amount of exactly 0 for a detected peak is <em>not reportable</em>: ChemStation sets negative results to zero.</item>
/// <item>Unidentified peaks (<c>?</c>, no name) and ACAML groups are skipped with one info diagnostic: they are not analytes.</item>
/// <item>The sample type maps through <see cref="VendorSampleTypes"/>; a report that states none is read as a patient
/// sample and every row carries a vendor flag, so nothing is released unseen.</item>
/// <item>The report's own warnings (<c>Msg n</c>) become run properties, warnings and vendor flags on every row.</item>
/// <item>A compound twice in one injection (two signals, two peaks) is an error: which value is meant cannot be told.</item>
/// </list>
/// </summary>
internal static class ChemStationRows
{
    private static readonly string[] ChemStationDateFormats =
    [
        "d-MMM-yy h:mm:ss tt", "d-MMM-yy, h:mm:ss tt", "d-MMM-yyyy h:mm:ss tt", "d-MMM-yy H:mm:ss", "d-MMM-yy, H:mm:ss",
    ];

    /// <summary>
    /// True for a peak type marked as internal standard: ChemStation ISTD reports print <c>I</c> as the last, separate
    /// code of the type column (<c>FM   I</c>), apart from the integration codes (<c>MM N</c>, <c>BV E</c>).
    /// </summary>
    public static bool IsInternalStandardType(string? type)
    {
        if (type is null)
        {
            return false;
        }

        var codes = type.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return codes.Length >= 2 && codes[^1] == "I";
    }

    /// <param name="injection">The injection as its report file describes it.</param>
    /// <param name="context">The instrument's culture, date formats and default unit.</param>
    /// <param name="sink">Where diagnostics go.</param>
    /// <param name="extraFlags">Vendor flags to add by compound key (<see cref="AnalyteCatalog.Key"/>; "" = every row), from the cross-check.</param>
    public static ChemStationRead Build(
        ChemStationInjection injection, ReaderContext context, IReadSink sink, IReadOnlyDictionary<string, List<string>>? extraFlags = null)
    {
        var errorsAtStart = sink.ErrorCount;
        var rows = new List<InstrumentResult>();
        var file = injection.File;
        var operatorName = injection.Operator?.Text;

        var sampleName = injection.SampleName?.Text.Trim();
        if (string.IsNullOrEmpty(sampleName))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
                $"the {injection.Kind} names no sample (no or an empty sample name): its results cannot be attributed to anyone",
                file, injection.SampleName?.Line));
            return new ChemStationRead(rows, Info());
        }

        var common = new List<string>();
        var sampleType = SampleType.Unknown;
        if (injection.SampleType is { } stated)
        {
            if (!VendorSampleTypes.TryMap(stated.Text, out sampleType))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnknownSampleType, DiagnosticSeverity.Error,
                    $"sample type '{stated.Text}' is not one MirtLab knows ({string.Join(", ", VendorSampleTypes.Known.Take(10))}, …)",
                    file, stated.Line, stated.Column));
                return new ChemStationRead(rows, Info());
            }
        }
        else
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.SampleTypeNotStated, DiagnosticSeverity.Warning,
                $"the {injection.Kind} states no sample type: its rows are read as a patient sample and held for review " +
                "(MirtLab's sample-name patterns still recognise blanks); set the report to include the sample type",
                file));
            common.Add("ChemStation: the report states no sample type; read as a patient sample");
        }

        var acquired = injection.AcquiredLocal;
        if (acquired is null && injection.InjectionDate is { } date && !TryParseDate(date.Text, context, out acquired))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnparsableDate, DiagnosticSeverity.Error,
                $"injection date '{date.Text}' is not a date in culture {CultureName(context.Culture)} or the configured formats",
                file, date.Line, date.Column));
        }

        if (injection.Operator is { } op && TryParseDate(op.Text, context, out var operatorDate) && operatorDate is not null)
        {
            // ChemStation has been seen writing the injection date into "Acq. Operator".
            operatorName = null;
            var used = acquired is null;
            acquired ??= operatorDate;
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.AcquisitionTimeNote, DiagnosticSeverity.Info,
                $"the operator field holds '{op.Text}', a date, not an operator (a ChemStation export quirk); the operator is left empty" +
                (used ? " and the date is used as the injection date, as the report states no other" : string.Empty),
                file, op.Line));
        }

        decimal? dilution = null;
        if (injection.Dilution is { } d)
        {
            if (InstrumentNumber.TryParseDecimal(d.Text, CultureInfo.InvariantCulture, out var factor))
            {
                dilution = factor;
            }
            else
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnparsableNumber, DiagnosticSeverity.Error,
                    $"dilution '{d.Text}' is not a number", file, d.Line, d.Column));
            }
        }

        foreach (var message in injection.Messages)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.VendorReportMessage, DiagnosticSeverity.Warning,
                $"ChemStation reports: '{message.Text}'; every result of this injection carries it as a vendor flag", file, message.Line));
            common.Add($"ChemStation: {message.Text}");
        }

        if (sink.ErrorCount > errorsAtStart)
        {
            return new ChemStationRead(rows, Info());
        }

        var suspectUnit = injection.HasAmounts
            ? injection.Peaks.Select(p => p.AmountUnit).FirstOrDefault(u => UnitSpellings.TryResolve(u, out var unit) && unit.Equals(UcumUnit.NanogramPerMicroliter))
            : null;
        if (suspectUnit is not null)
        {
            // ChemStation labels amounts "ng/ul" until someone sets the method's unit. A serum level in ng/µL would be
            // a thousand times any clinical value, so the label was more likely never set: converting the value as
            // labelled would then be wrong by a factor of 1000. A person confirms before release.
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.SuspectAmountUnit, DiagnosticSeverity.Warning,
                $"the amounts are labelled '{suspectUnit}', ChemStation's default amount unit, in which no serum level is reported: " +
                "confirm the method's amount unit (Calibration Settings) before these results are released; they are held",
                file));
        }

        var seen = new Dictionary<string, ChemStationPeak>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var peak in injection.Peaks)
        {
            if (ChemStationLines.TooManyErrors(context, sink, peak.File, peak.Line))
            {
                break;
            }

            if (peak.State is PeakState.Unidentified or PeakState.NotAnAnalyte)
            {
                skipped++;
                continue;
            }

            var key = AnalyteCatalog.Key(peak.Compound);
            string? measuredTwice = null;
            if (seen.TryGetValue(key, out var first))
            {
                if (string.Equals(first.Signal, peak.Signal, StringComparison.Ordinal) && string.Equals(first.File, peak.File, StringComparison.Ordinal))
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                        $"compound '{peak.Compound}' appears twice on one signal of this injection ({Where(first)} and {Where(peak)}): which value is meant cannot be told",
                        peak.File, peak.Line));
                    continue;
                }

                // The same compound calibrated on two detectors (signals) is two measurements, not a corrupt
                // report: both are read and held, and QA decides which one is the result.
                measuredTwice = $"ChemStation: '{peak.Compound}' is quantified on two signals ({Where(first)} and {Where(peak)}); QA chooses which one is reported";
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Warning, measuredTwice, peak.File, peak.Line));
                var firstRow = rows.FirstOrDefault(r => r.Source.File == first.File && r.Source.Line == first.Line);
                if (firstRow is not null)
                {
                    rows[rows.IndexOf(firstRow)] = firstRow.WithVendorFlag(measuredTwice);
                }
            }
            else
            {
                seen[key] = peak;
            }

            var row = BuildRow(peak);
            if (row is not null && measuredTwice is not null)
            {
                row = row.WithVendorFlag(measuredTwice);
            }
            if (row is not null)
            {
                rows.Add(row);
            }
        }

        if (skipped > 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnidentifiedPeaksSkipped, DiagnosticSeverity.Info,
                string.Create(CultureInfo.InvariantCulture,
                    $"{skipped} of {injection.Peaks.Count} peak(s) have no compound ('?', an empty name, or an ACAML group/unknown) and were skipped: they are not analytes"),
                file));
        }

        if (rows.Count == 0 && sink.ErrorCount == errorsAtStart)
        {
            // Read to the end, but nothing in it names a compound: archived with this warning, nothing published.
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NothingToReport, DiagnosticSeverity.Warning,
                injection.Peaks.Count == 0
                    ? $"the {injection.Kind} holds no peaks and no calibrated compounds: there is nothing to report"
                    : string.Create(CultureInfo.InvariantCulture, $"the {injection.Kind} identifies no compound: all {injection.Peaks.Count} peak(s) are unidentified, so nothing in it is an analyte"),
                file));
        }
        else if (rows.Count > 0 && !injection.HasAmounts)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoAmountInReport, DiagnosticSeverity.Warning,
                $"the {injection.Kind} has no amounts (an area-percent report, or amounts in %): its rows carry areas and retention times but no concentration, so every value is 'no value'",
                file));
        }

        return new ChemStationRead(rows, Info());

        RunInfo Info() => new()
        {
            BatchName = injection.Sequence,
            InstrumentName = injection.Instrument,
            AcquisitionMethod = injection.Method,
            Operator = operatorName,
            Properties = new Dictionary<string, string>(injection.Properties, StringComparer.Ordinal),
        };

        InstrumentResult? BuildRow(ChemStationPeak peak)
        {
            var flags = new List<string>(common);
            flags.AddRange(peak.Flags);
            if (extraFlags is not null)
            {
                flags.AddRange(extraFlags.GetValueOrDefault(string.Empty) ?? []);
                flags.AddRange(extraFlags.GetValueOrDefault(AnalyteCatalog.Key(peak.Compound)) ?? []);
            }

            var unit = peak.AmountUnit ?? context.DefaultUnit;
            if (suspectUnit is not null && string.Equals(peak.AmountUnit, suspectUnit, StringComparison.Ordinal))
            {
                flags.Add($"ChemStation: amount unit '{suspectUnit}' is the software's default label; confirm the method's unit");
            }

            var notFound = peak.State == PeakState.NotFound
                || (peak.PeakType is { } type && type.Trim().Length == 0 && peak.Area == 0d);
            var raw = peak.AmountText ?? string.Empty;
            ResultValue value;
            if (notFound)
            {
                value = ResultValue.NotDetected("Not Found");
            }
            else if (!injection.HasAmounts || string.Equals(unit, "%", StringComparison.Ordinal))
            {
                value = ResultValue.NoValue("no amount in report");
                raw = string.Empty;
                unit = null;
            }
            else if (raw.Trim().Length == 0)
            {
                value = ResultValue.NoValue(raw);
            }
            else
            {
                var parse = InstrumentNumber.ParseValue(raw, CultureInfo.InvariantCulture, out value);
                if (parse == CellParse.Invalid)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnparsableNumber, DiagnosticSeverity.Error,
                        $"amount '{raw}' of '{peak.Compound}' is not a number nor a known no-value token", peak.File, peak.Line, peak.AmountColumn));
                    return null;
                }

                if (value.Number == 0m)
                {
                    value = ResultValue.NotReportable(raw.Trim());
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.ZeroAmountForDetectedPeak, DiagnosticSeverity.Warning,
                        string.Create(CultureInfo.InvariantCulture,
                            $"'{peak.Compound}' has a peak (area {peak.Area}) but amount {raw.Trim()}: ChemStation sets negative results to zero, so this is no measured 0; reported as not reportable"),
                        peak.File, peak.Line, peak.AmountColumn));
                    flags.Add("ChemStation: amount 0 for a detected peak (negative results are set to zero)");
                }
                else if (value.Number < 0m)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NegativeConcentration, DiagnosticSeverity.Warning,
                        $"'{peak.Compound}' has a negative amount {raw.Trim()}", peak.File, peak.Line, peak.AmountColumn));
                    flags.Add("ChemStation: negative amount");
                }
            }

            var istd = peak.IsInternalStandard ? null : InternalStandardOf(peak);
            return new InstrumentResult
            {
                Source = new SourcePosition(peak.File, peak.Line),
                SampleName = sampleName,
                SampleId = injection.SampleId?.Text,
                SampleType = sampleType,
                VendorSampleType = injection.SampleType?.Text,
                Level = injection.Level?.Text,
                RawAnalyte = peak.Compound,
                IsInternalStandard = peak.IsInternalStandard,
                InternalStandard = istd?.Name,
                RawValueText = raw,
                Value = value,
                RawUnit = unit,
                Area = notFound ? null : peak.Area,
                Height = notFound ? null : peak.Height,
                RetentionTime = notFound ? null : peak.RetentionTime,
                InternalStandardArea = istd?.Peak?.Area,
                InternalStandardRetentionTime = istd?.Peak?.RetentionTime,
                DilutionFactor = dilution,
                AcquiredLocal = acquired,
                Comment = injection.Comment?.Text,
                VendorFlags = flags,
            };
        }

        (string Name, ChemStationPeak? Peak)? InternalStandardOf(ChemStationPeak peak)
        {
            if (peak.InternalStandardReference is not { } reference)
            {
                return null;
            }

            var candidates = injection.Peaks.Where(p => p.IsInternalStandard && p.State != PeakState.NotFound).ToList();
            string? name = injection.InternalStandards.TryGetValue(reference, out var listed) ? listed : null;
            var match = candidates.Where(p => name is null ? p.InternalStandardReference == reference : AnalyteCatalog.Key(p.Compound) == AnalyteCatalog.Key(name))
                .OrderBy(p => p.Signal == peak.Signal ? 0 : 1)
                .FirstOrDefault();
            name ??= match?.Compound;
            return name is null ? null : (name, match);
        }
    }

    /// <summary>Parses a ChemStation date: the configured and vendor formats first, then ChemStation's own 12-hour forms.</summary>
    public static bool TryParseDate(string text, ReaderContext context, out DateTime? value)
    {
        if (InstrumentDate.TryParse(text, context, out value))
        {
            return true;
        }

        var trimmed = text.Trim();
        foreach (var culture in new[] { context.Culture, CultureInfo.InvariantCulture })
        {
            if (DateTime.TryParseExact(trimmed, ChemStationDateFormats, culture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
            {
                value = DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
                return true;
            }
        }

        value = null;
        return false;
    }

    private static string Where(ChemStationPeak peak) =>
        string.Create(CultureInfo.InvariantCulture, $"{(peak.Signal is null ? string.Empty : peak.Signal + ", ")}{peak.File ?? "line"}{(peak.File is null ? " " : " line ")}{peak.Line}");

    private static string CultureName(CultureInfo culture) => culture.Name.Length == 0 ? "invariant" : culture.Name;
}
