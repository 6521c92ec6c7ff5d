using System.Globalization;
using MirtLab.Core.Catalog;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Units;

namespace MirtLab.Core.Runs;

/// <summary>
/// Turns a reader's rows into evaluated results: sample types refined, compounds mapped to the catalog,
/// values converted to canonical units, each analyte's calibration and QCs judged, patient values
/// flagged and released or held. Pure: same input, same rules, same answer.
/// </summary>
public static class RunEvaluator
{
    // The SCIEX Analyst reader keeps a regression it does not model as text under this property key (ML2020).
    private const string UnmodelledRegressionPrefix = "Regression ";

    public static EvaluatedRun Evaluate(RunInput input, RuleSet rules, RunContext? context = null)
    {
        context ??= RunContext.Empty;
        var diagnostics = new List<Diagnostic>(input.ReaderDiagnostics);
        var normalised = Normalise(input, rules, diagnostics);

        // Every compound's run is judged, in the catalog or not: a failing run is QA's business either way.
        var evaluations = new List<AnalyteRunEvaluation>();
        foreach (var group in normalised.Where(r => r.Analyte is not { IsInternalStandard: true } && !r.Raw.IsInternalStandard).GroupBy(CompoundKey).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            evaluations.Add(EvaluateCompound(group.Key, group.First().Analyte, group.ToList(), input, rules, context));
        }

        var byCompound = evaluations.ToDictionary(e => e.AnalyteCode, StringComparer.Ordinal);
        var drafts = normalised
            .Where(r => r.IsPatientResult)
            .Select(r => Judge(r, byCompound[CompoundKey(r)], input.Identity, rules, context))
            .ToList();
        drafts.AddRange(PatientJudgement.Derive(drafts, rules, input.Identity));
        foreach (var draft in drafts)
        {
            draft.Comment(rules);
        }

        var judged = drafts.ToDictionary(d => d.Result.ResultKey, d => d.Build(), StringComparer.Ordinal);
        var results = normalised
            .Select(r => judged.TryGetValue(r.ResultKey, out var j) ? j : r)
            .Concat(drafts.Where(d => d.IsDerived).Select(d => judged[d.Result.ResultKey]))
            .ToList();

        foreach (var evaluation in evaluations.Where(e => e.Outcome is RunOutcome.Rejected))
        {
            var failing = evaluation.Problems.Where(c => c.Outcome == CheckOutcome.Fail).Select(c => c.Id).ToList();
            diagnostics.Add(new Diagnostic(
                failing.Any(id => id.StartsWith("calibration", StringComparison.Ordinal)) ? DiagnosticCodes.CalibrationRejected
                    : failing.Any(id => id.StartsWith("qc", StringComparison.Ordinal) || id.StartsWith("westgard", StringComparison.Ordinal)) ? DiagnosticCodes.QcRejected
                    : failing.Contains("carry-over") ? DiagnosticCodes.CarryOverRejected
                    : DiagnosticCodes.QcRejected,
                DiagnosticSeverity.Warning,
                $"{evaluation.DisplayName}: run not accepted; its patient results are held. " +
                string.Join("; ", evaluation.Problems.Where(c => c.Outcome == CheckOutcome.Fail).Select(c => c.Message))));
        }

        return new EvaluatedRun
        {
            Identity = input.Identity,
            Info = input.Info,
            ConfigVersion = rules.Version,
            Results = results,
            Analytes = evaluations,
            Diagnostics = diagnostics,
        };
    }

    /// <summary>The (patient, analyte) pairs whose previous result the delta check needs, for the host to look up before evaluating.</summary>
    public static IReadOnlyList<(string PatientId, string Analyte)> DeltaLookups(RunInput input, RuleSet rules)
    {
        var keys = new HashSet<(string, string)>();
        foreach (var row in input.Rows)
        {
            if (SampleTypeRule.Refine(row, rules.SampleTypeRules, rules.SampleMetadataRules).Type != SampleType.Unknown
                || !rules.Catalog.TryResolve(row.RawAnalyte, input.Identity.InstrumentId, out var analyte)
                || analyte.Delta is null
                || SampleMetadataRule.Extract(row, rules.SampleMetadataRules).PatientId is not { } patient)
            {
                continue;
            }

            keys.Add((patient, analyte.Code));
        }

        return keys.ToList();
    }

