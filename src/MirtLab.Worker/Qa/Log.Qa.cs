namespace MirtLab.Worker;

/// <summary>Log events of the QA web workflow (7000–7099) and the audit trail (8000–8099). Passwords are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Information, "{User} ({Role}) signed in from {Remote}")]
    public static partial void SignedIn(ILogger logger, string user, string role, string? remote);

    [LoggerMessage(7002, LogLevel.Warning, "Sign-in refused for '{AttemptedName}' from {Remote}: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string attemptedName, string? remote, string reason);

    [LoggerMessage(7003, LogLevel.Warning, "Account '{User}' locked after {Attempts} failed password checks")]
    public static partial void AccountLocked(ILogger logger, string user, int attempts);

    [LoggerMessage(7004, LogLevel.Warning, "Electronic signature refused for {User}: {Reason}")]
    public static partial void SignatureRefused(ILogger logger, string user, string reason);

    [LoggerMessage(7005, LogLevel.Information, "{User} signed {Kind} {Analyte} on run {RunKey}: {PreviousOutcome} → {NewOutcome}, {Changed} result revision(s) in batch {BatchId}")]
    public static partial void DecisionSigned(ILogger logger, string user, string kind, string analyte, string runKey, string previousOutcome, string newOutcome, int changed, long batchId);

    [LoggerMessage(7006, LogLevel.Warning, "Decision {Kind} {Analyte} on run {RunKey} by {User} not recorded: {Reason}")]
    public static partial void DecisionRefused(ILogger logger, string kind, string analyte, string runKey, string user, string reason);

    [LoggerMessage(7007, LogLevel.Information, "{User} signed out")]
    public static partial void SignedOut(ILogger logger, string user);

    [LoggerMessage(7008, LogLevel.Information, "Session of user {UserId} ended: {Reason}")]
    public static partial void SessionRejected(ILogger logger, string userId, string reason);

    [LoggerMessage(8001, LogLevel.Error, "Audit trail broken at record {Sequence}: {Problem}")]
    public static partial void AuditBroken(ILogger logger, long? sequence, string? problem);

    [LoggerMessage(8002, LogLevel.Information, "Audit trail exported as CSV by {User}: {Records} records")]
    public static partial void AuditExported(ILogger logger, string user, int records);
}
