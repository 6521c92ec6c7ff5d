using System.Text.RegularExpressions;
using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>
/// Recognises non-patient injections that the vendor typed as <c>Unknown</c> (Analyst types blanks so):
/// a sample-name pattern and the type it means. Applied in order; the first match wins.
/// </summary>
public sealed record SampleTypeRule(Regex Pattern, SampleType Type)
{
    // Every row of an injection asks about the same name: the last answer is reused instead of matching again.
    [ThreadStatic]
    private static (IReadOnlyList<SampleTypeRule> Rules, string Name, SampleType Type)? t_last;

    public static SampleType Refine(SampleType readerType, string sampleName, IReadOnlyList<SampleTypeRule> rules)
    {
        if (readerType != SampleType.Unknown)
        {
            return readerType;
        }

        if (t_last is { } last && ReferenceEquals(last.Rules, rules) && string.Equals(last.Name, sampleName, StringComparison.Ordinal))
        {
            return last.Type;
        }

        var type = readerType;
        foreach (var rule in rules)
        {
            if (PatternMatch.IsMatch(rule.Pattern, sampleName))
            {
                type = rule.Type;
                break;
            }
        }

        t_last = (rules, sampleName, type);
        return type;
    }
}
