using System.Globalization;
using MirtLab.Core.Rules;
using MirtLab.Readers;

namespace MirtLab.Worker.Configuration;

/// <summary>An instrument's settings, resolved: absolute inbox, culture and time zone objects.</summary>
public sealed class InstrumentSettings
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Inbox { get; init; }

    public required CultureInfo Culture { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    public IReadOnlyList<string> DateFormats { get; init; } = [];

    public IReadOnlyList<string> Formats { get; init; } = [];

    public string? DefaultUnit { get; init; }

    /// <summary>When the instrument is expected to send files; null: never reported silent.</summary>
    public SilenceSchedule? Silence { get; init; }

    public ReaderContext ReaderContext(CultureInfo? cultureOverride, CancellationToken cancellationToken) => new()
    {
        InstrumentId = Id,
        Culture = cultureOverride ?? Culture,
        DateFormats = DateFormats,
        DefaultUnit = DefaultUnit,
        CancellationToken = cancellationToken,
    };
}

/// <summary>The whole configuration, validated and resolved: what the host and the CLI run on.</summary>
public sealed class MirtLabSettings
{
    public required string ConfigFile { get; init; }

    public required string DataRoot { get; init; }

    public required string RulesFile { get; init; }

    public required RuleSet Rules { get; init; }

    /// <summary>Every reader in force: the built-in ones and one per configured delimited mapping.</summary>
    public required IReadOnlyList<IInstrumentReader> Readers { get; init; }

    public required IngestOptions Ingest { get; init; }

    public required IReadOnlyList<InstrumentSettings> Instruments { get; init; }

    public required string StorePath { get; init; }

    public required LisOptions Lis { get; init; }

    /// <summary>The LIS connection string with a relative SQLite path made absolute under the data root.</summary>
    public required string LisConnectionString { get; init; }

    /// <summary>The schema owner's connection string for LIS migrations, resolved like <see cref="LisConnectionString"/>; null to migrate with the runtime one.</summary>
    public string? LisMigrationConnectionString { get; init; }

    public required MqttOptions Mqtt { get; init; }

    public required DeliveryOptions Delivery { get; init; }

    public required WebOptions Web { get; init; }

    public required NodeOptions Node { get; init; }

    public HealthOptions Health { get; init; } = new();

    public TelemetryOptions Telemetry { get; init; } = new();

    public AlertsOptions Alerts { get; init; } = new();

    public string WorkRoot => Path.Combine(DataRoot, "work");

    public string ArchiveRoot => Path.Combine(DataRoot, "archive");

    public string QuarantineRoot => Path.Combine(DataRoot, "quarantine");

    /// <summary>Destinations that receive every batch, in the order they are named in the outbox.</summary>
    public IReadOnlyList<string> Destinations =>
        [.. Lis.Enabled ? ["lis"] : Array.Empty<string>(), .. Mqtt.Enabled ? ["mqtt"] : Array.Empty<string>()];

    public InstrumentSettings? FindInstrument(string id) =>
        Instruments.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// An instrument's working time, in its own time zone: the days and the hours files are expected, and how much
/// working time may pass without one. A shift whose end is before its start runs past midnight into the next day.
/// </summary>
public sealed record SilenceSchedule(TimeSpan Window, IReadOnlySet<DayOfWeek> Days, TimeSpan From, TimeSpan To)
{
    /// <summary>Working hours as configured, e.g. <c>Mon,Tue,Wed,Thu,Fri 07:00-19:00, window 240 min</c>.</summary>
    public override string ToString()
    {
        var days = string.Join(",", Enum.GetValues<DayOfWeek>().Where(Days.Contains).Select(d => d.ToString()[..3]));
        var to = To == TimeSpan.FromDays(1) ? "24:00" : Clock(To);
        return $"{days} {Clock(From)}-{to}, window {Window.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min";

        static string Clock(TimeSpan time) => time.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
