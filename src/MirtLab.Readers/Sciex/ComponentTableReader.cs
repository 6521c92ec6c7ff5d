using System.Globalization;
using System.Text;
using MirtLab.Core.Catalog;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Sciex;

/// <summary>What a component-table row is (SCIEX OS <c>Component Type</c>).</summary>
internal enum ComponentKind
{
    Quantifier,
    Qualifier,
    InternalStandard,
}

/// <summary>
/// Reads a SCIEX component table, the long results export MultiQuant and SCIEX OS write: tab-delimited, one
/// header line, one row per sample × component, user-chosen columns found by name (FORMATS.md).
/// <list type="bullet">
/// <item><c>Calculated Concentration</c> is the value; a table without it carries peak data only and is rejected
/// (<see cref="DiagnosticCodes.NoConcentrationColumn"/>) after its rows were checked: MirtLab reports only
/// concentrations the vendor software calculated, never areas.</item>
/// <item>Quantifier and internal-standard rows become results. Qualifier rows are confirmation ions, not results:
/// their ion ratio and their failed checks are carried to the quantifier of the same sample and component group.</item>
/// <item>Outlier reasons, failed acceptance columns, <c>Reportable</c> = FALSE and hand-modified peaks become
/// vendor flags, kept verbatim.</item>
/// </list>
/// Rows are buffered one sample (one injection) at a time, so qualifiers can reach their quantifier; the file
/// as a whole streams.
/// </summary>
internal static class ComponentTableReader
{
    public static void Read(ReadSource source, ReaderContext context, IReadSink sink, string software)
    {
        var file = source.Files[0];
        var (text, encoding) = TextDecoder.OpenText(file);
        if (text is null)
        {
            sink.OnDiagnostic(new Diagnostic(
                encoding.Kind == TextKind.Empty ? DiagnosticCodes.EmptyInput : DiagnosticCodes.BinaryInput,
                DiagnosticSeverity.Error,
                encoding.Kind == TextKind.Empty ? "the file is empty" : $"the file is binary, not a {software} text export"));
            return;
        }

        using var lines = new LineReader(text, context.MaxLineLength);
        try
        {
            new Session(lines, context, sink, software).Run();
        }
        catch (DecoderFallbackException ex)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                $"the text cannot be decoded as {encoding.Name}: {ex.Message}", Line: lines.LineNumber + 1));
        }
    }

    private sealed class Session(LineReader lines, ReaderContext context, IReadSink sink, string software)
    {
        private readonly List<string> _header = [];
        private readonly Dictionary<(string Index, string Name, string Id, string Component), int> _seen = [];
        private readonly HashSet<string> _samples = new(StringComparer.Ordinal);
        private readonly HashSet<string> _components = new(StringComparer.Ordinal);
        private readonly List<Row> _sample = [];
        private (string Index, string Name, string Id)? _sampleKey;
        private ComponentTableColumns _map = null!;
        private bool _peakDataOnly;
        private RunInfo? _firstRow;
        private RunInfo? _runInfo;
        private int _results;
        private int _qualifiers;

        public void Run()
        {
            var headerLine = ReadHeader();
            if (headerLine is null)
            {
                return;
            }

            ReadRows(headerLine.Value);
        }

        private int? ReadHeader()
        {
            while (lines.TryReadLine(out var line, out var tooLong))
            {
                if (tooLong)
                {
                    ReportLineTooLong(lines.LineNumber);
                    return null;
                }

                if (line.AsSpan().Trim().IsEmpty)
                {
                    continue;
                }

                Fields.Split(line, '\t', _header);
                return CheckHeader(lines.LineNumber) ? lines.LineNumber : null;
            }

            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
                $"no header line: expected the {software} results table to start with a line naming its columns (Sample Name, Component Name, …)",
                Line: Math.Max(1, lines.LineNumber)));
            return null;
        }

        private bool CheckHeader(int line)
        {
            var columns = new HeaderColumns(_header);
            _map = ComponentTableColumns.Resolve(columns);
            var missing = new List<string>();
            if (!_map.SampleName.Exists)
            {
                missing.Add("'Sample Name'");
            }

            if (!_map.ComponentName.Exists)
            {
                missing.Add("'Component Name'");
            }

            if (missing.Count > 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                    $"the {software} results table has no {string.Join(", ", missing)} column; the header names: {Names(12)}", Line: line));
                return false;
            }

            var duplicates = false;
            foreach (var names in ComponentTableColumns.KeyColumnNames)
            {
                var first = columns.Find(names);
                if (!first.Exists)
                {
                    continue;
                }

                var rest = _header.ToList();
                rest[first.Index] = string.Empty;
                var second = new HeaderColumns(rest).Find(names);
                if (second.Exists)
                {
                    duplicates = true;
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateColumn, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture, $"column '{second.Header}' repeats '{first.Header}' (column {first.Number}); which one holds the data cannot be told"),
                        Line: line, Column: second.Number));
                }
            }

            if (duplicates)
            {
                return false;
            }

            if (_map.CalculatedConcentration.Unit is string calculatedUnit && _map.ActualConcentration.Unit is string actualUnit
                && !UnitText.SameUnit(calculatedUnit, actualUnit))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.ConflictingUnit, DiagnosticSeverity.Error,
                    $"the header gives calculated concentrations in '{calculatedUnit}' but actual concentrations in '{actualUnit}'; one of them is wrong",
                    Line: line, Column: _map.ActualConcentration.Number));
                return false;
            }

            if (!_map.CalculatedConcentration.Exists)
            {
                // Area-only exports are what the user picked in MultiQuant's column chooser (FORMATS.md): they are
                // read row by row, but every row has no value (MirtLab never derives a concentration from areas).
                _peakDataOnly = true;
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoConcentrationColumn, DiagnosticSeverity.Warning,
                    $"the {software} export has no 'Calculated Concentration' column, only peak data ({Names(8)}): every row is read with no value and held. " +
                    "MirtLab reports the concentrations the instrument software calculated and never derives them from areas; " +
                    "export the results table again with the columns Calculated Concentration, Actual Concentration, Sample Type and the concentration units",
                    Line: line));
                return true;
            }

            if (!_map.SampleType.Exists)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingColumn, DiagnosticSeverity.Error,
                    $"the {software} results table has concentrations but no 'Sample Type' column: calibrators, QCs and blanks could not be told from patient samples; export it with Sample Type",
                    Line: line));
                return false;
            }

            return true;
        }

        private string Names(int count) =>
            string.Join(", ", _header.Where(h => h.Length > 0).Take(count)) + (_header.Count(h => h.Length > 0) > count ? ", …" : string.Empty);

        private void ReadRows(int headerLine)
        {
            var fields = new List<string>(_header.Count);
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
                    ReportLineTooLong(lines.LineNumber);
                    continue;
                }

                if (line.AsSpan().Trim().IsEmpty)
                {
                    continue;
                }

                if (shortRow is { } pending)
                {
                    ReportFieldCount(pending.Line, pending.Count, truncated: false);
                    shortRow = null;
                }

                Fields.Split(line, '\t', fields);
                if (fields.Count != _header.Count)
                {
                    // Decide at the next line whether this was the last one (a truncated file) or a bad row.
                    shortRow = (lines.LineNumber, fields.Count);
                    continue;
                }

                _firstRow ??= RunInfoOf(fields);

                if (ParseRow(fields, lines.LineNumber) is Row row)
                {
                    Accept(row);
                }
            }

            if (shortRow is { } last)
            {
                ReportFieldCount(last.Line, last.Count, truncated: true);
            }

            Flush();
            if (_runInfo is null)
            {
                _runInfo = _firstRow ?? new RunInfo();
                sink.OnRunInfo(_runInfo);
            }

            if (_peakDataOnly)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoConcentrationColumn, DiagnosticSeverity.Info,
                    string.Create(CultureInfo.InvariantCulture, $"read {_seen.Count} rows ({_samples.Count} samples × {_components.Count} components) of peak data; none has a reportable value"),
                    Line: headerLine));
            }
            else if (_results == 0 && sink.ErrorCount == 0)
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.NoResults, DiagnosticSeverity.Error,
                    _qualifiers > 0
                        ? "the results table holds only qualifier rows, which are not results"
                        : "the results table has a header but no rows",
                    Line: headerLine));
            }
        }

        private void Accept(Row row)
        {
            var identity = (row.SampleIndex, row.SampleName, row.SampleId ?? string.Empty, row.Component);
            if (_seen.TryGetValue(identity, out var firstLine))
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.DuplicateRow, DiagnosticSeverity.Error,
                    string.Create(CultureInfo.InvariantCulture, $"sample '{row.SampleName}' (ID '{row.SampleId}'{(row.SampleIndex.Length > 0 ? $", index {row.SampleIndex}" : string.Empty)}) × '{row.Component}' appears twice; first at line {firstLine}"),
                    Line: row.Line));
                return;
            }

            _seen[identity] = row.Line;
            _samples.Add($"{row.SampleIndex}\t{row.SampleName}\t{row.SampleId}");
            _components.Add(row.Component);
            var key = (row.SampleIndex, row.SampleName, row.SampleId ?? string.Empty);
            if (_sampleKey != key)
            {
                Flush();
                _sampleKey = key;
            }

            _sample.Add(row);
        }

        /// <summary>Ends one sample: qualifiers handed to their quantifiers, then its results pushed in file order.</summary>
        private void Flush()
        {
            if (_sample.Count == 0)
            {
                return;
            }

            if (_runInfo is null)
            {
                _runInfo = _firstRow ?? new RunInfo();
                sink.OnRunInfo(_runInfo);
            }

            foreach (var qualifier in _sample.Where(r => r.Kind == ComponentKind.Qualifier))
            {
                _qualifiers++;
                var quantifiers = qualifier.Group is null
                    ? new List<Row>()
                    : _sample.Where(r => r.Kind == ComponentKind.Quantifier && string.Equals(r.Group, qualifier.Group, StringComparison.Ordinal)).ToList();
                if (quantifiers.Count == 0)
                {
                    ReportUnlinked(qualifier);
                    continue;
                }

                foreach (var quantifier in quantifiers)
                {
                    if (quantifiers.Count == 1)
                    {
                        quantifier.IonRatio ??= qualifier.IonRatio;
                        quantifier.ExpectedIonRatio ??= qualifier.ExpectedIonRatio;
                    }

                    quantifier.Flags.AddRange(qualifier.Flags.Select(f => $"qualifier '{qualifier.Component}': {f}"));
                }
            }

            // MultiQuant exports without Component Type or IS columns still name each compound's internal standard
            // (IS Name): a component named so in the same injection is one.
            var inferInternalStandards = !_map.ComponentType.Exists && !_map.IsInternalStandard.Exists;
            var named = new HashSet<string>(StringComparer.Ordinal);
            if (inferInternalStandards)
            {
                named.UnionWith(_sample.Where(r => r.InternalStandard is not null).Select(r => AnalyteCatalog.Key(r.InternalStandard!)));
            }

            foreach (var row in _sample.Where(r => r.Kind != ComponentKind.Qualifier))
            {
                if (inferInternalStandards && named.Contains(AnalyteCatalog.Key(row.Component)))
                {
                    row.Kind = ComponentKind.InternalStandard;
                }

                sink.OnResult(row.ToResult());
                _results++;
            }

            _sample.Clear();
        }

        private void ReportUnlinked(Row qualifier)
        {
            var why = qualifier.Group is null
                ? "it has no component group"
                : $"no quantifier of component group '{qualifier.Group}' is in the same sample";
            if (qualifier.Flags.Count > 0)
            {
                // Its failed checks would be lost, and with them the hold on the result they concern.
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnlinkedQualifier, DiagnosticSeverity.Error,
                    $"qualifier '{qualifier.Component}' of sample '{qualifier.SampleName}' failed checks ({string.Join("; ", qualifier.Flags)}) but {why}, so the result they concern cannot be held",
                    Line: qualifier.Line));
            }
            else
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnlinkedQualifier, DiagnosticSeverity.Warning,
                    $"qualifier '{qualifier.Component}' of sample '{qualifier.SampleName}' is not reported and {why}; its ion ratio is not carried to a result",
                    Line: qualifier.Line));
            }
        }

        private Row? ParseRow(List<string> fields, int line)
        {
            var errorsBefore = sink.ErrorCount;
            var culture = context.Culture;
            var map = _map;
            var sampleName = map.SampleName.Get(fields);
            var component = map.ComponentName.Get(fields);
            if (sampleName.Length == 0)
            {
                Error(DiagnosticCodes.MissingSampleOrCompound, map.SampleName, "the sample name is empty; a result without one cannot be attributed");
            }

            if (component.Length == 0)
            {
                Error(DiagnosticCodes.MissingSampleOrCompound, map.ComponentName, "the component name is empty; a result without one cannot be attributed");
            }

            var kind = ComponentKind.Quantifier;
            if (map.ComponentType.Exists)
            {
                var typeText = map.ComponentType.Get(fields);
                switch (typeText.ToUpperInvariant())
                {
                    case "QUANTIFIERS" or "QUANTIFIER":
                        kind = ComponentKind.Quantifier;
                        break;
                    case "QUALIFIERS" or "QUALIFIER":
                        kind = ComponentKind.Qualifier;
                        break;
                    case "INTERNAL STANDARDS" or "INTERNAL STANDARD":
                        kind = ComponentKind.InternalStandard;
                        break;
                    default:
                        Error(DiagnosticCodes.UnknownComponentType, map.ComponentType, $"component type '{typeText}' is not one MirtLab knows (Quantifiers, Qualifiers, Internal Standards)");
                        break;
                }
            }

            if (Flag(map.IsInternalStandard, "IS") == FlagCell.True && kind == ComponentKind.Quantifier)
            {
                kind = ComponentKind.InternalStandard;
            }

            var sampleType = SampleType.Unknown;
            string? vendorType = null;
            if (map.SampleType.Exists)
            {
                vendorType = map.SampleType.Get(fields);
                if (!VendorSampleTypes.TryMap(vendorType, out sampleType))
                {
                    Error(DiagnosticCodes.UnknownSampleType, map.SampleType, $"sample type '{vendorType}' is not one MirtLab knows ({string.Join(", ", VendorSampleTypes.Known.Take(8))}, …)");
                }
            }

            var rawValue = map.CalculatedConcentration.Get(fields);
            ResultValue value;
            if (!map.CalculatedConcentration.Exists)
            {
                value = ResultValue.NoValue(string.Empty);
            }
            else if (InstrumentNumber.ParseValue(rawValue, culture, out value) == CellParse.Invalid)
            {
                Error(DiagnosticCodes.UnparsableNumber, map.CalculatedConcentration, $"calculated concentration '{rawValue}' is not a number in culture {SciexCells.CultureName(culture)} nor a known no-value token");
            }

            var unit = map.Units.Exists ? SciexCells.NullIfMissing(map.Units.Get(fields)) : null;
            var headerUnit = map.CalculatedConcentration.Unit ?? map.ActualConcentration.Unit;
            if (unit is not null && headerUnit is not null && !UnitText.SameUnit(unit, headerUnit))
            {
                Error(DiagnosticCodes.ConflictingUnit, map.Units, $"unit '{unit}' disagrees with the unit '{headerUnit}' in the concentration column's header");
            }

            unit ??= headerUnit ?? context.DefaultUnit;

            var nominal = Decimal(map.ActualConcentration, "actual concentration");
            var dilution = Decimal(map.DilutionFactor, "dilution factor");
            var accuracy = Decimal(map.Accuracy, "accuracy");
            var area = Double(map.Area, "area");
            var height = Double(map.Height, "height");
            var internalStandardArea = Double(map.InternalStandardArea, "IS area");
            var retentionTime = Double(map.RetentionTime, "retention time");
            var internalStandardRetentionTime = Double(map.InternalStandardRetentionTime, "IS retention time");
            var signalToNoise = Double(map.SignalToNoise, "signal / noise");
            var ionRatio = Double(map.IonRatio, "ion ratio");
            var expectedIonRatio = Double(map.ExpectedIonRatio, "expected ion ratio");

            DateTime? acquired = null;
            var dateText = map.AcquisitionDate.Get(fields);
            if (map.AcquisitionDate.Exists && !InstrumentNumber.IsMissingToken(dateText) && !InstrumentDate.TryParse(dateText, context, out acquired))
            {
                Error(DiagnosticCodes.UnparsableDate, map.AcquisitionDate, $"acquisition date '{dateText}' is not a date in culture {SciexCells.CultureName(culture)} or the configured formats");
            }

            var used = Flag(map.Used, "used");
            var reportable = Flag(map.Reportable, "reportable");
            var modified = Flag(map.Modified, "modified");

            var flags = new List<string>();
            if (SciexCells.NullIfMissing(map.OutlierReasons.Get(fields)) is string reasons)
            {
                flags.Add($"{software}: outlier reasons: {reasons}");
            }

            foreach (var column in map.Acceptance)
            {
                var verdict = column.Get(fields);
                if (!InstrumentNumber.IsMissingToken(verdict) && !verdict.Equals("Pass", StringComparison.OrdinalIgnoreCase))
                {
                    flags.Add($"{software}: {column.Header} {verdict}");
                }
            }

            if (reportable == FlagCell.False)
            {
                flags.Add($"{software}: marked not reportable (Reportable {map.Reportable.Get(fields)})");
            }

            if (modified == FlagCell.True)
            {
                flags.Add($"{software}: peak integration modified by hand (Modified {map.Modified.Get(fields)})");
            }

            if (sink.ErrorCount > errorsBefore)
            {
                return null;
            }

            return new Row
            {
                Line = line,
                Kind = kind,
                SampleIndex = map.SampleIndex.Get(fields),
                SampleName = sampleName,
                SampleId = SciexCells.NullIfMissing(map.SampleId.Get(fields)),
                SampleType = sampleType,
                VendorSampleType = vendorType,
                Component = component,
                Group = SciexCells.NullIfMissing(map.ComponentGroup.Get(fields)),
                InternalStandard = SciexCells.NullIfMissing(map.InternalStandardName.Get(fields)),
                RawValueText = rawValue,
                Value = value,
                Unit = unit,
                Nominal = nominal,
                Area = area,
                Height = height,
                InternalStandardArea = internalStandardArea,
                RetentionTime = retentionTime,
                InternalStandardRetentionTime = internalStandardRetentionTime,
                SignalToNoise = signalToNoise,
                IonRatio = ionRatio,
                ExpectedIonRatio = expectedIonRatio,
                DilutionFactor = dilution,
                Used = used switch { FlagCell.True => true, FlagCell.False => false, _ => null },
                Accuracy = accuracy,
                Acquired = acquired,
                Comment = SciexCells.NullIfMissing(map.SampleComment.Get(fields)),
                Flags = flags,
            };

            decimal? Decimal(Column column, string what) => SciexCells.Decimal(fields, column, what, culture, line, sink);

            double? Double(Column column, string what) => SciexCells.Double(fields, column, what, culture, line, sink);

            FlagCell Flag(Column column, string what)
            {
                if (!column.Exists)
                {
                    return FlagCell.Empty;
                }

                var text = column.Get(fields);
                var flag = SciexCells.ParseFlag(text);
                if (flag == FlagCell.Invalid)
                {
                    Error(DiagnosticCodes.UnparsableFlag, column, $"{what} '{text}' is neither TRUE nor FALSE");
                }

                return flag;
            }

            void Error(string code, Column column, string message) => SciexCells.Error(sink, line, code, column, message);
        }

        private RunInfo RunInfoOf(List<string> fields)
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (SciexCells.NullIfMissing(_map.ProcessingMethod.Get(fields)) is string processing)
            {
                properties["Processing method"] = processing;
            }

            return new RunInfo
            {
                AcquisitionMethod = SciexCells.NullIfMissing(_map.AcquisitionMethod.Get(fields)),
                Operator = SciexCells.NullIfMissing(_map.Operator.Get(fields)),
                Properties = properties,
            };
        }

        private void ReportFieldCount(int line, int count, bool truncated)
        {
            var expected = _header.Count;
            sink.OnDiagnostic(new Diagnostic(
                truncated ? DiagnosticCodes.TruncatedInput : DiagnosticCodes.WrongFieldCount,
                DiagnosticSeverity.Error,
                truncated
                    ? string.Create(CultureInfo.InvariantCulture, $"the last row has {count} fields where the header has {expected}: the file looks truncated")
                    : string.Create(CultureInfo.InvariantCulture, $"the row has {count} fields where the header has {expected}"),
                Line: line,
                Column: Math.Min(count, expected) + 1));
        }

        private void ReportLineTooLong(int line) =>
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"the line is longer than {context.MaxLineLength} characters; this is not a {software} text export"), Line: line));
    }

    /// <summary>One parsed row, kept until its sample ends so qualifiers can reach their quantifier.</summary>
    private sealed class Row
    {
        public required int Line { get; init; }

        public required ComponentKind Kind { get; set; }

        public required string SampleIndex { get; init; }

        public required string SampleName { get; init; }

        public string? SampleId { get; init; }

        public SampleType SampleType { get; init; }

        public string? VendorSampleType { get; init; }

        public required string Component { get; init; }

        public string? Group { get; init; }

        public string? InternalStandard { get; init; }

        public required string RawValueText { get; init; }

        public ResultValue Value { get; init; }

        public string? Unit { get; init; }

        public decimal? Nominal { get; init; }

        public double? Area { get; init; }

        public double? Height { get; init; }

        public double? InternalStandardArea { get; init; }

        public double? RetentionTime { get; init; }

        public double? InternalStandardRetentionTime { get; init; }

        public double? SignalToNoise { get; init; }

        public double? IonRatio { get; set; }

        public double? ExpectedIonRatio { get; set; }

        public decimal? DilutionFactor { get; init; }

        public bool? Used { get; init; }

        public decimal? Accuracy { get; init; }

        public DateTime? Acquired { get; init; }

        public string? Comment { get; init; }

        public required List<string> Flags { get; init; }

        public InstrumentResult ToResult() => new()
        {
            Source = new SourcePosition(null, Line),
            SampleName = SampleName,
            SampleId = SampleId,
            SampleType = SampleType,
            VendorSampleType = VendorSampleType,
            RawAnalyte = Component,
            IsInternalStandard = Kind == ComponentKind.InternalStandard,
            InternalStandard = InternalStandard,
            RawValueText = RawValueText,
            Value = Value,
            RawUnit = Unit,
            Nominal = Nominal,
            Area = Area,
            Height = Height,
            InternalStandardArea = InternalStandardArea,
            RetentionTime = RetentionTime,
            InternalStandardRetentionTime = InternalStandardRetentionTime,
            SignalToNoise = SignalToNoise,
            IonRatio = IonRatio,
            ExpectedIonRatio = ExpectedIonRatio,
            DilutionFactor = DilutionFactor,
            UsedInCalibration = Used,
            VendorAccuracy = Accuracy,
            AcquiredLocal = Acquired,
            Comment = Comment,
            VendorFlags = Flags,
        };
    }
}
