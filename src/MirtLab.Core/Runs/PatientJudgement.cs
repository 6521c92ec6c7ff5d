using System.Globalization;
using MirtLab.Core.Catalog;
using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Units;

namespace MirtLab.Core.Runs;

/// <summary>
/// A patient result being judged: the rules add flags, hold reasons and comments; <see cref="Build"/> decides
/// the status (final only when nothing holds it, CLSI AUTO15 style). Derived observations are judged the same way.
/// </summary>
internal sealed class PatientJudgement
{
    private readonly List<ResultFlag> _flags = [];
    private readonly List<string> _holds = [];
    private readonly List<ResultComment> _comments = [];
    private readonly string _configVersion;
    private string? _referenceRange;

    public PatientJudgement(EvaluatedResult result, SampleMetadata metadata, string configVersion, IReadOnlyList<string>? derivedFrom = null)
    {
        Result = result;
        Metadata = metadata;
        Value = result.Value;
        _configVersion = configVersion;
        DerivedFrom = derivedFrom ?? [];
    }

    public EvaluatedResult Result { get; }

    public SampleMetadata Metadata { get; }

    public ResultValue Value { get; set; }

    public IReadOnlyList<string> DerivedFrom { get; }

    public bool IsDerived => DerivedFrom.Count > 0;

    public bool IsHeld => _holds.Count > 0;

    public IReadOnlyList<ResultFlag> Flags => _flags;

    private Analyte Analyte => Result.Analyte!;

    public void Flag(ResultFlag flag)
    {
        _flags.Add(flag);
        _holds.Add($"{flag.RuleId}: {flag.Code} {flag.Reason}");
    }

    public void Hold(string reason) => _holds.Add(reason);

    /// <summary>Holds the result for a per-injection finding of the run evaluation (its IS, retention time or ion ratio).</summary>
    public void HoldFromRun(SampleHold hold) => _holds.Add($"{hold.CheckId}: {hold.Reason}");

    public void JudgeRanges(RangeContext context)
    {
        var (flags, normal) = RangeRule.Evaluate(Analyte, Value, context, _configVersion);
        foreach (var flag in flags)
        {
            Flag(flag);
        }

        _referenceRange = normal is null ? null : RangeRule.ToReferenceText(normal);
        if (normal is null && Analyte.RequireRange)
        {
            Hold($"range: no reference or therapeutic range applies to {Analyte.Name} ({context.Specimen ?? "any specimen"})");
        }
    }

    public void Comment(RuleSet rules)
    {
        foreach (var rule in rules.CommentRules.Where(r => r.Applies(Analyte.Code, Value)))
        {
            _comments.Add(new ResultComment(rule.Id, rule.Text, rule.Source, _configVersion));
        }
    }

    public EvaluatedResult Build() => new()
    {
        ResultKey = Result.ResultKey,
        Raw = Result.Raw,
        SampleType = Result.SampleType,
        Analyte = Analyte,
        Unit = Result.Unit,
        Value = Value,
        UnroundedNumber = Result.UnroundedNumber,
        Nominal = Result.Nominal,
        Display = Value.Display(Analyte.Precision.Format),
        Flags = _flags,
        Status = _holds.Count == 0 ? ResultStatus.Final : ResultStatus.Preliminary,
        HoldReasons = _holds,
        ReferenceRange = _referenceRange,
        AcquiredUtc = Result.AcquiredUtc,
        PatientId = Metadata.PatientId,
        DoseMgPerDay = Metadata.DoseMgPerDay,
        Comments = _comments,
        DerivedFrom = DerivedFrom,
    };

