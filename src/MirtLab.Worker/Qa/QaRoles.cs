namespace MirtLab.Worker.Qa;

/// <summary>The roles a MirtLab user has: exactly one each.</summary>
public static class QaRoles
{
    /// <summary>Views runs, results, plots and charts; never signs.</summary>
    public const string Technician = "technician";

    /// <summary>Everything a technician does, and signs QA decisions; reads the audit trail.</summary>
    public const string QaReviewer = "qa-reviewer";

    /// <summary>Views runs and reads the audit trail; manages users from the command line. Does not sign off results (separation of duties).</summary>
    public const string Administrator = "administrator";

    public static readonly IReadOnlyList<string> All = [Technician, QaReviewer, Administrator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Authorisation policies of the web pages.</summary>
public static class QaPolicies
{
    /// <summary>Any signed-in, enabled user: runs, plots, charts.</summary>
    public const string View = "view";

    /// <summary>QA reviewers only: accept, reject, release.</summary>
    public const string SignOff = "sign-off";

    /// <summary>QA reviewers and administrators: the audit trail and its export.</summary>
    public const string Audit = "audit";
}

/// <summary>Fixed security settings of the QA workflow (documented in the README, "QA review").</summary>
public static class QaSecurity
{
    /// <summary>Wrong passwords in a row (sign-in or signature) before an account is locked.</summary>
    public const int MaxFailedAttempts = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromMinutes(30);

    public const int MinPasswordLength = 12;

    public const int MaxPasswordLength = 256;

    /// <summary>A reason must say something: at least this many characters that are not white space.</summary>
    public const int MinReasonLength = 10;

    public const int MaxReasonLength = 2000;

    /// <summary>Claim carrying the user's security stamp, compared with the store on every request.</summary>
    public const string StampClaim = "mirtlab:stamp";
}
