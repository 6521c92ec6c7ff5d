namespace MirtLab.Worker.Qa;

/// <summary>What a QA reviewer can decide.</summary>
public enum QaDecisionKind
{
    /// <summary>Accept one analyte's calibration and QCs in a run: results held only by the run are released.</summary>
    AcceptAnalyte,

    /// <summary>Reject one analyte in a run: its patient results stay (or become) preliminary, with the reason.</summary>
    RejectAnalyte,

    /// <summary>Release one held patient result, overriding its holds (flags stay on the result).</summary>
    ReleaseResult,
}

/// <summary>A decision as the reviewer submitted it, before it is signed.</summary>
/// <param name="RunKey">The run.</param>
/// <param name="Kind">What is decided.</param>
/// <param name="Analyte">The analyte (catalog code) decided on; for a release, the result's analyte.</param>
/// <param name="ResultKey">The result released (release only).</param>
/// <param name="Reason">Why, in the reviewer's words; mandatory.</param>
/// <param name="ExpectedRunVersion">The run's <c>updated_utc</c> the reviewer saw; a decision on a run that changed since is refused.</param>
public sealed record QaDecisionRequest(string RunKey, QaDecisionKind Kind, string Analyte, string? ResultKey, string Reason, string? ExpectedRunVersion);

/// <summary>What a signed decision did.</summary>
public sealed record QaDecisionOutcome(long DecisionId, long BatchId, long AuditSequence, string PreviousOutcome, string NewOutcome, string RunOutcome, IReadOnlyList<QaResultChange> Changes);

/// <summary>One patient result a decision changed: a new revision.</summary>
public sealed record QaResultChange(string ResultKey, string SampleName, string? Analyte, int Revision, string? PreviousStatus, string Status);

/// <summary>A decision that cannot be made as asked (the reviewer is told why; nothing was written).</summary>
public sealed class QaDecisionException(string message, bool conflict = false) : Exception(message)
{
    /// <summary>True when the run changed since the reviewer opened it.</summary>
    public bool IsConflict { get; } = conflict;
}

/// <summary>Codes and words of decisions, as stored and shown.</summary>
public static class QaDecisionText
{
    public static string Code(QaDecisionKind kind) => kind switch
    {
        QaDecisionKind.AcceptAnalyte => "accept-analyte",
        QaDecisionKind.RejectAnalyte => "reject-analyte",
        QaDecisionKind.ReleaseResult => "release-result",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static QaDecisionKind? Parse(string? code) => code switch
    {
        "accept-analyte" => QaDecisionKind.AcceptAnalyte,
        "reject-analyte" => QaDecisionKind.RejectAnalyte,
        "release-result" => QaDecisionKind.ReleaseResult,
        _ => null,
    };

    /// <summary>The meaning of the electronic signature (21 CFR 11.50(a)(3)), recorded with it.</summary>
    public static string Meaning(QaDecisionKind kind, string analyte, string runKey, string? sampleName) => kind switch
    {
        QaDecisionKind.AcceptAnalyte => $"Approval: I reviewed the {analyte} calibration and QCs of run {runKey} and accept them; results held only because of the run are released.",
        QaDecisionKind.RejectAnalyte => $"Rejection: I reviewed the {analyte} calibration and QCs of run {runKey} and reject them; its patient results are not released.",
        QaDecisionKind.ReleaseResult => $"Release: I reviewed the holds on the {analyte} result of sample {sampleName} in run {runKey} and release it as reportable.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
