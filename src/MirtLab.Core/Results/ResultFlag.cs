namespace MirtLab.Core.Results;

/// <summary>
/// A flag on a result (HL7 table 0078 code) with what raised it, so QA can reconstruct the decision:
/// the rule, the reason in words, the thresholds used and the configuration version in force.
/// </summary>
public sealed record ResultFlag(string Code, string RuleId, string Reason, string Thresholds, string ConfigVersion);

/// <summary>HL7 v2 table 0078 abnormal flags MirtLab raises.</summary>
public static class Hl7Flags
{
    public const string Low = "L";
    public const string High = "H";
    public const string CriticalLow = "LL";
    public const string CriticalHigh = "HH";
    public const string BelowReportable = "<";
    public const string AboveReportable = ">";
    public const string Abnormal = "A";
    public const string SignificantChangeUp = "U";
    public const string SignificantChangeDown = "D";
}

/// <summary>Whether a patient result is released (final) or held for review (preliminary), CLSI AUTO15 style.</summary>
public enum ResultStatus
{
    Preliminary,
    Final,
    Corrected,
}