    /// <summary>
    /// The (analyte, nominal QC level) pairs whose QC history the Westgard rules can use, for the host to look up
    /// (earlier accepted runs' QC results, oldest first) and pass in <see cref="RunContext.QcHistory"/>.
    /// </summary>
    public static IReadOnlyList<(string Analyte, decimal Level)> QcHistoryLookups(RunInput input, RuleSet rules) =>
        Normalise(input, rules, [])
            .Where(r => r.SampleType == SampleType.QualityControl && r.Analyte is { IsInternalStandard: false } && r.Nominal is > 0m)
            .Select(r => (r.Analyte!.Code, r.Nominal!.Value))
            .Distinct()
            .ToList();

    private static List<EvaluatedResult> Normalise(RunInput input, RuleSet rules, List<Diagnostic> diagnostics)
    {
        var results = new List<EvaluatedResult>(input.Rows.Count);
        var unmapped = new HashSet<string>(StringComparer.Ordinal);
        var unknownUnits = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var missingUnits = new HashSet<string>(StringComparer.Ordinal);
        var refinedSamples = new HashSet<(string?, string, string?)>();

        foreach (var row in input.Rows)
        {
            var refinement = SampleTypeRule.Refine(row, rules.SampleTypeRules, rules.SampleMetadataRules);
            var type = refinement.Type;
            if (refinement.MatchedRule is { } matched && refinedSamples.Add((row.Source.File, row.SampleName, row.SampleId)))
            {
                diagnostics.Add(Refined(row, matched, refinement));
            }

            rules.Catalog.TryResolve(row.RawAnalyte, input.Identity.InstrumentId, out var analyte);
            if (analyte is null && !row.IsInternalStandard && unmapped.Add(AnalyteCatalog.Key(row.RawAnalyte)))
            {
                diagnostics.Add(new Diagnostic(
                    DiagnosticCodes.UnmappedAnalyte,
                    DiagnosticSeverity.Warning,
                    $"compound '{row.RawAnalyte}' is not in the catalog (no analyte or alias matches); its results are held, not published",
                    row.Source.File,
                    row.Source.Line));
            }

            var key = ResultKeys.ResultKey(input.Identity.FileSha256, row.Source, row.RawAnalyte);
            if (!keys.Add(key))
            {
                // Two rows at the same position for the same compound cannot be told apart downstream: refuse, never guess.
                diagnostics.Add(new Diagnostic(
                    DiagnosticCodes.DuplicateRow,
                    DiagnosticSeverity.Error,
                    $"two results for '{row.RawAnalyte}' at the same place in the export; they cannot be told apart",
                    row.Source.File,
                    row.Source.Line,
                    row.Source.Column));
                continue;
            }

            var acquiredUtc = ToUtc(row, input.TimeZone, diagnostics);
            var needsUnit = row.Value.Kind is ValueKind.Number or ValueKind.BelowLimit or ValueKind.AboveLimit || row.Nominal is not null;
            UcumUnit? rawUnit = null;
            if (!string.IsNullOrWhiteSpace(row.RawUnit) && !UnitSpellings.TryResolve(row.RawUnit, out rawUnit))
            {
                if (unknownUnits.Add(row.RawUnit.Trim()))
                {
                    diagnostics.Add(new Diagnostic(
                        DiagnosticCodes.UnknownUnit,
                        DiagnosticSeverity.Error,
                        $"unit '{row.RawUnit.Trim()}' is not a concentration unit MirtLab knows (expected one of {string.Join(", ", UcumUnit.All.Select(u => u.Code))} or a spelling of one)",
                        row.Source.File,
                        row.Source.Line));
                }
            }
            else if (rawUnit is null && needsUnit && analyte is { IsInternalStandard: false } && missingUnits.Add(analyte.Code))
            {
                diagnostics.Add(new Diagnostic(
                    DiagnosticCodes.MissingUnit,
                    DiagnosticSeverity.Error,
                    $"no unit for '{row.RawAnalyte}' (first at this line; every row of it is affected): the export states none and none is configured for instrument '{input.Identity.InstrumentId}'",
                    row.Source.File,
                    row.Source.Line));
            }

            var targetUnit = analyte is { IsInternalStandard: false } ? analyte.Unit : rawUnit;
            var value = row.Value;
            decimal? nominal = row.Nominal;
            if (rawUnit is not null && targetUnit is not null && analyte is not null)
            {
                value = ConvertValue(row, value, rawUnit, analyte, diagnostics);
                nominal = nominal is decimal n ? ConvertOrReport(n, rawUnit, analyte, row, "nominal concentration", diagnostics) : null;
            }

            var precision = analyte?.Precision;
            var unrounded = value.Kind == ValueKind.Number ? value.Number : null;
            var reported = precision is null ? value : Round(value, precision);
            results.Add(new EvaluatedResult
            {
                ResultKey = key,
                Raw = row,
                SampleType = type,
                Analyte = analyte,
                Unit = analyte is null || analyte.IsInternalStandard ? rawUnit : analyte.Unit,
                Value = reported,
                UnroundedNumber = unrounded,
                Nominal = nominal,
                Display = precision is null ? row.RawValueText.Trim() : reported.Display(precision.Format),
                AcquiredUtc = acquiredUtc,
            });
        }

        return results;
    }

