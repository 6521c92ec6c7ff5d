using System.Globalization;
using System.Text.RegularExpressions;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// ChemStation's CSV report: <c>Report00.CSV</c> holds the injection's facts as <c>"key",value,"extra"</c> rows and
/// declares the columns (<c>Number of Columns</c>, <c>Column n</c> = name, unit) of the headerless per-signal files
/// <c>REPORT01.CSV</c>, <c>REPORT02.CSV</c>, … (one per <c>Signal n</c>; a signal without peaks is a BOM-only file).
/// </summary>
internal static partial class ChemStationCsvReport
{
    public const string Kind = "Report00.CSV";

    /// <summary>True when a file's decoded start is a Report00.CSV: its first row is the sample name.</summary>
    public static bool Looks(ProbedFile file) =>
        file.Lines.Count > 0 && file.Lines[0].TrimStart().StartsWith("\"Sample Name\",", StringComparison.Ordinal);

    /// <summary>The signal number of a per-signal file (<c>REPORT01.CSV</c> → 1), or null when the name is not one.</summary>
    public static int? SignalNumber(string fileName)
    {
        var match = SignalFileName().Match(fileName);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    public static ChemStationInjection? Read(SourceFile report00, IReadOnlyList<SourceFile> signalFiles, ReaderContext context, IReadSink sink)
    {
        var file = report00.RelativePath;
        var lines = ChemStationLines.Read(report00, file, context, sink);
        if (lines is null)
        {
            return null;
        }

        if (lines.Count == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.EmptyInput, DiagnosticSeverity.Error,
                "Report00.CSV is empty (a byte-order mark and nothing else)", file));
            return null;
        }

        var errorsAtStart = sink.ErrorCount;
        var injection = new ChemStationInjection { File = file, Kind = Kind, HasAmounts = false };
        var signals = new SortedDictionary<int, string>();
        var columns = new SortedDictionary<int, (string Name, string Unit, int Line)>();
        (int Count, int Line)? declaredSignals = null;
        (int Count, int Line)? declaredColumns = null;
        (int Count, int Line)? declaredMessages = null;
        var fields = new List<string>(3);

