using System.Diagnostics.Metrics;
using MirtLab.Core.Results;

namespace MirtLab.Worker.Operations;

/// <summary>
/// Every metric of the service, on the meter <c>MirtLab</c> (System.Diagnostics.Metrics): exported over OTLP when a
/// collector is configured and served as Prometheus text on <c>/metrics</c>. Names follow the OpenTelemetry
/// conventions (<c>mirtlab.files.received</c>, unit <c>s</c>); the Prometheus endpoint writes them as
/// <c>mirtlab_files_received_total</c>, <c>mirtlab_delivery_latency_seconds</c>.
/// </summary>
public sealed class MirtLabMetrics
{
    public const string MeterName = "MirtLab";

    /// <summary>Delivery latency buckets: seconds when all is well, up to hours while a destination is down.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];

    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicate;
    private readonly Counter<long> _results;
    private readonly Counter<long> _readerErrors;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _attempt;
    private readonly Counter<long> _alertsRaised;

    public MirtLabMetrics(IMeterFactory meters, OperationsState state)
    {
        Meter = meters.Create(new MeterOptions(MeterName) { Version = typeof(MirtLabMetrics).Assembly.GetName().Version?.ToString() });
        _received = Meter.CreateCounter<long>("mirtlab.files.received", "{file}", "Inputs (files or .D folders) taken from an inbox.");
        _accepted = Meter.CreateCounter<long>("mirtlab.files.accepted", "{file}", "Inputs read and recorded; their results are in the outbox.");
        _rejected = Meter.CreateCounter<long>("mirtlab.files.rejected", "{file}", "Inputs refused as bad input and quarantined.");
        _duplicate = Meter.CreateCounter<long>("mirtlab.files.duplicate", "{file}", "Inputs with the content of an input accepted before; not published again.");
        _results = Meter.CreateCounter<long>("mirtlab.results", "{result}", "Patient results recorded, by analyte, flag (none when unflagged; a result with two flags counts under each) and status.");
        _readerErrors = Meter.CreateCounter<long>("mirtlab.reader.errors", "{diagnostic}", "Error diagnostics of rejected inputs, by code.");
        _deliveries = Meter.CreateCounter<long>("mirtlab.delivery.attempts", "{batch}", "Delivery attempts per destination, by outcome (delivered, failed, dead).");
        _latency = Meter.CreateHistogram<double>(
            "mirtlab.delivery.latency",
            "s",
            "Time from committing a batch to the store until its destination confirmed it.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _attempt = Meter.CreateHistogram<double>(
            "mirtlab.delivery.duration",
            "s",
            "Duration of one delivery attempt.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _alertsRaised = Meter.CreateCounter<long>("mirtlab.alerts.raised", "{alert}", "Alerts raised, by kind.");

        Meter.CreateObservableGauge<long>("mirtlab.outbox.backlog", () => state.Latest?.Destinations.Select(d => new Measurement<long>(d.Pending, Tag("destination", d.Name))) ?? [], "{batch}", "Outbox entries waiting for delivery, per destination.");
        Meter.CreateObservableGauge<double>("mirtlab.outbox.oldest_age", () => state.Latest?.Destinations.Select(d => new Measurement<double>(d.OldestPendingAgeSeconds ?? 0, Tag("destination", d.Name))) ?? [], "s", "Age of the oldest outbox entry waiting for delivery (0 when none waits), per destination.");
        Meter.CreateObservableGauge<long>("mirtlab.outbox.dead", () => state.Latest?.Destinations.Select(d => new Measurement<long>(d.Dead, Tag("destination", d.Name))) ?? [], "{batch}", "Dead letters (deliveries parked after permanent failures), per destination.");
        Meter.CreateObservableGauge<double>("mirtlab.instrument.last_file_age", () => state.Latest?.Instruments.Where(i => i.LastSeenAgeSeconds is not null).Select(i => new Measurement<double>(i.LastSeenAgeSeconds!.Value, Tag("instrument", i.Id))) ?? [], "s", "Time since an instrument's last file was seen, per instrument.");
        Meter.CreateObservableGauge<long>("mirtlab.disk.free", () => state.Latest?.Disk is { } disk ? [new Measurement<long>(disk.FreeBytes, Tag("path", disk.Path))] : [], "By", "Free space on the data disk.");
        Meter.CreateObservableGauge<long>("mirtlab.alerts.active", () => AlertKinds.All.Select(k => new Measurement<long>(state.Latest?.Alerts.Count(a => a.Kind == k) ?? 0, Tag("kind", k))), "{alert}", "Alerts currently set, by kind.");
    }

    /// <summary>This service's meter (the factory disposes it with the host).</summary>
    public Meter Meter { get; }

    public void FileReceived(string instrument) => _received.Add(1, Tag("instrument", instrument));

    public void FileDuplicate(string instrument) => _duplicate.Add(1, Tag("instrument", instrument));

    public void FileRejected(string instrument, IEnumerable<string> errorCodes, string? format)
    {
        _rejected.Add(1, Tag("instrument", instrument));
        foreach (var code in errorCodes)
        {
            _readerErrors.Add(1, Tag("instrument", instrument), Tag("code", code), Tag("format", format ?? "unknown"));
        }
    }

    public void FileAccepted(string instrument, IEnumerable<EvaluatedResult> patientResults)
    {
        _accepted.Add(1, Tag("instrument", instrument));
        foreach (var result in patientResults)
        {
            var status = result.Status?.ToString().ToLowerInvariant() ?? "none";
            var analyte = result.Analyte?.Code ?? "unknown";
            if (result.Flags.Count == 0)
            {
                _results.Add(1, Tag("instrument", instrument), Tag("analyte", analyte), Tag("flag", "none"), Tag("status", status));
            }

            foreach (var flag in result.Flags.Select(f => f.Code).Distinct(StringComparer.Ordinal))
            {
                _results.Add(1, Tag("instrument", instrument), Tag("analyte", analyte), Tag("flag", flag), Tag("status", status));
            }
        }
    }

    public void Delivered(string destination, TimeSpan sinceCommitted, TimeSpan attempt)
    {
        _deliveries.Add(1, Tag("destination", destination), Tag("outcome", "delivered"));
        _latency.Record(Math.Max(0, sinceCommitted.TotalSeconds), Tag("destination", destination));
        _attempt.Record(attempt.TotalSeconds, Tag("destination", destination), Tag("outcome", "delivered"));
    }

    public void DeliveryFailed(string destination, bool dead, TimeSpan attempt)
    {
        _deliveries.Add(1, Tag("destination", destination), Tag("outcome", dead ? "dead" : "failed"));
        _attempt.Record(attempt.TotalSeconds, Tag("destination", destination), Tag("outcome", "failed"));
    }

    public void AlertRaised(string kind) => _alertsRaised.Add(1, Tag("kind", kind));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