    /// <summary>
    /// Says so when a name pattern decided what a vendor-typed patient sample is: a reclassified sample's results are
    /// never published, so QA must be able to see that a name, not the instrument, took it out of the report.
    /// </summary>
    private static Diagnostic Refined(InstrumentResult row, SampleTypeRule matched, SampleTypeRefinement refinement)
    {
        var sample = row.SampleId is { Length: > 0 } id ? $"sample '{row.SampleName}' (id '{id}')" : $"sample '{row.SampleName}'";
        return refinement.KeptForPatient is { } patient
            ? new Diagnostic(
                DiagnosticCodes.PatientSampleKeptDespiteName,
                DiagnosticSeverity.Info,
                $"{sample} matches the sample-type pattern '{matched.Pattern}' ({matched.Type.ToCode()}) but carries patient id '{patient}': kept as a patient sample",
                row.Source.File,
                row.Source.Line)
            : new Diagnostic(
                DiagnosticCodes.SampleTypeFromName,
                DiagnosticSeverity.Warning,
                $"{sample}, typed Unknown (patient) by the instrument, matches the sample-type pattern '{matched.Pattern}' and is treated as {matched.Type.ToCode()}: its results are not published",
                row.Source.File,
                row.Source.Line);
    }

    private static ResultValue ConvertValue(InstrumentResult row, ResultValue value, UcumUnit from, Analyte analyte, List<Diagnostic> diagnostics)
    {
        return value.Kind switch
        {
            ValueKind.Number => ConvertOrReport(value.Number!.Value, from, analyte, row, "value", diagnostics) is decimal v ? ResultValue.FromNumber(v) : value,
            ValueKind.BelowLimit => ConvertOrReport(value.Limit!.Value, from, analyte, row, "limit", diagnostics) is decimal b ? ResultValue.Below(b) : value,
            ValueKind.AboveLimit => ConvertOrReport(value.Limit!.Value, from, analyte, row, "limit", diagnostics) is decimal a ? ResultValue.Above(a) : value,
            _ => value,
        };
    }

    private static decimal? ConvertOrReport(decimal number, UcumUnit from, Analyte analyte, InstrumentResult row, string what, List<Diagnostic> diagnostics)
    {
        if (analyte.IsInternalStandard)
        {
            return number;
        }

        var converted = UnitConversion.Convert(number, from, analyte.Unit, analyte.MolarMass);
        if (!converted.Succeeded)
        {
            diagnostics.Add(new Diagnostic(
                converted.Error!.Contains("molar mass", StringComparison.Ordinal) ? DiagnosticCodes.MissingMolarMass : DiagnosticCodes.UnconvertibleUnit,
                DiagnosticSeverity.Error,
                $"{analyte.Name} {what}: {converted.Error}",
                row.Source.File,
                row.Source.Line));
        }

        return converted.Value;
    }

    private static ResultValue Round(ResultValue value, ReportingPrecision precision) => value.Kind switch
    {
        ValueKind.Number => ResultValue.FromNumber(precision.Round(value.Number!.Value)),
        _ => value,
    };

