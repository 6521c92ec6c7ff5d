namespace MirtLab.Worker.Ingest;

/// <summary>What a scan saw of one inbox entry: a file, or a whole folder (a ChemStation .D folder).</summary>
public readonly record struct EntrySnapshot(string Path, bool IsFolder, long Size, int FileCount, DateTime LastWriteUtc);

/// <summary>
/// Decides when an inbox entry may be taken: its size, file count and newest timestamp must have been
/// seen unchanged across scans for the whole stability window. A file copied with an old timestamp is
/// therefore not taken while it is still growing.
/// </summary>
public sealed class StabilityTracker
{
    private readonly Dictionary<string, (EntrySnapshot Snapshot, DateTimeOffset UnchangedSince)> _seen = new(StringComparer.Ordinal);

    /// <summary>Records this scan's snapshots; returns the entries that have been stable for <paramref name="window"/>.</summary>
    public IReadOnlyList<EntrySnapshot> Observe(IEnumerable<EntrySnapshot> snapshots, DateTimeOffset now, TimeSpan window)
    {
        var stable = new List<EntrySnapshot>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            present.Add(snapshot.Path);
            if (_seen.TryGetValue(snapshot.Path, out var previous) && previous.Snapshot == snapshot)
            {
                if (now - previous.UnchangedSince >= window)
                {
                    stable.Add(snapshot);
                }
            }
            else
            {
                _seen[snapshot.Path] = (snapshot, now);
                if (window <= TimeSpan.Zero)
                {
                    stable.Add(snapshot);
                }
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        return stable;
    }

    /// <summary>When the earliest entry still waiting will have been unchanged for the window (for scheduling the next scan).</summary>
    public DateTimeOffset? NextDue(TimeSpan window) =>
        _seen.Count == 0 ? null : _seen.Values.Min(v => v.UnchangedSince) + window;

    public void Forget(string path) => _seen.Remove(path);
}
