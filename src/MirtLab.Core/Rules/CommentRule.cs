using MirtLab.Core.Results;

namespace MirtLab.Core.Rules;

/// <summary>An interpretive comment on a result, with the rule and configuration that produced it.</summary>
public sealed record ResultComment(string RuleId, string Text, string? Source, string ConfigVersion);

/// <summary>
/// An interpretive comment for a numeric patient value of one analyte, when the value is at or above
/// <see cref="AtOrAbove"/> and below <see cref="Below"/> (either may be absent). Comments are a separate rule
/// set: they never change a flag or a status.
/// </summary>
public sealed record CommentRule(string Id, string AnalyteCode, decimal? AtOrAbove, decimal? Below, string Text, string? Source)
{
    public bool Applies(string analyteCode, ResultValue value) =>
        string.Equals(analyteCode, AnalyteCode, StringComparison.Ordinal)
        && value.Number is decimal v
        && (AtOrAbove is null || v >= AtOrAbove)
        && (Below is null || v < Below);
}