    /// <summary>
    /// Computes the catalog's derived observations for each sample from its judged results, judges them, and
    /// applies consistency holds. A derived value needs every component reported as a number (a result beyond the
    /// reportable range is a limit, not a number, so it gives none) and is computed from the components' unrounded
    /// numbers: it is rounded once, when it is reported.
    /// </summary>
    public static IReadOnlyList<PatientJudgement> Derive(List<PatientJudgement> measured, RuleSet rules, RunIdentity identity)
    {
        var derived = new List<PatientJudgement>();
        var recipes = rules.Catalog.Analytes.Where(a => a.Derivation is not null).ToList();
        if (recipes.Count == 0)
        {
            return derived;
        }

        foreach (var sample in measured.GroupBy(m => (m.Result.Raw.SampleName, m.Result.Raw.SampleId ?? string.Empty, m.Result.Raw.Source.File)))
        {
            foreach (var recipe in recipes)
            {
                var components = recipe.Derivation!.Components
                    .Select(code => sample.FirstOrDefault(m => m.Analyte.Code == code))
                    .ToList();
                if (components.Any(c => c is null || MeasuredNumber(c) is null))
                {
                    continue;
                }

                var value = Compute(recipe, components!);
                if (value is not decimal v)
                {
                    continue;
                }

                var first = components[0]!;
                var keys = components.Select(c => c!.Result.ResultKey).ToList();
                var rounded = recipe.Precision.Round(v);
                var result = new EvaluatedResult
                {
                    ResultKey = ResultKeys.DerivedKey(keys, recipe.Code),
                    Raw = new InstrumentResult
                    {
                        Source = first.Result.Raw.Source,
                        SampleName = first.Result.Raw.SampleName,
                        SampleId = first.Result.Raw.SampleId,
                        SampleType = SampleType.Unknown,
                        RawAnalyte = recipe.Name,
                        RawValueText = v.ToString(CultureInfo.InvariantCulture),
                        Value = ResultValue.FromNumber(v),
                        RawUnit = recipe.Unit.Code,
                        AcquiredLocal = first.Result.Raw.AcquiredLocal,
                        Comment = first.Result.Raw.Comment,
                    },
                    SampleType = SampleType.Unknown,
                    Analyte = recipe,
                    Unit = recipe.Unit,
                    Value = ResultValue.FromNumber(rounded),
                    UnroundedNumber = v,
                    Display = recipe.Precision.Format(rounded),
                    AcquiredUtc = first.Result.AcquiredUtc,
                };
                var draft = new PatientJudgement(result, first.Metadata, rules.Version, keys);
                draft.JudgeRanges(new RangeContext(recipe.Specimen ?? first.Analyte.Specimen, first.Metadata.Sex, first.Metadata.AgeYears, identity.FormatId, identity.InstrumentId));
                foreach (var component in components.Where(c => c!.IsHeld))
                {
                    draft.Hold($"derived: its component {component!.Analyte.Name} is held");
                }

                if (recipe.Derivation.HoldComponentsWhenFlagged && draft.Flags.Count > 0)
                {
                    var what = string.Join(", ", draft.Flags.Select(f => $"{f.Code} ({f.Reason})"));
                    foreach (var component in components)
                    {
                        component!.Hold($"consistency:{recipe.Code}: {recipe.Name} {rounded.ToString(CultureInfo.InvariantCulture)} is flagged {what}");
                    }
                }

                derived.Add(draft);
            }
        }

        return derived;
    }

    /// <summary>The number a component was measured as, before rounding; null when it is not reported as a number.</summary>
    private static decimal? MeasuredNumber(PatientJudgement component) =>
        component.Value.Number is decimal reported ? component.Result.UnroundedNumber ?? reported : null;

    private static decimal? Compute(Analyte recipe, List<PatientJudgement?> components)
    {
        var values = components.Select(c => (MeasuredNumber(c!)!.Value, c!.Analyte)).ToList();
        switch (recipe.Derivation!.Kind)
        {
            case DerivationKind.Ratio:
                var (numerator, numeratorAnalyte) = values[0];
                var (denominator, denominatorAnalyte) = values[1];
                var inSameUnit = UnitConversion.Convert(numerator, numeratorAnalyte.Unit, denominatorAnalyte.Unit, numeratorAnalyte.MolarMass);
                return denominator == 0m || !inSameUnit.Succeeded ? null : inSameUnit.Value!.Value / denominator;
            case DerivationKind.Sum:
                decimal sum = 0m;
                foreach (var (value, analyte) in values)
                {
                    var converted = UnitConversion.Convert(value, analyte.Unit, recipe.Unit, analyte.MolarMass);
                    if (!converted.Succeeded)
                    {
                        return null;
                    }

                    sum += converted.Value!.Value;
                }

                return sum;
            default:
                return components[0]!.Metadata.DoseMgPerDay is > 0m and var dose ? values[0].Value / dose : null;
        }
    }
}
