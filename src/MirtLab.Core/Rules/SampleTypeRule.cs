using System.Text.RegularExpressions;
using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>
/// Recognises non-patient injections that the vendor typed as <c>Unknown</c> (Analyst types blanks so):
/// a sample-name pattern and the type it means. Applied in order; the first match wins.
/// </summary>
public sealed record SampleTypeRule(Regex Pattern, SampleType Type)
{
    public static SampleType Refine(SampleType readerType, string sampleName, IReadOnlyList<SampleTypeRule> rules)
    {
        if (readerType != SampleType.Unknown)
        {
            return readerType;
        }

        foreach (var rule in rules)
        {
            if (rule.Pattern.IsMatch(sampleName))
            {
                return rule.Type;
            }
        }

        return readerType;
    }
}
