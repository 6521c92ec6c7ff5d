using System.Globalization;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Operations;

/// <summary>
/// Builds the <see cref="StatusReport"/> and decides which alerts are set. The same code runs in the service (the
/// monitor, the status page, <c>/api/status</c>) and in <c>mirtlab status</c>, so they always agree: every alert is
/// a function of the store, the inboxes, the disk and the clock.
/// </summary>
public sealed class StatusBuilder
{
    private const int RecentQuarantines = 10;
    private readonly MirtLabSettings _settings;
    private readonly MirtLabStore _store;
    private readonly TimeProvider _time;
    private readonly Func<string, DiskStatus?> _disk;
    private readonly DestinationStatus? _live;

    /// <param name="settings">The configuration.</param>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="disk">Free space of the disk holding a path (tests pass a fake); default <see cref="DiskSpace.Probe"/>.</param>
    /// <param name="live">The dispatchers' live view of their destinations, inside the service; null from the command line.</param>
    public StatusBuilder(MirtLabSettings settings, MirtLabStore store, TimeProvider time, Func<string, DiskStatus?>? disk = null, DestinationStatus? live = null)
    {
        _settings = settings;
        _store = store;
        _time = time;
        _disk = disk ?? DiskSpace.Probe;
        _live = live;
    }

    public async Task<StatusReport> BuildAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var alerts = _settings.Alerts;
        var quarantineWindow = TimeSpan.FromHours(alerts.QuarantineHours);
        var data = await _store.ReadOperationsAsync(now.AddHours(-24), now - quarantineWindow, RecentQuarantines, cancellationToken);
        var disk = _disk(_settings.DataRoot);

        var instruments = _settings.Instruments.Select(i => Instrument(i, data, now)).ToList();
        var destinations = _settings.Destinations.Select(d => Destination(d, data, now)).ToList();
        var quarantines = data.RecentQuarantines.Select(q => new QuarantineEntry(q.Instrument, q.Name, q.ReceivedUtc, q.Reason, q.FinalPath)).ToList();

        var set = new List<Alert>();
        foreach (var instrument in _settings.Instruments)
        {
            var status = instruments.Single(i => i.Id == instrument.Id);
            if (instrument.Silence is { } schedule)
            {
                var reference = status.LastSeenUtc ?? data.StoreCreatedUtc ?? now;
                if (WorkingTime.WindowElapsedAt(schedule, instrument.TimeZone, reference, now) is { } silentSince)
                {
                    var last = status.LastSeenUtc is { } seen ? $"the last file was seen {Ago(now - seen)} ago ({Utc(seen)})" : "no file was ever seen";
                    set.Add(new Alert(AlertKinds.InstrumentSilent, instrument.Id, "warning", silentSince,
                        $"No file from {instrument.Id} for {Minutes(schedule.Window)} of working time ({schedule}, {instrument.TimeZone.Id}); {last}."));
                }
            }

            if (alerts.QuarantineHours > 0 && data.QuarantinesInWindow.TryGetValue(instrument.Id, out var q))
            {
                var latest = data.RecentQuarantines.FirstOrDefault(r => r.Instrument == instrument.Id);
                set.Add(new Alert(AlertKinds.Quarantine, instrument.Id, "warning", q.Latest,
                    string.Create(CultureInfo.InvariantCulture, $"{q.Count} input(s) from {instrument.Id} quarantined in the last {alerts.QuarantineHours} h") +
                    (latest is null ? "." : $"; the latest, {latest.Name}: {latest.Reason}")));
            }
        }

        if (alerts.BacklogMaxAgeMinutes > 0)
        {
            var limit = TimeSpan.FromMinutes(alerts.BacklogMaxAgeMinutes);
            foreach (var d in destinations.Where(d => d.OldestPendingUtc is { } oldest && now - oldest >= limit))
            {
                set.Add(new Alert(AlertKinds.Backlog, d.Name, "error", d.OldestPendingUtc!.Value + limit,
                    string.Create(CultureInfo.InvariantCulture, $"{d.Pending} batch(es) wait for {d.Name}, the oldest for {Ago(now - d.OldestPendingUtc.Value)} (limit {Minutes(limit)})") +
                    (d.LastError is { } error ? $": {error}" : ".")));
            }
        }

        if (disk is not null && IsDiskLow(disk, alerts))
        {
            set.Add(new Alert(AlertKinds.DiskSpace, "data", "error", now,
                string.Create(CultureInfo.InvariantCulture, $"The data disk ({disk.Path}) has {disk.FreeBytes / (1024 * 1024)} MB free ({disk.FreePercent:0.0} %); alert below {alerts.DiskMinFreePercent} % or {alerts.DiskMinFreeMegabytes} MB.")));
        }

