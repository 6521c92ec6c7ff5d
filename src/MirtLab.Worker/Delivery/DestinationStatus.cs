using System.Collections.Concurrent;

namespace MirtLab.Worker.Delivery;

/// <summary>What is known of a destination right now: whether the last attempt worked, since when it fails, and why.</summary>
public sealed record DestinationState(string Name, bool Healthy, DateTimeOffset? LastSuccessUtc, DateTimeOffset? FailingSinceUtc, string? LastError);

/// <summary>The dispatchers' shared view of their destinations, for health and status.</summary>
public sealed class DestinationStatus
{
    private readonly ConcurrentDictionary<string, DestinationState> _states = new(StringComparer.Ordinal);

    public void Succeeded(string name, DateTimeOffset now) =>
        _states[name] = new DestinationState(name, true, now, null, null);

    public void Failed(string name, DateTimeOffset now, string error) =>
        _states.AddOrUpdate(
            name,
            _ => new DestinationState(name, false, null, now, error),
            (_, old) => old with { Healthy = false, FailingSinceUtc = old.FailingSinceUtc ?? now, LastError = error });

    public IReadOnlyList<DestinationState> Snapshot() => _states.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
}
