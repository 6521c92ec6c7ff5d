using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MirtLab.Core.Catalog;
using MirtLab.Core.Results;
using MirtLab.Core.Units;

namespace MirtLab.Core.Rules;

/// <summary>The outcome of loading a rule set: the rule set, or every error found (all at once, each naming its key).</summary>
public sealed record RuleSetLoadResult(RuleSet? RuleSet, IReadOnlyList<string> Errors)
{
    public bool Succeeded => RuleSet is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the clinical rule set (<c>config/rules.json</c>) and validates all of it: unknown keys, units,
/// molar masses, overlapping ranges, duplicate aliases. A rule set with any error is refused.
/// </summary>
public static partial class RuleSetLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static RuleSetLoadResult Load(byte[] utf8Json)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(utf8Json));
        RuleSetFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RuleSetFile>(utf8Json, Options);
        }
        catch (JsonException ex)
        {
            return new RuleSetLoadResult(null, [$"{ex.Path ?? "$"}: {ex.Message}"]);
        }

        if (file is null)
        {
            return new RuleSetLoadResult(null, ["$: the rule set is empty"]);
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(file.Version))
        {
            errors.Add("version: a version label is required; it is recorded on every flag");
        }

        var analytes = LoadAnalytes(file.Analytes ?? [], errors);
        ValidateDerivations(analytes, errors);
        var sampleTypeRules = LoadSampleTypeRules(file.SampleTypes?.NamePatterns ?? [], errors);
        var metadataRules = LoadMetadataRules(file.SampleMetadata ?? [], errors);
        var commentRules = LoadCommentRules(file.Comments ?? [], analytes, errors);
        var acceptance = file.Acceptance ?? new AcceptanceCriteria();
        ValidateAcceptance(acceptance, analytes, errors);
        var qcTargets = LoadQcTargets(file.QcTargets ?? [], analytes, errors);

        if (errors.Count > 0)
        {
            return new RuleSetLoadResult(null, errors);
        }

        return new RuleSetLoadResult(
            new RuleSet
            {
                Label = file.Version!.Trim(),
                ContentHash = hash,
                Catalog = new AnalyteCatalog(analytes),
                SampleTypeRules = sampleTypeRules,
                Acceptance = acceptance,
                QcTargets = qcTargets,
                SampleMetadataRules = metadataRules,
                CommentRules = commentRules,
            },
            []);
    }

    private static List<Analyte> LoadAnalytes(List<AnalyteEntry> entries, List<string> errors)
    {
        var analytes = new List<Analyte>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var aliasOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        var rangeIds = new HashSet<string>(StringComparer.Ordinal);

        if (entries.Count == 0)
        {
            errors.Add("analytes: at least one analyte is required");
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"analytes[{i}]";
            if (string.IsNullOrWhiteSpace(e.Code) || !CodePattern().IsMatch(e.Code))
            {
                errors.Add($"{at}.code: '{e.Code}' must be lower-case letters, digits and '-' (it appears in MQTT topics)");
                continue;
            }

            at = $"analytes[{i}] ({e.Code})";
            if (!e.Enabled)
            {
                continue;
            }

            if (!codes.Add(e.Code))
            {
                errors.Add($"{at}.code: '{e.Code}' is defined twice");
            }

            if (!UcumUnit.TryFromCode(e.Unit, out var unit))
            {
                errors.Add($"{at}.unit: '{e.Unit}' is not a UCUM code MirtLab knows ({string.Join(", ", UcumUnit.All.Select(u => u.Code))})");
                continue;
            }

            if (e.MolarMass is <= 0m)
            {
                errors.Add($"{at}.molarMass: must be positive (g/mol)");
            }

            if (unit.Dimension == UnitDimension.SubstanceConcentration && e.MolarMass is null)
            {
                errors.Add($"{at}.molarMass: the canonical unit {unit.Code} is molar, so the molar mass is required");
            }

            if (e.Decimals is not null && e.SignificantFigures is not null)
            {
                errors.Add($"{at}: set either decimals or significantFigures, not both");
            }

            if (e.Decimals is < 0 or > 6)
            {
                errors.Add($"{at}.decimals: must be 0 to 6");
            }

            if (e.SignificantFigures is < 1 or > 10)
            {
                errors.Add($"{at}.significantFigures: must be 1 to 10");
            }

            foreach (var alias in (e.Aliases ?? []).Append(e.Code).Append(e.Name ?? e.Code))
            {
                var key = AnalyteCatalog.Key(alias);
                if (aliasOwners.TryGetValue(key, out var owner) && owner != e.Code)
                {
                    errors.Add($"{at}.aliases: '{alias}' already names '{owner}'; one name cannot mean two analytes");
                }
                else
                {
                    aliasOwners[key] = e.Code;
                }
            }

            var ranges = LoadRanges(e, unit, at, rangeIds, errors);
            var derivation = LoadDerivation(e, at, errors);
            if (derivation is not null && (e.Aliases?.Count > 0 || e.InstrumentAliases?.Count > 0 || e.InternalStandard))
            {
                errors.Add($"{at}.derived: a derived observation is computed by MirtLab; it has no instrument aliases and is no internal standard");
            }

            DeltaLimits? delta = null;
            if (e.Delta is { } d)
            {
                if (d.Absolute is null && d.RelativePercent is null)
                {
                    errors.Add($"{at}.delta: set absolute, relativePercent or both");
                }

                if (d.Absolute is < 0m || d.RelativePercent is <= 0m || d.MaxAgeDays is <= 0)
                {
                    errors.Add($"{at}.delta: limits and maxAgeDays must be positive");
                }

                delta = new DeltaLimits(d.Absolute, d.RelativePercent, d.MaxAgeDays ?? 365);
            }

            analytes.Add(new Analyte
            {
                Code = e.Code,
                Name = string.IsNullOrWhiteSpace(e.Name) ? e.Code : e.Name.Trim(),
                Loinc = e.Loinc,
                Unit = unit,
                MolarMass = e.MolarMass,
                Specimen = e.Specimen,
                Precision = e.Decimals is null && e.SignificantFigures is null
                    ? ReportingPrecision.Default
                    : new ReportingPrecision(e.Decimals, e.SignificantFigures),
                IsInternalStandard = e.InternalStandard,
                InternalStandards = e.InternalStandards ?? [],
                Aliases = e.Aliases ?? [],
                InstrumentAliases = (e.InstrumentAliases ?? []).ToDictionary(
                    kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.OrdinalIgnoreCase),
                Ranges = ranges,
                RequireRange = e.RequireRange ?? !e.InternalStandard,
                Derivation = derivation,
                Delta = delta,
            });
        }

        foreach (var analyte in analytes)
        {
            foreach (var isCode in analyte.InternalStandards)
            {
                var target = analytes.FirstOrDefault(a => a.Code == isCode);
                if (target is null || !target.IsInternalStandard)
                {
                    errors.Add($"analytes ({analyte.Code}).internalStandards: '{isCode}' is not an analyte marked internalStandard");
                }
            }
        }

        return analytes;
    }

    private static List<AnalyteRange> LoadRanges(AnalyteEntry e, UcumUnit unit, string at, HashSet<string> rangeIds, List<string> errors)
    {
        var ranges = new List<AnalyteRange>();
        var entries = e.Ranges ?? [];
        if (e.InternalStandard && entries.Count > 0)
        {
            errors.Add($"{at}.ranges: an internal standard is never reported, so it has no ranges");
        }

        for (var j = 0; j < entries.Count; j++)
        {
            var r = entries[j];
            var rat = $"{at}.ranges[{j}]";
            if (string.IsNullOrWhiteSpace(r.Id))
            {
                errors.Add($"{rat}.id: every range needs an id; flags name it");
                continue;
            }

            if (!rangeIds.Add(r.Id))
            {
                errors.Add($"{rat}.id: '{r.Id}' is used twice");
            }

            if (!Enum.TryParse<RangeKind>(r.Kind, ignoreCase: true, out var kind) || int.TryParse(r.Kind, out _))
            {
                errors.Add($"{rat}.kind: '{r.Kind}' must be reference, therapeutic, critical or alert");
                continue;
            }

            if (r.Low is null && r.High is null)
            {
                errors.Add($"{rat}: set low, high or both");
                continue;
            }

            var low = r.Low;
            var high = r.High;
            if (r.Unit is not null && !string.Equals(r.Unit, unit.Code, StringComparison.Ordinal))
            {
                if (!UcumUnit.TryFromCode(r.Unit, out var rangeUnit))
                {
                    errors.Add($"{rat}.unit: '{r.Unit}' is not a UCUM code MirtLab knows");
                    continue;
                }

                low = ConvertLimit(low, rangeUnit, unit, e.MolarMass, $"{rat}.low", errors);
                high = ConvertLimit(high, rangeUnit, unit, e.MolarMass, $"{rat}.high", errors);
            }

            if (low is decimal l && high is decimal h && l > h)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{rat}: low {l} is above high {h}"));
                continue;
            }

            var when = new RangeConditions(r.Specimen, r.Sex, r.AgeMinYears, r.AgeMaxYears, r.Method, r.Instrument);
            var range = new AnalyteRange(r.Id, kind, low, high, r.Source, when);
            foreach (var other in ranges)
            {
                if (Family(other.Kind) == Family(kind) && other.When.CanOverlap(when))
                {
                    errors.Add($"{rat}: '{r.Id}' overlaps '{other.Id}' (both {Family(kind)} limits for {when} and {other.When}); a value must have one applicable range");
                }
            }

            ranges.Add(range);
        }

        return ranges;

        static string Family(RangeKind kind) => kind is RangeKind.Critical or RangeKind.Alert ? "critical/alert" : "reference/therapeutic";
    }

    private static decimal? ConvertLimit(decimal? value, UcumUnit from, UcumUnit to, decimal? molarMass, string at, List<string> errors)
    {
        if (value is not decimal v)
        {
            return null;
        }

        var converted = UnitConversion.Convert(v, from, to, molarMass);
        if (!converted.Succeeded)
        {
            errors.Add($"{at}: {converted.Error}");
        }

        return converted.Value;
    }

    private static Derivation? LoadDerivation(AnalyteEntry e, string at, List<string> errors)
    {
        if (e.Derived is not { } d)
        {
            return null;
        }

        var kinds = (d.Ratio is null ? 0 : 1) + (d.Sum is null ? 0 : 1) + (d.PerDose is null ? 0 : 1);
        if (kinds != 1)
        {
            errors.Add($"{at}.derived: set exactly one of ratio, sum or perDose");
            return null;
        }

        if (d.Ratio is { } ratio)
        {
            if (ratio.Numerator is null || ratio.Denominator is null)
            {
                errors.Add($"{at}.derived.ratio: numerator and denominator are required");
                return null;
            }

            if (e.Unit != UcumUnit.Ratio.Code)
            {
                errors.Add($"{at}.unit: a ratio is dimensionless; its unit must be '1'");
            }

            return new Derivation(DerivationKind.Ratio, [ratio.Numerator, ratio.Denominator], d.HoldComponentsWhenFlagged);
        }

        if (d.Sum is { } sum)
        {
            if (sum.Count < 2)
            {
                errors.Add($"{at}.derived.sum: name at least two analytes");
                return null;
            }

            return new Derivation(DerivationKind.Sum, sum, d.HoldComponentsWhenFlagged);
        }

        if (e.Unit != UcumUnit.NanogramPerMilliliterPerDailyDose.Code)
        {
            errors.Add($"{at}.unit: a dose-normalised level is in '{UcumUnit.NanogramPerMilliliterPerDailyDose.Code}'");
        }

        return new Derivation(DerivationKind.PerDose, [d.PerDose!], d.HoldComponentsWhenFlagged);
    }

    private static void ValidateDerivations(List<Analyte> analytes, List<string> errors)
    {
        foreach (var derived in analytes.Where(a => a.Derivation is not null))
        {
            foreach (var code in derived.Derivation!.Components)
            {
                var component = analytes.FirstOrDefault(a => a.Code == code);
                if (component is null || component.Derivation is not null || component.IsInternalStandard)
                {
                    errors.Add($"analytes ({derived.Code}).derived: '{code}' is not a measured analyte in the catalog");
                    continue;
                }

                var mismatch = derived.Derivation.Kind switch
                {
                    DerivationKind.Sum => UnitConversion.Convert(1m, component.Unit, derived.Unit, component.MolarMass).Succeeded ? null : $"'{code}' in {component.Unit.Code} cannot be added in {derived.Unit.Code}",
                    DerivationKind.PerDose => component.Unit.Equals(UcumUnit.NanogramPerMilliliter) ? null : $"'{code}' must be in ng/mL to be divided by a dose in mg/d",
                    _ => null,
                };
                if (mismatch is not null)
                {
                    errors.Add($"analytes ({derived.Code}).derived: {mismatch}");
                }
            }
        }
    }

    private static List<SampleMetadataRule> LoadMetadataRules(List<MetadataEntry> entries, List<string> errors)
    {
        var rules = new List<SampleMetadataRule>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"sampleMetadata[{i}]";
            if (!Enum.TryParse<MetadataField>(e.Field, ignoreCase: true, out var field) || int.TryParse(e.Field, out _))
            {
                errors.Add($"{at}.field: '{e.Field}' must be sampleName, sampleId or comment");
                continue;
            }

            try
            {
                var regex = new Regex(e.Pattern ?? string.Empty, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                if (!regex.GetGroupNames().Intersect(SampleMetadataRule.Groups).Any())
                {
                    errors.Add($"{at}.pattern: name at least one group: (?<patient>…), (?<dose>…), (?<sex>…) or (?<age>…)");
                    continue;
                }

                rules.Add(new SampleMetadataRule(field, regex));
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{at}.pattern: {ex.Message}");
            }
        }

        return rules;
    }

    private static List<CommentRule> LoadCommentRules(List<CommentEntry> entries, List<Analyte> analytes, List<string> errors)
    {
        var rules = new List<CommentRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"comments[{i}]";
            if (string.IsNullOrWhiteSpace(e.Id) || !ids.Add(e.Id))
            {
                errors.Add($"{at}.id: every comment needs a unique id; results name it");
                continue;
            }

            if (!analytes.Any(a => a.Code == e.Analyte))
            {
                errors.Add($"{at}.analyte: '{e.Analyte}' is not an analyte in the catalog");
                continue;
            }

            if (string.IsNullOrWhiteSpace(e.Text))
            {
                errors.Add($"{at}.text: a comment needs its text");
                continue;
            }

            if (e.AtOrAbove is decimal lo && e.Below is decimal hi && lo >= hi)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: atOrAbove {lo} must be below below {hi}"));
                continue;
            }

            rules.Add(new CommentRule(e.Id, e.Analyte!, e.AtOrAbove, e.Below, e.Text.Trim(), e.Source));
        }

        return rules;
    }

    private static List<SampleTypeRule> LoadSampleTypeRules(List<SampleTypePatternEntry> entries, List<string> errors)
    {
        var rules = new List<SampleTypeRule>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"sampleTypes.namePatterns[{i}]";
            if (!SampleTypeNames.TryParseCode(e.Type, out var type) || type == SampleType.Unknown)
            {
                errors.Add($"{at}.type: '{e.Type}' must be one of standard, qc, blank, double-blank, solvent, sst");
                continue;
            }

            try
            {
                rules.Add(new SampleTypeRule(
                    new Regex(e.Pattern ?? string.Empty, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)),
                    type));
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{at}.pattern: {ex.Message}");
            }
        }

        return rules;
    }

    private static void ValidateAcceptance(AcceptanceCriteria a, List<Analyte> analytes, List<string> errors)
    {
        Percent(a.CalibratorTolerancePercent, "acceptance.calibratorTolerancePercent");
        Percent(a.LloqTolerancePercent, "acceptance.lloqTolerancePercent");
        Percent(a.QcTolerancePercent, "acceptance.qcTolerancePercent");
        Fraction(a.MinCalibratorPassFraction, "acceptance.minCalibratorPassFraction");
        Fraction(a.MinQcPassFraction, "acceptance.minQcPassFraction");
        Fraction(a.MinQcLevelPassFraction, "acceptance.minQcLevelPassFraction");
        if (a.MinCalibrationLevels < 2)
        {
            errors.Add("acceptance.minCalibrationLevels: a curve needs at least 2 levels");
        }

        if (a.MinRSquared is <= 0m or > 1m)
        {
            errors.Add("acceptance.minRSquared: must be above 0 and at most 1 (r², not percent)");
        }

        Percent(a.VendorCurveAgreementPercent, "acceptance.vendorCurveAgreementPercent");
        Percent(a.InternalStandardDriftPercent, "acceptance.internalStandardDriftPercent");
        Percent(a.RetentionTimeTolerancePercent, "acceptance.retentionTimeTolerancePercent");
        Percent(a.IonRatioTolerancePercent, "acceptance.ionRatioTolerancePercent");
        Percent(a.CarryOverAnalytePercentOfLloq, "acceptance.carryOverAnalytePercentOfLloq");
        Percent(a.CarryOverInternalStandardPercent, "acceptance.carryOverInternalStandardPercent");
        if (a.InternalStandardLowPercent is <= 0m or >= 100m)
        {
            errors.Add("acceptance.internalStandardLowPercent: must be between 0 and 100 (percent of the mean IS response)");
        }

        if (a.InternalStandardHighPercent <= 100m)
        {
            errors.Add("acceptance.internalStandardHighPercent: must be above 100 (percent of the mean IS response)");
        }

        if (a.QcTargetObservations < 2)
        {
            errors.Add("acceptance.qcTargetObservations: an SD needs at least 2 observations (CLSI C24 recommends 20)");
        }

        foreach (var rule in a.WestgardRules ?? [])
        {
            if (!AcceptanceCriteria.AllWestgardRules.Contains(rule, StringComparer.Ordinal))
            {
                errors.Add($"acceptance.westgardRules: '{rule}' is not one of {string.Join(", ", AcceptanceCriteria.AllWestgardRules)}");
            }
        }

        if (a.WestgardRules is null)
        {
            errors.Add("acceptance.westgardRules: give a list (empty for none)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (a.CalibrationModels?.Count ?? 0); i++)
        {
            var m = a.CalibrationModels![i];
            var at = $"acceptance.calibrationModels[{i}]";
            Model(m, at);
            if (m?.Analyte is { } code && !seen.Add(code))
            {
                errors.Add($"{at}.analyte: '{code}' has two models");
            }
        }

        if (a.CalibrationModels is null)
        {
            errors.Add("acceptance.calibrationModels: give a list (empty for none)");
        }

        void Model(CalibrationModelSetting? m, string key)
        {
            if (m is null)
            {
                errors.Add($"{key}: set fit and weighting");
                return;
            }

            if (!CalibrationModel.TryParseFit(m.Fit, out _))
            {
                errors.Add($"{key}.fit: '{m.Fit}' must be linear or quadratic");
            }

            if (!CalibrationModel.TryParseWeighting(m.Weighting, out _))
            {
                errors.Add($"{key}.weighting: '{m.Weighting}' must be none, 1/x, 1/x2, 1/y or 1/y2 (the weightings MirtLab re-evaluates)");
            }

            if (!analytes.Any(x => x.Code == m.Analyte && !x.IsInternalStandard && x.Derivation is null))
            {
                errors.Add($"{key}.analyte: '{m.Analyte}' is not a measured analyte in the catalog");
            }
        }

        void Percent(decimal v, string key)
        {
            if (v is <= 0m or >= 100m)
            {
                errors.Add($"{key}: must be between 0 and 100 (percent)");
            }
        }

        void Fraction(decimal v, string key)
        {
            if (v is < 0m or > 1m)
            {
                errors.Add($"{key}: must be a fraction between 0 and 1");
            }
        }
    }

    private static List<QcTarget> LoadQcTargets(List<QcTargetEntry> entries, List<Analyte> analytes, List<string> errors)
    {
        var targets = new List<QcTarget>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"qcTargets[{i}]";
            if (!analytes.Any(a => a.Code == e.Analyte && !a.IsInternalStandard && a.Derivation is null))
            {
                errors.Add($"{at}.analyte: '{e.Analyte}' is not a measured analyte in the catalog");
                continue;
            }

            if (e.Level is not > 0m || e.Mean is not > 0m || e.Sd is not > 0m)
            {
                errors.Add($"{at}: level (the QC's nominal concentration), mean and sd are required and must be positive, in the analyte's unit");
                continue;
            }

            if (targets.Any(t => t.Analyte == e.Analyte && t.Level == e.Level))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: {e.Analyte} level {e.Level} has two targets"));
                continue;
            }

            targets.Add(new QcTarget(e.Analyte!, e.Level.Value, e.Mean.Value, e.Sd.Value, e.Source));
        }

        return targets;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    private sealed class RuleSetFile
    {
        public string? Version { get; set; }

        public string? Description { get; set; }

        public SampleTypesSection? SampleTypes { get; set; }

        public AcceptanceCriteria? Acceptance { get; set; }

        public List<AnalyteEntry>? Analytes { get; set; }

        public List<MetadataEntry>? SampleMetadata { get; set; }

        public List<CommentEntry>? Comments { get; set; }

        public List<QcTargetEntry>? QcTargets { get; set; }
    }

    private sealed class QcTargetEntry
    {
        public string? Analyte { get; set; }

        public decimal? Level { get; set; }

        public decimal? Mean { get; set; }

        public decimal? Sd { get; set; }

        public string? Source { get; set; }
    }

    private sealed class MetadataEntry
    {
        public string? Field { get; set; }

        public string? Pattern { get; set; }

        public string? Note { get; set; }
    }

    private sealed class CommentEntry
    {
        public string? Id { get; set; }

        public string? Analyte { get; set; }

        public decimal? AtOrAbove { get; set; }

        public decimal? Below { get; set; }

        public string? Text { get; set; }

        public string? Source { get; set; }
    }

    private sealed class DerivedEntry
    {
        public RatioEntry? Ratio { get; set; }

        public List<string>? Sum { get; set; }

        public string? PerDose { get; set; }

        public bool HoldComponentsWhenFlagged { get; set; }
    }

    private sealed class RatioEntry
    {
        public string? Numerator { get; set; }

        public string? Denominator { get; set; }
    }

    private sealed class DeltaEntry
    {
        public decimal? Absolute { get; set; }

        public decimal? RelativePercent { get; set; }

        public int? MaxAgeDays { get; set; }
    }

    private sealed class SampleTypesSection
    {
        public List<SampleTypePatternEntry>? NamePatterns { get; set; }
    }

    private sealed class SampleTypePatternEntry
    {
        public string? Pattern { get; set; }

        public string? Type { get; set; }
    }

    private sealed class AnalyteEntry
    {
        public string? Code { get; set; }

        public string? Name { get; set; }

        public string? Loinc { get; set; }

        public string? Unit { get; set; }

        public decimal? MolarMass { get; set; }

        public string? Specimen { get; set; }

        public int? Decimals { get; set; }

        public int? SignificantFigures { get; set; }

        public bool InternalStandard { get; set; }

        public List<string>? InternalStandards { get; set; }

        public List<string>? Aliases { get; set; }

        public Dictionary<string, List<string>>? InstrumentAliases { get; set; }

        public List<RangeEntry>? Ranges { get; set; }

        public bool? RequireRange { get; set; }

        public bool Enabled { get; set; } = true;

        public DerivedEntry? Derived { get; set; }

        public DeltaEntry? Delta { get; set; }

        public string? Note { get; set; }
    }

    private sealed class RangeEntry
    {
        public string? Id { get; set; }

        public string? Kind { get; set; }

        public decimal? Low { get; set; }

        public decimal? High { get; set; }

        public string? Unit { get; set; }

        public string? Source { get; set; }

        public string? Specimen { get; set; }

        public string? Sex { get; set; }

        public decimal? AgeMinYears { get; set; }

        public decimal? AgeMaxYears { get; set; }

        public string? Method { get; set; }

        public string? Instrument { get; set; }

        public string? Note { get; set; }
    }
}