    private static DateTimeOffset? ToUtc(InstrumentResult row, TimeZoneInfo zone, List<Diagnostic> diagnostics)
    {
        if (row.AcquiredLocal is not DateTime local)
        {
            return null;
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.AmbiguousLocalTime,
                DiagnosticSeverity.Warning,
                FormattableString.Invariant($"acquisition time {local:yyyy-MM-dd HH:mm:ss} does not exist in time zone {zone.Id} (clocks went forward); UTC left empty"),
                row.Source.File,
                row.Source.Line));
            return null;
        }

        var offset = zone.IsAmbiguousTime(unspecified)
            ? zone.GetAmbiguousTimeOffsets(unspecified).Max()
            : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }

    private static string CompoundKey(EvaluatedResult r) => r.Analyte?.Code ?? r.Raw.RawAnalyte.Trim();

    private static AnalyteRunEvaluation EvaluateCompound(string key, Analyte? analyte, List<EvaluatedResult> rows, RunInput input, RuleSet rules, RunContext context)
    {
        var criteria = rules.Acceptance;
        var info = input.Info;
        var compound = AnalyteCatalog.Key(rows[0].Raw.RawAnalyte);
        var vendorCurve = info.Calibrations.FirstOrDefault(c => string.Equals(AnalyteCatalog.Key(c.Analyte), compound, StringComparison.Ordinal));
        var unmodelled = info.Properties
            .Where(p => p.Key.StartsWith(UnmodelledRegressionPrefix, StringComparison.Ordinal) && string.Equals(AnalyteCatalog.Key(p.Key[UnmodelledRegressionPrefix.Length..]), compound, StringComparison.Ordinal))
            .Select(p => p.Value)
            .FirstOrDefault();
        var ordered = InjectionOrder.Of(rows);
        var calibrators = ordered.Where(r => r.SampleType == SampleType.Standard).ToList();
        var curve = CalibrationCurveRule.Evaluate(key, calibrators, vendorCurve, unmodelled, analyte?.InternalStandards.Count > 0, criteria);
        var (points, calibrationChecks, range) = CalibrationAcceptance.Evaluate(calibrators, criteria, curve);
        var checks = new List<RunCheck>(curve.Checks);
        checks.AddRange(calibrationChecks);
        if (points.Count == 0)
        {
            checks.Add(new RunCheck(
                "calibration.present",
                criteria.RequireCalibration ? CheckOutcome.Fail : CheckOutcome.Review,
                "the run has no calibrators for this analyte, so it has no reportable range",
                "calibrators in every run"));
        }

        var qcs = ordered.Where(r => r.SampleType == SampleType.QualityControl).ToList();
        var (qcPoints, qcChecks) = QcAcceptance.Evaluate(qcs, criteria);
        checks.AddRange(qcChecks);

        // LC-MS/MS checks on single injections (CLSI C62, FDA IS Q&A 2019, ICH M10 §3.2.6).
        var internalStandard = vendorCurve?.InternalStandard ?? rows.Select(r => r.Raw.InternalStandard).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim()
            ?? (analyte is { InternalStandards.Count: > 0 } ? analyte.InternalStandards[0] : "internal standard");
        var (isResult, meanInternalStandard) = InternalStandardRule.Evaluate(ordered, internalStandard, analyte?.InternalStandards.Count > 0, criteria);
        var rtResult = CalibratorMeanWindowRule.RetentionTime(ordered, criteria);
        var ionResult = CalibratorMeanWindowRule.IonRatio(ordered, criteria);
        checks.AddRange(isResult.Checks);
        checks.AddRange(rtResult.Checks);
        checks.AddRange(ionResult.Checks);
        if (CarryOverRule.Evaluate(ordered, meanInternalStandard, criteria) is { } carryOver)
        {
            checks.Add(carryOver);
        }

        var unit = analyte?.Unit.Code ?? rows.Select(r => r.Unit?.Code).FirstOrDefault(u => u is not null);
        var (charts, violations, westgardChecks) = QcControlRule.Evaluate(key, qcs, input.Identity.RunKey, rules.QcTargets, context, criteria, unit);
        checks.AddRange(westgardChecks);

        var runChecks = checks.Where(c => c.Scope == CheckScope.Run).ToList();
        var outcome = points.Count == 0 && criteria.RequireCalibration
            ? RunOutcome.NotEvaluated
            : runChecks.Any(c => c.Outcome == CheckOutcome.Fail)
                ? RunOutcome.Rejected
                : runChecks.Any(c => c.Outcome == CheckOutcome.Review) ? RunOutcome.NeedsReview : RunOutcome.Accepted;

        var injections = ordered.Select((r, i) => new InjectionPoint
        {
            Order = i + 1,
            ResultKey = r.ResultKey,
            SampleName = r.Raw.SampleName,
            SampleType = r.SampleType.ToCode(),
            AcquiredLocal = r.Raw.AcquiredLocal,
            Line = r.Raw.Source.Line,
            InternalStandardArea = InjectionOrder.Dec(r.Raw.InternalStandardArea),
            InternalStandardPercent = isResult.Figures.TryGetValue(r.ResultKey, out var isPercent) ? isPercent : null,
            RetentionTime = InjectionOrder.Dec(r.Raw.RetentionTime),
            RetentionTimeDeviationPercent = rtResult.Figures.TryGetValue(r.ResultKey, out var rt) ? rt : null,
            IonRatio = InjectionOrder.Dec(r.Raw.IonRatio),
            IonRatioDeviationPercent = ionResult.Figures.TryGetValue(r.ResultKey, out var ion) ? ion : null,
        }).ToList();

        return new AnalyteRunEvaluation
        {
            AnalyteCode = key,
            Analyte = analyte,
            Unit = unit,
            Outcome = outcome,
            Checks = checks,
            Calibrators = points,
            Qcs = qcPoints,
            ReportableRange = range,
            VendorCalibration = vendorCurve,
            Fit = curve.Fit,
            Injections = injections,
            SampleHolds = [.. isResult.Holds, .. rtResult.Holds, .. ionResult.Holds],
            QcCharts = charts,
            WestgardViolations = violations,
        };
    }

    /// <summary>Applies the reportable range, the clinical ranges and the delta check to a patient result and notes what holds it.</summary>
    private static PatientJudgement Judge(EvaluatedResult result, AnalyteRunEvaluation run, RunIdentity identity, RuleSet rules, RunContext context)
    {
        var analyte = result.Analyte!;
        var metadata = SampleMetadataRule.Extract(result.Raw, rules.SampleMetadataRules);
        var draft = new PatientJudgement(result, metadata, rules.Version);

        if (run.ReportableRange is ReportableRange range && draft.Value.Kind == ValueKind.Number)
        {
            // The measured number against the calibrated range, both unrounded: 0.96 is below an LLOQ of 1.0 though
            // it rounds to 1.0, and 200.04 above a ULOQ of 200. Only the limit that is reported is rounded.
            var dilution = result.Raw.DilutionFactor is > 0m and var df ? df : 1m;
            var measured = result.UnroundedNumber ?? draft.Value.Number!.Value;
            var lloq = range.Lloq * dilution;
            var uloq = range.Uloq * dilution;
            var thresholds = FormattableString.Invariant($"LLOQ {lloq} – ULOQ {uloq} {analyte.Unit.Code} from this run's accepted calibrators") +
                (dilution != 1m ? FormattableString.Invariant($", × dilution {dilution}") : string.Empty);
            if (measured < lloq)
            {
                draft.Value = ResultValue.Below(analyte.Precision.Round(lloq));
                draft.Flag(new ResultFlag(Hl7Flags.BelowReportable, "reportable-range", "below the lowest accepted calibrator (LLOQ); reported as <LLOQ", thresholds, rules.Version));
            }
            else if (measured > uloq)
            {
                draft.Value = ResultValue.Above(analyte.Precision.Round(uloq));
                draft.Flag(new ResultFlag(Hl7Flags.AboveReportable, "reportable-range", "above the highest accepted calibrator (ULOQ): dilute and repeat", thresholds, rules.Version));
            }
        }

        foreach (var hold in run.HoldsFor(result.ResultKey))
        {
            draft.HoldFromRun(hold);
        }

        var rangeContext = new RangeContext(analyte.Specimen, metadata.Sex, metadata.AgeYears, identity.FormatId, identity.InstrumentId);
        draft.JudgeRanges(rangeContext);
        DeltaCheckRule.Apply(draft, context, rules.Version);

        if (run.Outcome != RunOutcome.Accepted)
        {
            var problems = run.Problems.Select(p => p.Message).ToList();
            draft.Hold($"run.{RunDocument.OutcomeCode(run.Outcome)}: the {analyte.Name} run is {Words(run.Outcome)}" +
                (problems.Count > 0 ? ": " + string.Join("; ", problems) : string.Empty));
        }

        if (draft.Value.Kind is ValueKind.NotDetected or ValueKind.NoValue or ValueKind.NotReportable)
        {
            draft.Hold($"value: the instrument reported '{draft.Value.Token}', not a number");
        }

        foreach (var vendorFlag in result.Raw.VendorFlags)
        {
            draft.Hold($"vendor: {vendorFlag}");
        }

        return draft;
    }

    private static string Words(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Rejected => "rejected",
        RunOutcome.NeedsReview => "awaiting review",
        RunOutcome.NotEvaluated => "not evaluated",
        _ => outcome.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