        return new StatusReport(_settings.Node.Name, now, _live is null ? StatusReport.FromStore : StatusReport.FromService, instruments, destinations, quarantines, set, disk);
    }

    /// <summary>Every alert key this configuration can raise (so a restarted service can clear what it no longer sees).</summary>
    public IEnumerable<(string Kind, string Subject)> PossibleAlerts()
    {
        foreach (var instrument in _settings.Instruments)
        {
            if (instrument.Silence is not null)
            {
                yield return (AlertKinds.InstrumentSilent, instrument.Id);
            }

            if (_settings.Alerts.QuarantineHours > 0)
            {
                yield return (AlertKinds.Quarantine, instrument.Id);
            }
        }

        if (_settings.Alerts.BacklogMaxAgeMinutes > 0)
        {
            foreach (var destination in _settings.Destinations)
            {
                yield return (AlertKinds.Backlog, destination);
            }
        }

        if (_settings.Alerts.DiskMinFreePercent > 0 || _settings.Alerts.DiskMinFreeMegabytes > 0)
        {
            yield return (AlertKinds.DiskSpace, "data");
        }
    }

    public static bool IsDiskLow(DiskStatus disk, AlertsOptions alerts) =>
        (alerts.DiskMinFreePercent > 0 && disk.FreePercent < alerts.DiskMinFreePercent)
        || (alerts.DiskMinFreeMegabytes > 0 && disk.FreeBytes < alerts.DiskMinFreeMegabytes * 1024 * 1024);

    private static InstrumentStatus Instrument(InstrumentSettings instrument, OperationsData data, DateTimeOffset now)
    {
        data.LastInputs.TryGetValue(instrument.Id, out var last);
        DateTimeOffset? lastFile = last is null ? null : DateTimeOffset.Parse(last.ReceivedUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        // An entry waiting in the inbox counts as seen: after an outage its files are there before they are recorded.
        int waiting;
        DateTimeOffset? newestWaiting = null;
        try
        {
            var entries = DropFolder.Snapshot(instrument.Inbox).ToList();
            waiting = entries.Count;
            if (entries.Count > 0)
            {
                newestWaiting = new DateTimeOffset(DateTime.SpecifyKind(entries.Max(e => e.LastWriteUtc), DateTimeKind.Utc));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            waiting = -1;
        }

        var seen = Max(lastFile, newestWaiting is { } w && w <= now ? w : null);
        return new InstrumentStatus(
            instrument.Id,
            instrument.Name,
            instrument.Inbox,
            last?.Name,
            last?.Outcome,
            lastFile,
            seen,
            seen is { } s ? Math.Max(0, (now - s).TotalSeconds) : null,
            waiting,
            data.CountsSince.TryGetValue(instrument.Id, out var counts) ? counts : new Dictionary<string, long>(),
            instrument.Silence?.ToString());
    }

    private DestinationReport Destination(string name, OperationsData data, DateTimeOffset now)
    {
        var row = data.Outbox.FirstOrDefault(o => o.Destination == name);
        var oldest = row?.OldestPendingUtc is { } o ? DateTimeOffset.Parse(o, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : (DateTimeOffset?)null;
        var delivered = row?.LastDeliveredUtc is { } d ? DateTimeOffset.Parse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : (DateTimeOffset?)null;
        var live = _live?.Snapshot().FirstOrDefault(s => s.Name == name);
        string state;
        if (live is not null)
        {
            state = live.Healthy ? "ok" : "failing";
        }
        else if (row?.LastError is not null)
        {
            // From the store alone: a waiting entry whose last attempt failed.
            state = "failing";
        }
        else
        {
            state = _live is null && row is null ? "unknown" : "ok";
        }

        return new DestinationReport(
            name,
            state,
            row?.Pending ?? 0,
            oldest,
            oldest is { } x ? Math.Max(0, (now - x).TotalSeconds) : null,
            row?.Dead ?? 0,
            Max(delivered, live?.LastSuccessUtc),
            live?.FailingSinceUtc,
            live is { Healthy: false } ? live.LastError : row?.LastError);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    internal static string Ago(TimeSpan span) => span.TotalMinutes < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0} s")
        : span.TotalHours < 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
        : span.TotalDays < 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days");

    private static string Minutes(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.##} min");

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}

/// <summary>Free space of the disk that holds a path.</summary>
public static class DiskSpace
{
    public static DiskStatus? Probe(string path)
    {
        try
        {
            // The data root may not exist yet: measure the nearest folder that does.
            var existing = Path.GetFullPath(path);
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }

            // On Windows a drive is named by its root (C:\); on Unix statvfs takes any path on the file system.
            var drive = new DriveInfo(OperatingSystem.IsWindows() ? Path.GetPathRoot(existing)! : existing);
            return new DiskStatus(path, drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A UNC data root has no DriveInfo: no disk figure, no disk alert.
            return null;
        }
    }
}
