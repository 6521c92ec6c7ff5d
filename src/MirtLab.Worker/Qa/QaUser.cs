namespace MirtLab.Worker.Qa;

/// <summary>A user as the store keeps it (a class with setters: Dapper maps SQLite NULLs into it).</summary>
public sealed class QaUser
{
    public long Id { get; init; }

    public string Name { get; init; } = string.Empty;

    public string DisplayName { get; init; } = string.Empty;

    public string Role { get; init; } = string.Empty;

    public string PasswordHash { get; init; } = string.Empty;

    public string SecurityStamp { get; init; } = string.Empty;

    public string CreatedUtc { get; init; } = string.Empty;

    public string CreatedBy { get; init; } = string.Empty;

    public string PasswordChangedUtc { get; init; } = string.Empty;

    public string? DisabledUtc { get; init; }

    public string? DisabledBy { get; init; }

    public long FailedAttempts { get; init; }

    public string? LockedUntilUtc { get; init; }

    public string? LastSignInUtc { get; init; }

    public bool IsDisabled => DisabledUtc is not null;

    public bool IsLockedAt(DateTimeOffset now) =>
        LockedUntilUtc is { } until && string.CompareOrdinal(until, Store.MirtLabStore.Iso(now)) > 0;
}

/// <summary>The person signing a decision, as the signature records them.</summary>
public sealed record QaSigner(long Id, string Name, string DisplayName, string Role);
