using System.Globalization;
using System.Text.RegularExpressions;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// ChemStation's printed report as text (<c>Report.TXT</c>, UTF-16LE): a header of <c>Key : value</c> pairs (two per
/// line, long values wrapped onto indented lines), the report title, then per signal a two-line column header (units
/// in brackets), a <c>----|----|</c> ruler whose pipes give the column boundaries, the rows, and <c>Totals :</c>;
/// the report's own warnings; <c>*** End of Report ***</c>. Page breaks repeat the page header inside a table.
/// </summary>
internal static partial class ChemStationTextReport
{
    public const string Kind = "Report.TXT";

    /// <summary>True when a file's decoded start is a ChemStation text report.</summary>
    public static bool Looks(ProbedFile file)
    {
        var lines = file.Lines;
        return lines.Count > 1
            && lines[0].StartsWith("Data File ", StringComparison.Ordinal)
            && lines.Take(5).Any(l => l.StartsWith("Sample Name:", StringComparison.Ordinal));
    }

    public static ChemStationInjection? Read(SourceFile source, ReaderContext context, IReadSink sink)
    {
        var file = source.RelativePath;
        var lines = ChemStationLines.Read(source, file, context, sink);
        if (lines is null)
        {
            return null;
        }

        if (lines.Count == 0)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.EmptyInput, DiagnosticSeverity.Error, "Report.TXT is empty", file));
            return null;
        }

        var parser = new Parser(lines, file, context, sink);
        return parser.Parse();
    }

    private sealed class Parser(List<string> lines, string file, ReaderContext context, IReadSink sink)
    {
        private readonly ChemStationInjection _injection = new() { File = file, Kind = Kind, HasAmounts = false };
        private readonly int _errorsAtStart = sink.ErrorCount;
        private string? _footer;
        private string? _lastKey;
        private string? _signal;
        private bool _inIstdSection;
        private bool _sawNameColumn;
        private bool _ended;
        private bool _stopped;

        public ChemStationInjection? Parse()
        {
            if (lines.Count > 2 && !IsKeyValue(lines[2]) && lines[2].Trim().Length > 0 && !IsSeparator(lines[2]))
            {
                // The third line ("Instrument 1 10/6/2016 10:50:01 AM Hugo") is the page header that page breaks repeat.
                _footer = lines[2].Trim();
                _injection.AddProperty("Printed", _footer);
            }

            var messages = false;
            for (var i = 0; i < lines.Count && !_ended; i++)
            {
                if (_stopped || ChemStationLines.TooManyErrors(context, sink, file, i + 1))
                {
                    return null;
                }

                if (i == 2 && _footer is not null)
                {
                    continue;
                }

                var line = Clean(lines[i]);
                var trimmed = line.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                if (IsSeparator(trimmed))
                {
                    messages = false;
                    _lastKey = null;
                    continue;
                }

                if (trimmed.StartsWith("*** End of Report", StringComparison.Ordinal))
                {
                    _ended = true;
                    break;
                }

                if (messages)
                {
                    if (!IsPageFurniture(trimmed))
                    {
                        _injection.Messages.Add(new ChemStationText(trimmed, i + 1, 1));
                        _injection.AddProperty("Msg " + _injection.Messages.Count.ToString(CultureInfo.InvariantCulture), trimmed);
                    }

                    continue;
                }

                if (WarningsHeader().IsMatch(trimmed))
                {
                    messages = true;
                    continue;
                }

                if (IsRuler(trimmed))
                {
                    i = ReadTable(i);
                    continue;
                }

                if (i == 0 && line.StartsWith("Data File ", StringComparison.Ordinal))
                {
                    _injection.AddProperty("Data File", line["Data File ".Length..].Trim());
                    continue;
                }

                if (IsPageFurniture(trimmed) && i > 2)
                {
                    continue;
                }

                var signal = SignalHeading().Match(trimmed);
                if (signal.Success)
                {
                    _signal = signal.Groups["desc"].Value.Trim();
                    _inIstdSection = false;
                    _injection.AddProperty("Signal " + signal.Groups["n"].Value, _signal);
                    continue;
                }

                if (string.Equals(trimmed, "Sample ISTD Information:", StringComparison.Ordinal))
                {
                    _inIstdSection = true;
                    continue;
                }

                if (IsColumnHeader(i))
                {
                    continue;
                }

                ReadHeaderLine(line, i + 1);
            }

            if (_stopped)
            {
                return null;
            }

            if (!_ended)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.TruncatedInput, DiagnosticSeverity.Error,
                    "Report.TXT ends without '*** End of Report ***': the file looks truncated, so rows may be missing", file, lines.Count));
            }

            if (!_sawNameColumn && sink.ErrorCount == _errorsAtStart)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Info,
                    "no peak table in Report.TXT has a 'Name' column: the report names no compound, so none of its peaks is an analyte " +
                    "(an area-percent report without a calibration table)", file));
            }

            return sink.ErrorCount > _errorsAtStart ? null : _injection;
        }

        private void ReadHeaderLine(string line, int number)
        {
            var trimmed = line.Trim();
            var right = RightPair().Match(trimmed);
            if (line.StartsWith(' ') && right.Success && right.Index == 0)
            {
                Set(right.Groups["key"].Value, right.Groups["value"].Value, number);
                return;
            }

            var pair = KeyValue().Match(line);
            if (pair.Success)
            {
                var value = pair.Groups["value"].Value.Trim();
                // "Multiplier:                   :      1.0000": the key carries its own colon.
                if (value.StartsWith(':'))
                {
                    value = value[1..].Trim();
                }

                var second = SecondPair().Match(value);
                if (second.Success)
                {
                    Set(pair.Groups["key"].Value, second.Groups["first"].Value, number);
                    Set(second.Groups["key"].Value, second.Groups["value"].Value, number);
                }
                else
                {
                    Set(pair.Groups["key"].Value, value, number);
                }

                return;
            }

            if (line.StartsWith("          ", StringComparison.Ordinal) && _lastKey is not null)
            {
                // A long value wrapped onto an indented line.
                var key = _lastKey;
                var previous = _injection.Properties[key];
                var joined = Join(previous, trimmed);
                _injection.Properties[key] = joined;
                Reassign(key, joined, number);
                return;
            }

            if (trimmed.EndsWith("Report", StringComparison.Ordinal) || trimmed.Contains("Report (", StringComparison.Ordinal))
            {
                _injection.AddProperty("Report Title", trimmed);
                _signal = null;
                return;
            }

            _injection.AddProperty("Note", trimmed);
        }

        private void Set(string rawKey, string rawValue, int number)
        {
            var key = rawKey.Trim().TrimEnd(':').Trim();
            var value = rawValue.Trim();
            var property = key;
            if (_signal is not null)
            {
                property = $"{_signal}: {key}";
            }

            _lastKey = _injection.AddProperty(property, value, keepEmpty: true);
            Reassign(key, value, number);
        }

        private void Reassign(string key, string value, int number)
        {
            var located = value.Length == 0 ? (ChemStationText?)null : new ChemStationText(value, number);
            var name = BaseKey(key);
            switch (name)
            {
                case "Sample Name":
                    _injection.SampleName ??= new ChemStationText(value, number);
                    break;
                case "Sample Info":
                    _injection.Comment = located;
                    break;
                case "Sample Type":
                    _injection.SampleType = located;
                    break;
                case "Calib. Level" or "Calibration Level" or "Level":
                    _injection.Level = located;
                    break;
                case "LIMS ID":
                    _injection.SampleId = located;
                    break;
                case "Injection Date":
                    _injection.InjectionDate = located;
                    break;
                case "Acq. Operator":
                    _injection.Operator = located;
                    break;
                case "Acq. Instrument":
                    _injection.Instrument = located?.Text;
                    break;
                case "Analysis Method" or "Method":
                    _injection.Method = located is null ? null : MethodName(located.Value.Text);
                    break;
                case "Acq. Method":
                    _injection.Method ??= located is null ? null : MethodName(located.Value.Text);
                    break;
                case "Sequence File":
                    _injection.Sequence = located is null ? null : MethodName(located.Value.Text);
                    break;
                case "Dilution":
                    _injection.Dilution = located;
                    break;
            }
        }

        /// <summary>Reads the table whose ruler is at <paramref name="ruler"/>; returns the index of its last line.</summary>
        private int ReadTable(int ruler)
        {
            var columns = FixedWidthColumns.FromRuler(Clean(lines[ruler]),
                ruler >= 2 ? Clean(lines[ruler - 2]) : string.Empty,
                ruler >= 1 ? Clean(lines[ruler - 1]) : string.Empty);
            if (_inIstdSection)
            {
                return ReadIstdTable(ruler, columns);
            }

            if (_signal is null)
            {
                // A summary table outside any signal (e.g. summed peaks) repeats the signals' compounds.
                _injection.AddProperty("Skipped table", string.Create(CultureInfo.InvariantCulture, $"line {ruler + 1}"));
                return SkipRows(ruler);
            }

            var name = columns.Find("Name");
            if (!name.Exists)
            {
                return SkipRows(ruler);
            }

            _sawNameColumn = true;
            var retention = columns.Find("RetTime");
            var type = columns.Find("Type");
            var area = columns.Find("Area");
            var height = columns.Find("Height");
            var istd = columns.Find("ISTD used", "ISTD");
            var amount = columns.Find("Amount", "Amount %");
            var amountUnit = amount.Exists ? amount.Unit ?? (amount.Name.EndsWith('%') ? "%" : null) : null;
            if (amount.Exists && !string.Equals(amountUnit, "%", StringComparison.Ordinal))
            {
                _injection.HasAmounts = true;
            }

            var first = columns.Columns[0];
            ChemStationPeak? previous = null;
            var i = ruler + 1;
            for (; i < lines.Count; i++)
            {
                var number = i + 1;
                if (ChemStationLines.TooManyErrors(context, sink, file, number))
                {
                    _stopped = true;
                    return lines.Count;
                }

                var line = Clean(lines[i]);
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || IsPageFurniture(trimmed))
                {
                    continue;
                }

                if (trimmed.StartsWith("Totals", StringComparison.Ordinal))
                {
                    return i;
                }

                if (IsSeparator(trimmed) || SignalHeading().IsMatch(trimmed) || WarningsHeader().IsMatch(trimmed)
                    || trimmed.StartsWith("*** End of Report", StringComparison.Ordinal))
                {
                    return i - 1;
                }

                if (line[..Math.Min(line.Length, name.Start)].Trim().Length == 0 && previous is not null)
                {
                    // A compound name too long for its column continues on the next line.
                    var joined = Join(previous.Compound, FixedWidthColumns.Cell(line, name));
                    var index = _injection.Peaks.LastIndexOf(previous);
                    previous = Copy(previous, joined);
                    _injection.Peaks[index] = previous;
                    continue;
                }

                if (!ChemStationLines.TryParseNumber(FixedWidthColumns.Cell(line, first), out _))
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedBlock, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture,
                            $"expected a row of the {_signal} table (ruler at line {ruler + 1}) or 'Totals :', found '{Excerpt(trimmed)}'"),
                        file, number, 1));
                    continue;
                }

                if (columns.Crossing(line) is { } crossing)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MisalignedColumn, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture,
                            $"'{crossing.Text}' crosses the boundary between columns '{crossing.Left}' and '{crossing.Right}' of the ruler at line {ruler + 1}: the value cannot be cut safely"),
                        file, number, crossing.Position + 1));
                    continue;
                }

                previous = ReadRow(line, number);
                if (previous is not null)
                {
                    _injection.Peaks.Add(previous);
                }
            }

            return i;

            ChemStationPeak? ReadRow(string line, int number)
            {
                var errors = sink.ErrorCount;
                var compound = FixedWidthColumns.Cell(line, name);
                var areaText = area.Exists ? FixedWidthColumns.Cell(line, area) : string.Empty;
                var amountText = amount.Exists ? FixedWidthColumns.Cell(line, amount) : null;
                var typeText = type.Exists ? FixedWidthColumns.Cell(line, type) : null;
                // Report.TXT prints dashes where a calibrated compound was not found.
                var dashed = areaText == "-" || amountText == "-";
                var peak = new ChemStationPeak
                {
                    File = file,
                    Line = number,
                    Signal = _signal,
                    Compound = compound,
                    State = compound is "" or "?" ? PeakState.Unidentified : dashed ? PeakState.NotFound : PeakState.Identified,
                    PeakType = typeText,
                    RetentionTime = Number(retention),
                    Area = Number(area),
                    Height = Number(height),
                    AmountText = amountText,
                    AmountColumn = amount.Exists ? amount.Start + 1 : null,
                    AmountUnit = amountUnit,
                    IsInternalStandard = ChemStationRows.IsInternalStandardType(typeText),
                    InternalStandardReference = istd.Exists && FixedWidthColumns.Cell(line, istd) is { Length: > 0 } reference ? reference : null,
                };
                return sink.ErrorCount > errors ? null : peak;

                double? Number(FixedWidthColumn column)
                {
                    if (!column.Exists)
                    {
                        return null;
                    }

                    var text = FixedWidthColumns.Cell(line, column);
                    if (InstrumentNumber.IsMissingToken(text))
                    {
                        return null;
                    }

                    if (ChemStationLines.TryParseNumber(text, out var value))
                    {
                        return value;
                    }

                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnparsableNumber, DiagnosticSeverity.Error,
                        $"{column.Name} '{text}' is not a number", file, number, column.Start + 1));
                    return null;
                }
            }
        }

        private int ReadIstdTable(int ruler, FixedWidthColumns columns)
        {
            var number = columns.Find("ISTD #", "ISTD");
            var name = columns.Find("Name");
            var i = ruler + 1;
            for (; i < lines.Count; i++)
            {
                var line = Clean(lines[i]);
                if (line.Trim().Length == 0)
                {
                    break;
                }

                if (number.Exists && name.Exists)
                {
                    _injection.InternalStandards[FixedWidthColumns.Cell(line, number)] = FixedWidthColumns.Cell(line, name);
                    _injection.AddProperty("ISTD " + FixedWidthColumns.Cell(line, number), line.Trim());
                }
            }

            _inIstdSection = false;
            return i;
        }

        private int SkipRows(int ruler)
        {
            var i = ruler + 1;
            while (i < lines.Count)
            {
                var trimmed = Clean(lines[i]).Trim();
                if (trimmed.StartsWith("Totals", StringComparison.Ordinal))
                {
                    return i;
                }

                if (IsSeparator(trimmed) || SignalHeading().IsMatch(trimmed) || trimmed.StartsWith("*** End of Report", StringComparison.Ordinal))
                {
                    return i - 1;
                }

                i++;
            }

            return i;
        }

        // The two lines above a ruler name the table's columns; ReadTable reads them from there.
        private bool IsColumnHeader(int i) =>
            (i + 1 < lines.Count && IsRuler(Clean(lines[i + 1]).Trim()))
            || (i + 2 < lines.Count && IsRuler(Clean(lines[i + 2]).Trim()) && Clean(lines[i + 1]).Trim().Length > 0);

        private bool IsPageFurniture(string trimmed) =>
            PageNumber().IsMatch(trimmed)
            || (_footer is not null && string.Equals(trimmed, _footer, StringComparison.Ordinal))
            || trimmed.StartsWith("Data File ", StringComparison.Ordinal)
            || (trimmed.StartsWith("Sample Name:", StringComparison.Ordinal) && _injection.SampleName is not null);

        private static ChemStationPeak Copy(ChemStationPeak peak, string compound) => new()
        {
            File = peak.File,
            Line = peak.Line,
            Signal = peak.Signal,
            Compound = compound,
            State = peak.State == PeakState.Unidentified && compound is not ("" or "?") ? PeakState.Identified : peak.State,
            PeakType = peak.PeakType,
            RetentionTime = peak.RetentionTime,
            Area = peak.Area,
            Height = peak.Height,
            AmountText = peak.AmountText,
            AmountColumn = peak.AmountColumn,
            AmountUnit = peak.AmountUnit,
            IsInternalStandard = peak.IsInternalStandard,
            InternalStandardReference = peak.InternalStandardReference,
        };
    }

    /// <summary>
    /// Joins a wrapped value. ChemStation breaks long values at a path separator, at a space (which it drops) or
    /// mid-word: a space is put back only between two letters or before an opening parenthesis.
    /// </summary>
    internal static string Join(string first, string continuation)
    {
        if (first.Length == 0 || continuation.Length == 0)
        {
            return first + continuation;
        }

        var space = (char.IsLetterOrDigit(first[^1]) || first[^1] == ')') && (char.IsLetter(continuation[0]) || continuation[0] == '(');
        return space ? $"{first} {continuation}" : first + continuation;
    }

    private static string BaseKey(string key) => key.Contains(": ", StringComparison.Ordinal) ? key[(key.LastIndexOf(": ", StringComparison.Ordinal) + 2)..] : key;

    private static string MethodName(string path)
    {
        var trimmed = path.Trim();
        var suffix = trimmed.IndexOf(" (", StringComparison.Ordinal);
        var withoutNote = suffix > 0 ? trimmed[..suffix] : trimmed;
        var slash = withoutNote.LastIndexOf('\\');
        return slash >= 0 && slash < withoutNote.Length - 1 ? withoutNote[(slash + 1)..] : withoutNote;
    }

    // Form feeds mark page breaks in printed text; they are not part of the columns.
    private static string Clean(string line) => line.Replace("\f", string.Empty, StringComparison.Ordinal);

    private static bool IsSeparator(string trimmed) => trimmed.Length >= 10 && trimmed.All(c => c == '=');

    private static bool IsRuler(string trimmed) => trimmed.Length > 2 && trimmed[0] == '-' && trimmed.Contains('|', StringComparison.Ordinal) && trimmed.All(c => c is '-' or '|');

    private static bool IsKeyValue(string line) => KeyValue().IsMatch(line);

    private static string Excerpt(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9 .#/&%-]*?)\s*:\s(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^(?<first>.*?)\s{2,}(?<key>Seq\. Line|Location|Inj Volume|Inj)\s*:\s*(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SecondPair();

    [GeneratedRegex(@"^(?<key>Seq\. Line|Location|Inj Volume|Inj)\s*:\s*(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex RightPair();

    [GeneratedRegex(@"^Signal (?<n>\d{1,3}):\s?(?<desc>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SignalHeading();

    [GeneratedRegex(@"^\d+ Warnings? or Errors? :?$", RegexOptions.CultureInvariant)]
    private static partial Regex WarningsHeader();

    [GeneratedRegex(@"^Page\s+\d+\s+of\s+\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex PageNumber();
}
