using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Sciex;

/// <summary>
/// SCIEX Analyst Quantitation "Results Table" text export (FORMATS.md): tab-delimited, every line ending
/// in a tab; per-peak blocks (<c>Peak Name:</c>, internal standard, Q1/Q3), a regression block per analyte,
/// then a table of about 80 columns with one row per sample × analyte. Reads the short-label export
/// (<c>Peak Name</c>, <c>Calc.Conc.</c>) and the full-label one (<c>Analyte Peak Name</c>,
/// <c>Calculated Concentration (ng/mL)</c>).
/// </summary>
public sealed class SciexAnalystResultsReader : IInstrumentReader
{
    public const string Id = "sciex-analyst-results";

    public string FormatId => Id;

    public string Description => "SCIEX Analyst Quantitation results table (text export)";

    public int Probe(SourceProbe probe)
    {
        if (probe.Source.IsFolder || probe.Files.Count != 1)
        {
            return 0;
        }

        var lines = probe.Files[0].Lines;
        var first = lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? string.Empty;
        if (first.StartsWith("Peak Name:", StringComparison.Ordinal))
        {
            return 100;
        }

        // A table without the peak blocks (some exports start at the header).
        var header = lines.FirstOrDefault(l => l.StartsWith("Sample Name\t", StringComparison.Ordinal));
        if (header is not null
            && !header.Contains("\tComponent Name\t", StringComparison.Ordinal)
            && (header.Contains("\tPeak Name\t", StringComparison.Ordinal) || header.Contains("\tAnalyte Peak Name\t", StringComparison.Ordinal))
            && (header.Contains("\tFiletype\t", StringComparison.Ordinal) || header.Contains("\tSample Type\t", StringComparison.Ordinal)))
        {
            return 90;
        }

        return 0;
    }

