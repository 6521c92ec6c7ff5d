using System.Text.Json.Serialization;

namespace MirtLab.Worker.Operations;

/// <summary>
/// What lab IT sees at a glance, the same on the status page, <c>/api/status</c> and <c>mirtlab status</c>: per
/// instrument the last file seen, per destination its state and backlog, recent quarantines, and the alerts set.
/// </summary>
public sealed record StatusReport(
    string Node,
    DateTimeOffset GeneratedUtc,
    string Source,
    IReadOnlyList<InstrumentStatus> Instruments,
    IReadOnlyList<DestinationReport> Destinations,
    IReadOnlyList<QuarantineEntry> RecentQuarantines,
    IReadOnlyList<Alert> Alerts,
    DiskStatus? Disk)
{
    /// <summary>The report was built inside the running service (live destination state).</summary>
    public const string FromService = "service";

    /// <summary>The report was built from the store by the command line (no live destination state).</summary>
    public const string FromStore = "store";
}

/// <summary>One instrument: its inbox and the last file seen from it.</summary>
/// <param name="Id">Instrument id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Inbox">Its drop folder.</param>
/// <param name="LastFileName">The last input received (recorded in the store), if any.</param>
/// <param name="LastFileOutcome">accepted, rejected or duplicate.</param>
/// <param name="LastFileUtc">When that input was received.</param>
/// <param name="LastSeenUtc">The later of the last input and the newest entry waiting in the inbox.</param>
/// <param name="LastSeenAgeSeconds">Seconds since <paramref name="LastSeenUtc"/>.</param>
/// <param name="Waiting">Entries waiting in the inbox now (-1 when the inbox cannot be read).</param>
/// <param name="Last24Hours">Inputs received in the last 24 hours, by outcome.</param>
/// <param name="WorkingHours">The silence schedule, if one is configured.</param>
public sealed record InstrumentStatus(
    string Id,
    string Name,
    string Inbox,
    string? LastFileName,
    string? LastFileOutcome,
    DateTimeOffset? LastFileUtc,
    DateTimeOffset? LastSeenUtc,
    double? LastSeenAgeSeconds,
    int Waiting,
    IReadOnlyDictionary<string, long> Last24Hours,
    string? WorkingHours);

/// <summary>One destination: its state and its outbox backlog.</summary>
/// <param name="Name">lis or mqtt.</param>
/// <param name="State">ok (nothing waits, or entries are being delivered), failing (the last attempt failed), unknown.</param>
/// <param name="Pending">Outbox entries waiting.</param>
/// <param name="OldestPendingUtc">When the oldest of them was committed.</param>
/// <param name="OldestPendingAgeSeconds">Its age in seconds.</param>
/// <param name="Dead">Dead letters.</param>
/// <param name="LastDeliveredUtc">The last successful delivery.</param>
/// <param name="FailingSinceUtc">Since when deliveries fail (service only).</param>
/// <param name="LastError">The last delivery error still relevant (of a waiting entry).</param>
public sealed record DestinationReport(
    string Name,
    string State,
    long Pending,
    DateTimeOffset? OldestPendingUtc,
    double? OldestPendingAgeSeconds,
    long Dead,
    DateTimeOffset? LastDeliveredUtc,
    DateTimeOffset? FailingSinceUtc,
    string? LastError);

/// <summary>A quarantined input: where it is and the first reason.</summary>
public sealed record QuarantineEntry(string Instrument, string Name, DateTimeOffset ReceivedUtc, string Reason, string Path);

/// <summary>Free space of the disk holding the data root.</summary>
public sealed record DiskStatus(string Path, long FreeBytes, long TotalBytes)
{
    public double FreePercent => TotalBytes <= 0 ? 100 : 100.0 * FreeBytes / TotalBytes;
}

/// <summary>
/// Something lab IT must act on. Its key (<see cref="Kind"/>, <see cref="Subject"/>) names its retained MQTT topic
/// <c>mirtlab/v1/alerts/{node}/{kind}/{subject}</c>.
/// </summary>
public sealed record Alert(string Kind, string Subject, string Severity, DateTimeOffset SinceUtc, string Message)
{
    [JsonIgnore]
    public (string Kind, string Subject) Key => (Kind, Subject);
}

/// <summary>The kinds of alert, as they appear in topics, metrics and logs.</summary>
public static class AlertKinds
{
    /// <summary>No file from an instrument within its window of working time.</summary>
    public const string InstrumentSilent = "instrument-silent";

    /// <summary>An instrument's input was quarantined recently.</summary>
    public const string Quarantine = "quarantine";

    /// <summary>A destination's oldest waiting outbox entry is older than the threshold.</summary>
    public const string Backlog = "backlog";

    /// <summary>The data disk is nearly full.</summary>
    public const string DiskSpace = "disk-space";

    public static readonly IReadOnlyList<string> All = [InstrumentSilent, Quarantine, Backlog, DiskSpace];
}

/// <summary>The latest report the monitor built, for the metrics' gauges.</summary>
public sealed class OperationsState
{
    private StatusReport? _latest;

    public StatusReport? Latest
    {
        get => Volatile.Read(ref _latest);
        set => Volatile.Write(ref _latest, value);
    }
}