        for (var i = 0; i < lines.Count; i++)
        {
            var number = i + 1;
            if (lines[i].AsSpan().Trim().IsEmpty)
            {
                continue;
            }

            if (ChemStationLines.TooManyErrors(context, sink, file, number))
            {
                return null;
            }

            Fields.Split(lines[i], ',', fields);
            if (fields.Count != 3)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.WrongFieldCount, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"the row has {fields.Count} fields; every Report00.CSV row is \"key\",value,\"extra\" (3 fields)"),
                    file, number, Math.Min(fields.Count, 3) + 1));
                continue;
            }

            var key = fields[0].Trim().TrimEnd(':').Trim();
            var value = fields[1];
            var extra = fields[2];
            var located = new ChemStationText(value, number, 2);
            var indexed = IndexedKey().Match(key);
            if (indexed.Success)
            {
                var n = int.Parse(indexed.Groups["n"].Value, CultureInfo.InvariantCulture);
                switch (indexed.Groups["key"].Value)
                {
                    case "Signal":
                        signals[n] = value;
                        injection.AddProperty(key, value);
                        continue;
                    case "Column":
                        if (!columns.TryAdd(n, (value, extra, number)))
                        {
                            Error(DiagnosticCodes.DuplicateColumn, $"column {n.ToString(CultureInfo.InvariantCulture)} is declared twice; first at line {columns[n].Line.ToString(CultureInfo.InvariantCulture)}", number);
                        }

                        continue;
                    case "Msg":
                        injection.Messages.Add(located);
                        injection.AddProperty(key, value);
                        continue;
                }
            }

            switch (key)
            {
                case "Sample Name":
                    injection.SampleName = located;
                    break;
                case "Sample Info":
                    injection.Comment = value.Length > 0 ? located : null;
                    break;
                case "Sample Type":
                    injection.SampleType = value.Length > 0 ? located : null;
                    break;
                case "Calib. Level" or "Calibration Level" or "Level":
                    injection.Level = value.Length > 0 ? located : null;
                    break;
                case "LIMS ID" or "LimsID":
                    injection.SampleId = value.Length > 0 ? located : null;
                    break;
                case "Injection Date":
                    injection.InjectionDate = value.Length > 0 ? located : null;
                    break;
                case "Acq. Operator":
                    injection.Operator = value.Length > 0 ? located : null;
                    break;
                case "Acq. Instrument":
                    injection.Instrument = NullIfEmpty(value);
                    break;
                case "Analysis Method":
                    injection.Method = NullIfEmpty(extra) ?? NullIfEmpty(value);
                    injection.AddProperty(key, value + extra);
                    break;
                case "Sequence File":
                    injection.Sequence = NullIfEmpty(extra) ?? NullIfEmpty(value);
                    injection.AddProperty(key, value + extra);
                    break;
                case "Data File":
                    injection.AddProperty(key, value + extra);
                    break;
                case "Dilution":
                    injection.Dilution = located;
                    injection.AddProperty(key, value);
                    break;
                case "Number of Signals":
                    declaredSignals = Count(value, number);
                    break;
                case "Number of Columns":
                    declaredColumns = Count(value, number);
                    break;
                case "Number of Errors and Warnings":
                    declaredMessages = Count(value, number);
                    break;
                default:
                    injection.AddProperty(key, extra.Length == 0 ? value : $"{value} {extra}");
                    break;
            }
        }

        if (!CheckDeclarations())
        {
            return null;
        }

        var names = new HeaderColumns(columns.Values.Select(c => c.Name).ToList());
        var layout = new Layout(
            names.Find("Compound Name", "Name", "Compound"),
            names.Find("Retention Time", "RetTime"),
            names.Find("Peak Type", "Type"),
            names.Find("Area"),
            names.Find("Height"),
            names.Find("Amount"),
            names.Find("ISTD used", "ISTD Number", "ISTD #", "ISTD"),
            columns.Count);
        var columnLine = declaredColumns!.Value.Line;
        if (!layout.Compound.Exists)
        {
            // An area-percent report without a calibration table: read, its peaks stay unidentified.
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Info,
                $"Report00.CSV declares no 'Compound Name' column (declared: {string.Join(", ", columns.Values.Select(c => c.Name.Trim()))}): " +
                "the report names no compound, so none of its peaks is an analyte (an area-percent report without a calibration table)",
                file, columnLine));
        }

        string? amountUnit = null;
        if (layout.Amount.Exists)
        {
            var declared = columns.Values.ElementAt(layout.Amount.Index);
            amountUnit = NullIfEmpty(declared.Unit.Trim()) ?? layout.Amount.Unit;
            injection.HasAmounts = !string.Equals(amountUnit, "%", StringComparison.Ordinal);
        }

        var errorsBefore = sink.ErrorCount;
        foreach (var (n, description) in signals)
        {
            var signalFile = signalFiles.FirstOrDefault(f => SignalNumber(f.Name) == n);
            if (signalFile is null)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingCompanionFile, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"Report00.CSV declares Signal {n} ({description}) but the folder has no REPORT{n:00}.CSV; its peaks are unknown"),
                    file));
                continue;
            }

            ReadSignal(signalFile, description, layout, amountUnit, injection, columnLine, context, sink);
        }

        foreach (var extraFile in signalFiles.Where(f => SignalNumber(f.Name) is int n && !signals.ContainsKey(n)))
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"{extraFile.Name} is not declared in Report00.CSV (it declares {signals.Count} signal(s)); its peaks cannot be attributed"),
                extraFile.RelativePath));
        }

        return sink.ErrorCount > errorsBefore ? null : injection;

        bool CheckDeclarations()
        {
            var ok = sink.ErrorCount == errorsAtStart;
            if (declaredColumns is null || columns.Count == 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
                    "Report00.CSV declares no columns ('Number of Columns' and 'Column n' rows): the REPORTnn.CSV files cannot be read",
                    file, lines.Count));
                return false;
            }

            if (declaredColumns.Value.Count != columns.Count || columns.Keys.Last() != columns.Count)
            {
                Error(DiagnosticCodes.MalformedBlock,
                    string.Create(CultureInfo.InvariantCulture, $"'Number of Columns' is {declaredColumns.Value.Count} but columns {string.Join(", ", columns.Keys)} are declared"),
                    declaredColumns.Value.Line);
                ok = false;
            }

            if (declaredSignals is { } s && s.Count != signals.Count)
            {
                Error(DiagnosticCodes.MalformedBlock,
                    string.Create(CultureInfo.InvariantCulture, $"'Number of Signals' is {s.Count} but {signals.Count} 'Signal n' row(s) follow"), s.Line);
                ok = false;
            }

            if (declaredMessages is { } m && m.Count != injection.Messages.Count)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Warning,
                    string.Create(CultureInfo.InvariantCulture, $"'Number of Errors and Warnings' is {m.Count} but {injection.Messages.Count} 'Msg n' row(s) follow"),
                    file, m.Line));
            }

            if (declaredSignals is null && signals.Count == 0)
            {
                // Without signal rows, the per-signal files present are the signals.
                foreach (var f in signalFiles)
                {
                    if (SignalNumber(f.Name) is int n)
                    {
                        signals[n] = string.Create(CultureInfo.InvariantCulture, $"Signal {n}");
                    }
                }
            }

            return ok;
        }

        (int, int)? Count(string text, int line)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return (count, line);
            }

            Error(DiagnosticCodes.UnparsableNumber, $"'{text}' is not a count", line, 2);
            return null;
        }

        void Error(string code, string message, int line, int? column = null) =>
            sink.OnDiagnostic(new Diagnostic(code, DiagnosticSeverity.Error, message, file, line, column));
    }

    private static void ReadSignal(
        SourceFile signalFile, string description, Layout layout, string? amountUnit, ChemStationInjection injection, int columnLine,
        ReaderContext context, IReadSink sink)
    {
        var file = signalFile.RelativePath;
        var lines = ChemStationLines.Read(signalFile, file, context, sink);
        if (lines is null)
        {
            return;
        }

        var fields = new List<string>(layout.Count);
        (int Line, int Count)? shortRow = null;
        var firstRow = true;
        for (var i = 0; i < lines.Count; i++)
        {
            var number = i + 1;
            if (lines[i].AsSpan().Trim().IsEmpty)
            {
                continue;
            }

            if (ChemStationLines.TooManyErrors(context, sink, file, number))
            {
                return;
            }

            if (shortRow is { } pending)
            {
                FieldCount(pending.Line, pending.Count, truncated: false);
                shortRow = null;
            }

            Fields.Split(lines[i], ',', fields);
            if (fields.Count != layout.Count)
            {
                if (firstRow)
                {
                    // Every row is off: the declaration, not a row, is wrong.
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.WrongFieldCount, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture,
                            $"{signalFile.Name} rows have {fields.Count} fields but Report00.CSV declares {layout.Count} columns ('Number of Columns' at line {columnLine}): the columns cannot be matched to the declaration"),
                        file, number, Math.Min(fields.Count, layout.Count) + 1));
                    return;
                }

                shortRow = (number, fields.Count);
                continue;
            }

            firstRow = false;
            var peak = ReadRow(fields, number);
            if (peak is not null)
            {
                injection.Peaks.Add(peak);
            }
        }

        if (shortRow is { } last)
        {
            FieldCount(last.Line, last.Count, truncated: true);
        }

        ChemStationPeak? ReadRow(List<string> row, int line)
        {
            var errors = sink.ErrorCount;
            var compound = layout.Compound.Get(row).Trim();
            var type = layout.Type.Exists ? layout.Type.Get(row).Trim() : null;
            var peak = new ChemStationPeak
            {
                File = file,
                Line = line,
                Signal = description,
                Compound = compound,
                State = compound is "" or "?" ? PeakState.Unidentified : PeakState.Identified,
                PeakType = type,
                RetentionTime = Number(layout.RetentionTime, "retention time"),
                Area = Number(layout.Area, "area"),
                Height = Number(layout.Height, "height"),
                AmountText = layout.Amount.Exists ? layout.Amount.Get(row) : null,
                AmountColumn = layout.Amount.Exists ? layout.Amount.Number : null,
                AmountUnit = amountUnit,
                IsInternalStandard = ChemStationRows.IsInternalStandardType(type),
                InternalStandardReference = layout.InternalStandard.Exists ? NullIfEmpty(layout.InternalStandard.Get(row).Trim()) : null,
            };
            return sink.ErrorCount > errors ? null : peak;

            double? Number(Column column, string what)
            {
                var text = column.Get(row);
                if (!column.Exists || InstrumentNumber.IsMissingToken(text))
                {
                    return null;
                }

                if (ChemStationLines.TryParseNumber(text, out var value))
                {
                    return value;
                }

                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnparsableNumber, DiagnosticSeverity.Error,
                    $"{what} '{text}' is not a number (column '{column.Header.Trim()}')", file, line, column.Number));
                return null;
            }
        }

        void FieldCount(int line, int count, bool truncated) =>
            sink.OnDiagnostic(new Diagnostic(
                truncated ? DiagnosticCodes.TruncatedInput : DiagnosticCodes.WrongFieldCount,
                DiagnosticSeverity.Error,
                truncated
                    ? string.Create(CultureInfo.InvariantCulture, $"the last row has {count} fields where Report00.CSV declares {layout.Count}: the file looks truncated")
                    : string.Create(CultureInfo.InvariantCulture, $"the row has {count} fields where Report00.CSV declares {layout.Count} columns"),
                file, line, Math.Min(count, layout.Count) + 1));
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private sealed record Layout(Column Compound, Column RetentionTime, Column Type, Column Area, Column Height, Column Amount, Column InternalStandard, int Count);

    [GeneratedRegex(@"^(?<key>Signal|Column|Msg) (?<n>\d{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex IndexedKey();

    [GeneratedRegex(@"^REPORT(\d{2})\.CSV$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SignalFileName();
}