    public void Read(ReadSource source, ReaderContext context, IReadSink sink)
    {
        var file = source.Files[0];
        var (text, encoding) = TextDecoder.OpenText(file);
        if (text is null)
        {
            sink.OnDiagnostic(new Diagnostic(
                encoding.Kind == TextKind.Empty ? DiagnosticCodes.EmptyInput : DiagnosticCodes.BinaryInput,
                DiagnosticSeverity.Error,
                encoding.Kind == TextKind.Empty ? "the file is empty" : "the file is binary, not an Analyst text export"));
            return;
        }

        using var lines = new LineReader(text, context.MaxLineLength);
        try
        {
            var header = ReadHeader(lines, context, sink);
            if (header is null)
            {
                return;
            }

            ReadTable(lines, header.Value.Fields, header.Value.Line, context, sink);
        }
        catch (DecoderFallbackException ex)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                $"the text cannot be decoded as {encoding.Name}: {ex.Message}", Line: lines.LineNumber + 1));
        }
    }

    private static (List<string> Fields, int Line)? ReadHeader(LineReader lines, ReaderContext context, IReadSink sink)
    {
        var calibrations = new List<VendorCalibration>();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        string? currentPeak = null;
        string? currentInternalStandard = null;
        RegressionBuilder? regression = null;
        var fields = new List<string>();

        while (lines.TryReadLine(out var line, out var tooLong))
        {
            if (tooLong)
            {
                ReportLineTooLong(lines.LineNumber, context, sink);
                return null;
            }

            Fields.Split(line, '\t', fields);
            var key = fields.Count > 0 ? fields[0] : string.Empty;
            if (key.Length == 0 && fields.All(f => f.Length == 0))
            {
                continue;
            }

            if (string.Equals(key, "Sample Name", StringComparison.Ordinal))
            {
                Flush();
                sink.OnRunInfo(new RunInfo { Calibrations = calibrations, Properties = properties });
                return (new List<string>(fields), lines.LineNumber);
            }

            if (key.StartsWith("Peak Name:", StringComparison.Ordinal))
            {
                Flush();
                currentPeak = key["Peak Name:".Length..].Trim();
                currentInternalStandard = null;
            }
            else if (key.StartsWith("Internal Standard:", StringComparison.Ordinal))
            {
                currentInternalStandard = key["Internal Standard:".Length..].Trim();
            }
            else if (key is "Use as Internal Standard")
            {
                properties[$"Internal standard: {currentPeak}"] = "yes";
            }
            else if (key.StartsWith("Q1/Q3 Masses:", StringComparison.Ordinal))
            {
                properties[$"Q1/Q3 {currentPeak}"] = key["Q1/Q3 Masses:".Length..].Trim();
            }
            else if (key == "Fit")
            {
                Flush();
                regression = new RegressionBuilder(currentPeak ?? string.Empty, currentInternalStandard, lines.LineNumber);
                regression.ReadFitLine(fields, context, sink);
            }
            else if (regression is not null && regression.TryReadLine(fields, lines.LineNumber, context, sink))
            {
                // consumed by the regression block
            }
            else
            {
                properties[$"line {lines.LineNumber.ToString(CultureInfo.InvariantCulture)}"] = string.Join(" ", fields.Where(f => f.Length > 0));
            }
        }

        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
            "no results table: expected a header line starting with 'Sample Name' after the peak and regression blocks",
            Line: Math.Max(1, lines.LineNumber)));
        return null;

        void Flush()
        {
            if (regression?.Build(sink, properties) is VendorCalibration calibration)
            {
                calibrations.Add(calibration);
            }

            regression = null;
        }
    }

    private static void ReadTable(LineReader lines, List<string> header, int headerLine, ReaderContext context, IReadSink sink)
    {
        var columns = new HeaderColumns(header);
        var map = AnalystColumns.Resolve(columns);
        var missing = map.Missing().ToList();
        if (missing.Count > 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                $"the results table has no {string.Join(", ", missing)} column; the header names: {string.Join(", ", header.Where(h => h.Length > 0).Take(12))}…",
                Line: headerLine));
            return;
        }

        if (map.CalculatedConcentration.Unit is string calculatedUnit && map.Nominal.Unit is string nominalUnit
            && !UnitText.SameUnit(calculatedUnit, nominalUnit))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.ConflictingUnit, DiagnosticSeverity.Error,
                $"the header gives calculated concentrations in '{calculatedUnit}' (column '{map.CalculatedConcentration.Header}') but nominal concentrations in '{nominalUnit}' (column '{map.Nominal.Header}'); one of them is wrong",
                Line: headerLine, Column: map.Nominal.Number));
            return;
        }

        // An injection is its name, ID and acquisition time: labs name every blank "Blank", so a repeated name
        // alone is no duplicate; the same injection twice is.
        var seen = new Dictionary<(string, string, DateTime?, string), int>();
        var fields = new List<string>(header.Count);
        (int Line, int Count)? shortRow = null;
        while (lines.TryReadLine(out var line, out var tooLong))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (sink.ErrorCount >= context.MaxErrors)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.TruncatedInput, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"stopped reading after {context.MaxErrors} errors"), Line: lines.LineNumber));
                return;
            }

            if (tooLong)
            {
                ReportLineTooLong(lines.LineNumber, context, sink);
                continue;
            }

            if (line.AsSpan().Trim().IsEmpty)
            {
                continue;
            }

            if (shortRow is { } pending)
            {
                ReportFieldCount(pending.Line, pending.Count, header.Count, truncated: false, sink);
                shortRow = null;
            }

            Fields.Split(line, '\t', fields);
            if (fields.Count != header.Count)
            {
                // Decide at the next line whether this was the last one (a truncated file) or a bad row.
                shortRow = (lines.LineNumber, fields.Count);
                continue;
            }

            var result = ReadRow(fields, map, lines.LineNumber, context, sink);
            if (result is null)
            {
                continue;
            }

            var identity = (result.SampleName, result.SampleId ?? string.Empty, result.AcquiredLocal, result.RawAnalyte);
            if (seen.TryGetValue(identity, out var firstLine))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"sample '{result.SampleName}' (ID '{result.SampleId}', acquired {result.AcquiredLocal?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "at an unknown time"}) × '{result.RawAnalyte}' appears twice; first at line {firstLine}"),
                    Line: lines.LineNumber));
                continue;
            }

            seen[identity] = lines.LineNumber;
            sink.OnResult(result);
        }

        if (shortRow is { } last)
        {
            ReportFieldCount(last.Line, last.Count, header.Count, truncated: true, sink);
        }

        if (seen.Count == 0 && sink.ErrorCount == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoResults, DiagnosticSeverity.Error,
                "the results table has a header but no rows", Line: headerLine));
        }
    }

    private static InstrumentResult? ReadRow(List<string> fields, AnalystColumns map, int line, ReaderContext context, IReadSink sink)
    {
        var errorsBefore = sink.ErrorCount;
        var culture = context.Culture;
        var sampleName = map.SampleName.Get(fields);
        var analyte = map.Analyte.Get(fields);
        if (sampleName.Length == 0)
        {
            Error(DiagnosticCodes.MissingSampleOrCompound, map.SampleName, "the sample name is empty; a result without one cannot be attributed");
        }

        if (analyte.Length == 0)
        {
            Error(DiagnosticCodes.MissingSampleOrCompound, map.Analyte, "the peak name is empty; a result without one cannot be attributed");
        }

        var vendorType = map.SampleType.Get(fields);
        if (!VendorSampleTypes.TryMap(vendorType, out var sampleType))
        {
            Error(DiagnosticCodes.UnknownSampleType, map.SampleType, $"sample type '{vendorType}' is not one MirtLab knows ({string.Join(", ", VendorSampleTypes.Known.Take(8))}, …)");
        }

        var rawValue = map.CalculatedConcentration.Get(fields);
        if (InstrumentNumber.ParseValue(rawValue, culture, out var value) == CellParse.Invalid)
        {
            Error(DiagnosticCodes.UnparsableNumber, map.CalculatedConcentration, $"calculated concentration '{rawValue}' is not a number in culture {SciexCells.CultureName(culture)} nor a known no-value token");
        }

        var nominal = Decimal(map.Nominal, "concentration");
        var dilution = Decimal(map.DilutionFactor, "dilution factor");
        var accuracy = Decimal(map.Accuracy, "accuracy");
        DateTime? acquired = null;
        var dateText = map.AcquisitionDate.Get(fields);
        if (map.AcquisitionDate.Exists && !InstrumentDate.TryParse(dateText, context, out acquired))
        {
            Error(DiagnosticCodes.UnparsableDate, map.AcquisitionDate, $"acquisition date '{dateText}' is not a date in culture {SciexCells.CultureName(culture)} or the configured formats");
        }

        // The full-label export carries the unit twice: per row (Analyte Units) and in the column name
        // (Calculated Concentration (ng/mL)). When they disagree, neither is trusted.
        var unit = map.Units.Exists ? NullIfEmpty(map.Units.Get(fields)) : null;
        var headerUnit = map.CalculatedConcentration.Unit ?? map.Nominal.Unit;
        if (unit is not null && headerUnit is not null && !UnitText.SameUnit(unit, headerUnit))
        {
            Error(DiagnosticCodes.ConflictingUnit, map.Units, $"unit '{unit}' disagrees with the unit '{headerUnit}' in the concentration column's header");
        }

        unit ??= headerUnit ?? context.DefaultUnit;
        var area = Double(map.Area, "area");
        var height = Double(map.Height, "height");
        var internalStandardArea = Double(map.InternalStandardArea, "IS area");
        var retentionTime = Double(map.RetentionTime, "retention time");
        var internalStandardRetentionTime = Double(map.InternalStandardRetentionTime, "IS retention time");
        var signalToNoise = Double(map.SignalToNoise, "S/N");
        var use = map.UseRecord.Get(fields);
        var flags = new List<string>();
        if (map.RecordModified.Get(fields) == "1")
        {
            flags.Add("Analyst: record modified (integration changed by hand)");
        }

        if (sink.ErrorCount > errorsBefore)
        {
            return null;
        }

        return new InstrumentResult
        {
            Source = new SourcePosition(null, line),
            SampleName = sampleName,
            SampleId = NullIfEmpty(map.SampleId.Get(fields)),
            SampleType = sampleType,
            VendorSampleType = vendorType,
            RawAnalyte = analyte,
            InternalStandard = NullIfEmpty(map.InternalStandardName.Get(fields)),
            RawValueText = rawValue,
            Value = value,
            RawUnit = unit,
            Nominal = nominal,
            Area = area,
            Height = height,
            InternalStandardArea = internalStandardArea,
            RetentionTime = retentionTime,
            InternalStandardRetentionTime = internalStandardRetentionTime,
            SignalToNoise = signalToNoise,
            DilutionFactor = dilution,
            UsedInCalibration = use switch { "1" => true, "0" => false, _ => null },
            VendorAccuracy = accuracy,
            AcquiredLocal = acquired,
            Comment = NullIfEmpty(map.Comment.Get(fields)),
            VendorFlags = flags,
        };

        decimal? Decimal(Column column, string what) => SciexCells.Decimal(fields, column, what, culture, line, sink);

        double? Double(Column column, string what) => SciexCells.Double(fields, column, what, culture, line, sink);

        void Error(string code, Column column, string message) => SciexCells.Error(sink, line, code, column, message);
    }

    private static void ReportFieldCount(int line, int count, int expected, bool truncated, IReadSink sink)
    {
        sink.OnDiagnostic(new Diagnostic(
            truncated ? DiagnosticCodes.TruncatedInput : DiagnosticCodes.WrongFieldCount,
            DiagnosticSeverity.Error,
            truncated
                ? string.Create(CultureInfo.InvariantCulture, $"the last row has {count} fields where the header has {expected}: the file looks truncated")
                : string.Create(CultureInfo.InvariantCulture, $"the row has {count} fields where the header has {expected}"),
            Line: line,
            Column: Math.Min(count, expected) + 1));
    }

    private static void ReportLineTooLong(int line, ReaderContext context, IReadSink sink) =>
        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
            string.Create(CultureInfo.InvariantCulture, $"the line is longer than {context.MaxLineLength} characters; this is not an Analyst text export"), Line: line));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;


    /// <summary>
    /// Collects one "Fit ..." block: fit, weighting, coefficients, r, response. Linear and quadratic fits with a
    /// weighting Analyst documents become a <see cref="VendorCalibration"/>. Analyst's other fits (Linear Through
    /// Zero, Mean Response Factor, Power) and any weighting MirtLab does not know are kept verbatim in the run
    /// properties (<c>Regression {analyte}</c>) with a warning: the reported concentrations are Analyst's either way,
    /// but a curve MirtLab cannot model is never passed on as one it can.
    /// </summary>
    private sealed class RegressionBuilder(string analyte, string? internalStandard, int line)
    {
        private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
        private readonly List<string> _text = [];
        private string _fitText = string.Empty;
        private string _weightingText = string.Empty;
        private FitModel? _fit;
        private Weighting? _weighting;
        private string? _response;
        private bool _closed;

        public void ReadFitLine(List<string> fields, ReaderContext context, IReadSink sink)
        {
            for (var i = 0; i + 1 < fields.Count; i += 2)
            {
                var value = fields[i + 1];
                switch (fields[i])
                {
                    case "Fit":
                        _fitText = value;
                        _fit = value switch
                        {
                            "Linear" => FitModel.Linear,
                            "Quadratic" => FitModel.Quadratic,
                            _ => null,
                        };
                        break;
                    case "Weighting":
                        _weightingText = value;
                        _weighting = ParseWeighting(value);
                        break;
                }

                if (fields[i].Length > 0)
                {
                    _text.Add($"{fields[i]}: {value}");
                }
            }
        }

        public bool TryReadLine(List<string> fields, int lineNumber, ReaderContext context, IReadSink sink)
        {
            var key = fields[0];
            if (_closed || key.Length == 0)
            {
                return false;
            }

            var values = fields.Skip(1).Where(f => f.Length > 0).ToList();
            _text.Add(values.Count == 0 ? key : $"{key}: {string.Join(" ", values)}");
            if (key is "Use Area" or "Use Height")
            {
                _response = key == "Use Area" ? "area" : "height";
                _closed = true;
                return true;
            }

            if (key is not ("Intercept" or "Slope" or "a0" or "a1" or "a2" or "Correlation coefficient"))
            {
                // A line of a fit MirtLab does not model (its coefficients): kept with the block's text.
                return true;
            }

            var text = fields.Count > 1 ? fields[1] : string.Empty;
            if (InstrumentNumber.TryParseDouble(text, context.Culture, out var number))
            {
                _values[key] = number;
            }
            else
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Warning,
                    $"regression value '{key}' = '{text}' is not a number; the vendor curve of {analyte} is incomplete", Line: lineNumber, Column: 2));
            }

            return true;
        }

        public VendorCalibration? Build(IReadSink sink, Dictionary<string, string> properties)
        {
            if (_fit is not FitModel fit)
            {
                KeepAsText(sink, properties, $"fit '{_fitText}' of {analyte} is not one MirtLab models (Linear, Quadratic); the vendor curve is kept as text in the run properties");
                return null;
            }

            if (_weighting is not Weighting weighting)
            {
                KeepAsText(sink, properties, $"weighting '{_weightingText}' of {analyte} is not one Analyst documents (None, 1 / x, 1 / x², 1 / y, 1 / y², ln x, ln y); the vendor curve is kept as text in the run properties");
                return null;
            }

            string[] keys = fit == FitModel.Linear ? ["Intercept", "Slope"] : ["a0", "a1", "a2"];
            var coefficients = new List<double>();
            foreach (var key in keys)
            {
                if (!_values.TryGetValue(key, out var c))
                {
                    properties[$"Regression {analyte}"] = string.Join("; ", _text);
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Warning,
                        $"the {fit} regression block of {analyte} has no '{key}'; the vendor curve is kept as text in the run properties", Line: line));
                    return null;
                }

                coefficients.Add(c);
            }

            double? r = _values.TryGetValue("Correlation coefficient", out var rr) ? rr : null;
            return new VendorCalibration(analyte, internalStandard, fit, weighting, coefficients, r, _response, line);
        }

        private void KeepAsText(IReadSink sink, Dictionary<string, string> properties, string message)
        {
            properties[$"Regression {analyte}"] = string.Join("; ", _text);
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnmodelledRegression, DiagnosticSeverity.Warning, message, Line: line));
        }

        /// <summary>
        /// Analyst writes its seven weightings as <c>None</c>, <c>1  / x</c>, <c>1  / (x * x)</c> and so on (the
        /// spacing varies, so it is ignored); the y and ln forms follow the same pattern.
        /// </summary>
        internal static Weighting? ParseWeighting(string text)
        {
            var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
            return compact switch
            {
                "NONE" => Weighting.None,
                "1/X" => Weighting.OneOverX,
                "1/(X*X)" or "1/X^2" or "1/X²" or "1/X2" => Weighting.OneOverXSquared,
                "1/Y" => Weighting.OneOverY,
                "1/(Y*Y)" or "1/Y^2" or "1/Y²" or "1/Y2" => Weighting.OneOverYSquared,
                "LNX" or "LN(X)" => Weighting.LnX,
                "LNY" or "LN(Y)" => Weighting.LnY,
                _ => null,
            };
        }
    }
}
