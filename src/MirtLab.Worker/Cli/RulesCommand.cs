using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MirtLab.Core;
using MirtLab.Core.Catalog;
using MirtLab.Core.Rules;
using MirtLab.Core.Units;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab rules [--json]</c>: the clinical rule set in force — catalog, units, ranges, derived observations,
/// delta limits, sample patterns, comments, acceptance criteria — with its configuration version, as every
/// flag records it.
/// </summary>
public static class RulesCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of text." };
        var command = new Command("rules", "Show the rule set in force (catalog, ranges, comments, acceptance) and its configuration version.") { json };
        command.SetAction(parse => Run(parse.GetValue(json), parse.GetValue(configOption), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(bool json, string? configPath, TextWriter output, TextWriter error)
    {
        var loaded = SettingsLoader.Load(SettingsLoader.Locate(configPath));
        if (loaded.Settings is not { } settings)
        {
            foreach (var e in loaded.Errors)
            {
                error.WriteLine(e);
            }

            return ExitCodes.BadConfiguration;
        }

        var rules = settings.Rules;
        if (json)
        {
            output.WriteLine(ToJson(rules, settings.RulesFile).ToJsonString(MirtLabJson.Indented));
            return ExitCodes.Ok;
        }

        output.WriteLine($"Rule set {rules.Version}");
        output.WriteLine($"  file {settings.RulesFile}");
        output.WriteLine($"  sha256 {rules.ContentHash}");
        output.WriteLine();
        output.WriteLine("Analytes");
        foreach (var a in rules.Catalog.Analytes)
        {
            var kind = a.IsInternalStandard ? "internal standard, never reported" : a.Derivation is { } d ? "derived: " + Describe(d) : "measured";
            output.WriteLine($"  {a.Code} — {a.Name} ({kind})");
            output.WriteLine(Invariant($"    unit {a.Unit.Code}, precision {Precision(a.Precision)}{(a.MolarMass is decimal m ? $", M {m} g/mol" : string.Empty)}{(a.Loinc is null ? string.Empty : ", LOINC " + a.Loinc)}{(a.Specimen is null ? string.Empty : ", specimen " + a.Specimen)}"));
            if (a.Aliases.Count > 0 || a.InstrumentAliases.Count > 0)
            {
                output.WriteLine($"    names: {string.Join(", ", a.Aliases.Prepend(a.Name).Distinct(StringComparer.Ordinal))}{string.Concat(a.InstrumentAliases.Select(kv => $"; on {kv.Key}: {string.Join(", ", kv.Value)}"))}");
            }

            if (a.InternalStandards.Count > 0)
            {
                output.WriteLine($"    internal standards: {string.Join(", ", a.InternalStandards)}");
            }

            var unit = a.Unit.Equals(UcumUnit.Ratio) ? string.Empty : " " + a.Unit.Code;
            foreach (var r in a.Ranges)
            {
                // Critical and alert limits are triggers ("flag above 160"), the others intervals ("30-80").
                var limits = r.FlagsAsCritical
                    ? string.Join(" or ", new[] { r.Low is decimal lo ? Invariant($"below {lo}{unit}") : null, r.High is decimal hi ? Invariant($"above {hi}{unit}") : null }.Where(x => x is not null))
                    : RangeRule.ToReferenceText(r) + unit;
                output.WriteLine($"    {r.Kind.ToString().ToLowerInvariant()} {limits} [{r.Id}] for {r.When}{(r.Source is null ? string.Empty : " — " + r.Source)}");
            }

            if (!a.IsInternalStandard && a.Ranges.Count == 0)
            {
                output.WriteLine(a.RequireRange ? "    no range: results are held for review" : "    no range (not required)");
            }

            if (a.Delta is { } delta)
            {
                output.WriteLine(Invariant($"    delta check: |change| > {delta.Absolute?.ToString(CultureInfo.InvariantCulture) ?? "-"} {a.Unit.Code} and > {delta.RelativePercent?.ToString(CultureInfo.InvariantCulture) ?? "-"}% within {delta.MaxAgeDays} days"));
            }
        }

        output.WriteLine();
        output.WriteLine("Sample types (vendor 'Unknown' recognised by name)");
        foreach (var rule in rules.SampleTypeRules)
        {
            output.WriteLine($"  {rule.Pattern} → {MirtLab.Core.Results.SampleTypeNames.ToCode(rule.Type)}");
        }

        output.WriteLine();
        output.WriteLine("Sample metadata");
        foreach (var rule in rules.SampleMetadataRules)
        {
            output.WriteLine($"  {rule.Field}: {rule.Pattern}");
        }

        output.WriteLine();
        output.WriteLine("Interpretive comments (never change a flag or a status)");
        foreach (var c in rules.CommentRules)
        {
            var when = (c.AtOrAbove, c.Below) switch
            {
                (decimal lo, decimal hi) => Invariant($"{lo} ≤ value < {hi}"),
                (decimal lo, null) => Invariant($"value ≥ {lo}"),
                (null, decimal hi) => Invariant($"value < {hi}"),
                _ => "every value",
            };
            output.WriteLine($"  [{c.Id}] {c.AnalyteCode}, {when}: {c.Text}");
        }

        var acceptance = rules.Acceptance;
        output.WriteLine();
        output.WriteLine("Run acceptance");
        output.WriteLine(Invariant($"  calibrators within ±{acceptance.CalibratorTolerancePercent}% (±{acceptance.LloqTolerancePercent}% at the LLOQ), ≥ {acceptance.MinCalibratorPassFraction} of them, ≥ {acceptance.MinCalibrationLevels} levels"));
        output.WriteLine(Invariant($"  QCs within ±{acceptance.QcTolerancePercent}%, ≥ {acceptance.MinQcPassFraction} of all and ≥ {acceptance.MinQcLevelPassFraction} per level; calibration required: {acceptance.RequireCalibration}"));
        output.WriteLine(Invariant($"  MirtLab's own fit: r² ≥ {acceptance.MinRSquared}; agrees with the vendor's curve within {acceptance.VendorCurveAgreementPercent}% at each calibrator"));
        if (acceptance.CalibrationModels.Count == 0)
        {
            output.WriteLine("  calibration models: none configured (the model the export states is fitted)");
        }

        foreach (var m in acceptance.CalibrationModels)
        {
            output.WriteLine($"  calibration model of {m.Analyte}: {m.Fit}, weighting {m.Weighting}{(m.Source is { Length: > 0 } source ? " — " + source : string.Empty)}");
        }

        output.WriteLine(Invariant($"  internal standard {acceptance.InternalStandardLowPercent}-{acceptance.InternalStandardHighPercent}% of the mean, drift ≤ {acceptance.InternalStandardDriftPercent}%; retention time ±{acceptance.RetentionTimeTolerancePercent}%, ion ratio ±{acceptance.IonRatioTolerancePercent}%"));
        output.WriteLine(Invariant($"  carry-over after the ULOQ: analyte ≤ {acceptance.CarryOverAnalytePercentOfLloq}% of the LLOQ response, IS ≤ {acceptance.CarryOverInternalStandardPercent}%"));
        output.WriteLine(Invariant($"  Westgard rules {string.Join(", ", acceptance.WestgardRules)}; a level without a configured target uses its last {acceptance.QcTargetObservations} accepted results"));
        foreach (var t in rules.QcTargets)
        {
            output.WriteLine(Invariant($"  QC target {t.Analyte} level {t.Level}: mean {t.Mean}, SD {t.Sd}{(t.Source is { Length: > 0 } source ? " — " + source : string.Empty)}"));
        }

        return ExitCodes.Ok;
    }

    private static JsonObject ToJson(RuleSet rules, string file) => new()
    {
        ["version"] = rules.Version,
        ["label"] = rules.Label,
        ["sha256"] = rules.ContentHash,
        ["file"] = file,
        ["analytes"] = new JsonArray(rules.Catalog.Analytes.Select(a => (JsonNode)new JsonObject
        {
            ["code"] = a.Code,
            ["name"] = a.Name,
            ["loinc"] = a.Loinc,
            ["unit"] = a.Unit.Code,
            ["molarMass"] = a.MolarMass,
            ["specimen"] = a.Specimen,
            ["precision"] = Precision(a.Precision),
            ["internalStandard"] = a.IsInternalStandard,
            ["derivation"] = a.Derivation is { } d ? Describe(d) : null,
            ["aliases"] = new JsonArray(a.Aliases.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray()),
            ["ranges"] = new JsonArray(a.Ranges.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["kind"] = r.Kind.ToString().ToLowerInvariant(),
                ["low"] = r.Low,
                ["high"] = r.High,
                ["when"] = r.When.ToString(),
                ["source"] = r.Source,
            }).ToArray()),
            ["delta"] = a.Delta is { } delta ? new JsonObject { ["absolute"] = delta.Absolute, ["relativePercent"] = delta.RelativePercent, ["maxAgeDays"] = delta.MaxAgeDays } : null,
        }).ToArray()),
        ["comments"] = new JsonArray(rules.CommentRules.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["analyte"] = c.AnalyteCode,
            ["atOrAbove"] = c.AtOrAbove,
            ["below"] = c.Below,
            ["text"] = c.Text,
            ["source"] = c.Source,
        }).ToArray()),
        ["acceptance"] = System.Text.Json.JsonSerializer.SerializeToNode(rules.Acceptance),
        ["qcTargets"] = new JsonArray(rules.QcTargets.Select(t => (JsonNode)new JsonObject
        {
            ["analyte"] = t.Analyte,
            ["level"] = t.Level,
            ["mean"] = t.Mean,
            ["sd"] = t.Sd,
            ["source"] = t.Source,
        }).ToArray()),
    };

    private static string Describe(Derivation d) => d.Kind switch
    {
        DerivationKind.Ratio => $"{d.Components[0]} / {d.Components[1]}",
        DerivationKind.Sum => string.Join(" + ", d.Components),
        _ => $"{d.Components[0]} per mg/day of dose",
    } + (d.HoldComponentsWhenFlagged ? ", holds its components when flagged" : string.Empty);

    private static string Precision(ReportingPrecision p) =>
        p.Decimals is int decimals ? Invariant($"{decimals} decimal{(decimals == 1 ? string.Empty : "s")}") : Invariant($"{p.SignificantFigures ?? 3} significant figures");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
