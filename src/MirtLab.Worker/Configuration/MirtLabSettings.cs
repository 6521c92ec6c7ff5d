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

    public string WorkRoot => Path.Combine(DataRoot, "work");

    public string ArchiveRoot => Path.Combine(DataRoot, "archive");

    public string QuarantineRoot => Path.Combine(DataRoot, "quarantine");

    /// <summary>Destinations that receive every batch, in the order they are named in the outbox.</summary>
    public IReadOnlyList<string> Destinations =>
        [.. Lis.Enabled ? ["lis"] : Array.Empty<string>(), .. Mqtt.Enabled ? ["mqtt"] : Array.Empty<string>()];

    public InstrumentSettings? FindInstrument(string id) =>
        Instruments.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));
}
