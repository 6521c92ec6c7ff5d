using System.Text.RegularExpressions;
using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>
/// Recognises non-patient injections that the vendor typed as <c>Unknown</c> (Analyst types blanks so):
/// a sample-name pattern and the type it means. Applied in order; the first match wins. A sample whose name or id
/// carries a patient id (the sample-metadata patterns) stays a patient sample whatever else its name says:
/// "P-240118 trough (wash-out week 2)" is a patient's trough, not a wash.
/// </summary>
public sealed record SampleTypeRule(Regex Pattern, SampleType Type)
{
    // Every row of an injection asks about the same name: the last answer is reused instead of matching again.
    [ThreadStatic]
    private static (IReadOnlyList<SampleTypeRule> Rules, IReadOnlyList<SampleMetadataRule> MetadataRules, string Name, string? Id, SampleTypeRefinement Refinement)? t_last;

    public static SampleTypeRefinement Refine(InstrumentResult row, IReadOnlyList<SampleTypeRule> rules, IReadOnlyList<SampleMetadataRule> metadataRules)
    {
        if (row.SampleType != SampleType.Unknown)
        {
            return new SampleTypeRefinement(row.SampleType, null, null);
        }

        if (t_last is { } last && ReferenceEquals(last.Rules, rules) && ReferenceEquals(last.MetadataRules, metadataRules)
            && string.Equals(last.Name, row.SampleName, StringComparison.Ordinal) && string.Equals(last.Id, row.SampleId, StringComparison.Ordinal))
        {
            return last.Refinement;
        }

        var refinement = new SampleTypeRefinement(SampleType.Unknown, null, null);
        foreach (var rule in rules)
        {
            if (PatternMatch.IsMatch(rule.Pattern, row.SampleName))
            {
                refinement = SampleMetadataRule.PatientIdInNameOrId(row, metadataRules) is { } patient
                    ? new SampleTypeRefinement(SampleType.Unknown, rule, patient)
                    : new SampleTypeRefinement(rule.Type, rule, null);
                break;
            }
        }

        t_last = (rules, metadataRules, row.SampleName, row.SampleId, refinement);
        return refinement;
    }
}

/// <summary>
/// What the name patterns made of a sample: its type, the rule whose pattern matched its name (null when none did),
/// and the patient id that kept a matching sample a patient sample (null when the rule applied).
/// </summary>
public readonly record struct SampleTypeRefinement(SampleType Type, SampleTypeRule? MatchedRule, string? KeptForPatient)
{
    /// <summary>True when a name pattern turned a vendor-typed <c>Unknown</c> into another type.</summary>
    public bool Reclassified => MatchedRule is not null && KeptForPatient is null;
}
