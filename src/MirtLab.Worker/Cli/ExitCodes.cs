namespace MirtLab.Worker.Cli;

/// <summary>Exit codes of every <c>mirtlab</c> verb (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>An internal error: a bug or an unexpected failure; see the message and the log.</summary>
    public const int InternalError = 1;

    /// <summary>The input was rejected as bad input (check), or a named item does not exist.</summary>
    public const int BadInput = 2;

    /// <summary>The configuration is invalid; every problem is printed, one sentence each.</summary>
    public const int BadConfiguration = 3;

    /// <summary>The audit trail's hash chain is broken (audit verify).</summary>
    public const int AuditBroken = 4;

    /// <summary>status: at least one alert is set (the report says which).</summary>
    public const int AlertsSet = 5;

    /// <summary>replay --wait: not every queued delivery finished in time; the service goes on delivering them.</summary>
    public const int NotFinished = 6;
}
