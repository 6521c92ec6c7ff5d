using System.Text.Json;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MirtLab.Lis;
using MirtLab.Lis.Dialects;
using MirtLab.Testing;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Operations;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Store;

namespace MirtLab.Benchmarks;

/// <summary>
/// A private copy of the shipped configuration (config/ and data/ side by side in a temp folder) with two
/// instruments: <c>tq5500</c> (SCIEX Analyst, en-US, Europe/Berlin) and <c>qqq6495</c> (MassHunter, ng/mL).
/// </summary>
internal sealed class BenchConfig : IDisposable
{
    private readonly TempFolder _folder = new("mirtlab-bench");

    public BenchConfig(Action<JsonObject>? change = null)
    {
        Directory.CreateDirectory(ConfigFolder);
        File.Copy(Path.Combine(RepoPaths.Config, "rules.json"), Path.Combine(ConfigFolder, "rules.json"));
        var json = JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepoPaths.Config, "appsettings.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        json["Ingest"]!["StabilitySeconds"] = 0;
        json["Ingest"]!["ScanIntervalSeconds"] = 0.05;
        json["Ingest"]!["MaxInputMegabytes"] = 2048;   // the 1,000,000-row file is 451 MB
        json["Web"]!["Urls"] = "http://127.0.0.1:0";
        json["Mqtt"]!["Enabled"] = false;
        // Time per 10,000 results of a batch: generous, so the measured stages are never cut off and retried.
        json["Delivery"]!["AttemptTimeoutSeconds"] = 900;
        json["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Error" } };
        var instruments = json["Instruments"]!.AsArray();
        instruments.Add(new JsonObject
        {
            ["Id"] = "qqq6495",
            ["Name"] = "Agilent 6495 (MassHunter)",
            ["Inbox"] = "inbox/qqq6495",
            ["Culture"] = "en-US",
            ["TimeZone"] = "Europe/Berlin",
            ["DefaultUnit"] = "ng/mL",
            ["Formats"] = new JsonArray(),
        });
        change?.Invoke(json);
        File.WriteAllText(ConfigFile, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string Root => _folder.Path;

    public string ConfigFolder => _folder.Combine("config");

    public string ConfigFile => Path.Combine(ConfigFolder, "appsettings.json");

    public string DataRoot => _folder.Combine("data");

    public static string InstrumentFor(ExportFormat format) => format == ExportFormat.SciexAnalyst ? "tq5500" : "qqq6495";

    public MirtLabSettings Load()
    {
        var result = SettingsLoader.Load(ConfigFile);
        return result.Settings ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// The service's ingest and delivery parts, composed as the host composes them but driven step by step (no
/// timers, no stability window): a file put into <c>work/</c> is what a claimed file is, and
/// <see cref="IngestService.RunOnceAsync"/> takes it from there; <see cref="DeliverAsync"/> runs a destination's
/// dispatcher until its outbox is empty.
/// </summary>
internal sealed class Pipeline : IAsyncDisposable
{
    private readonly BenchConfig _config;
    private readonly Dictionary<string, OutboxDispatcher> _dispatchers = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _disposables = [];

    private Pipeline(BenchConfig config, MirtLabSettings settings)
    {
        _config = config;
        Settings = settings;
        var time = TimeProvider.System;
        Store = new MirtLabStore(settings.StorePath, time);
        var signal = new DeliverySignal();
        // BENCHMARK_LOG=1 shows what the ingest and the dispatchers log (a failed ingest is only a log line).
        var loggers = Environment.GetEnvironmentVariable("BENCHMARK_LOG") == "1"
            ? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information))
            : NullLoggerFactory.Instance;
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var telemetry = new IngestTelemetry(new MirtLabMetrics(meters, new OperationsState()), loggers.CreateLogger<IngestTelemetry>());
        Ingest = new IngestService(settings, Store, new InputProcessor(settings.Rules, settings.Readers), Store, signal, time, loggers.CreateLogger<IngestService>(), telemetry);
        if (settings.Lis.Enabled)
        {
            Lis = new LisWriter(LisDialect.For(settings.Lis.Provider), settings.LisConnectionString, time, new LisWriterOptions { AttemptTimeout = TimeSpan.FromMinutes(10) });
            var destination = new LisDestination(Lis, settings.Node.Name, time);
            _dispatchers["lis"] = new OutboxDispatcher(destination, Store, signal, new DestinationStatus(), settings.Delivery, time, loggers.CreateLogger<OutboxDispatcher>());
            LisDestination = destination;
        }
    }

    public MirtLabSettings Settings { get; }

    public MirtLabStore Store { get; }

    public IngestService Ingest { get; }

    public LisWriter? Lis { get; }

    public LisDestination? LisDestination { get; }

    public string DataRoot => _config.DataRoot;

    public static async Task<Pipeline> CreateAsync(Action<JsonObject>? change = null)
    {
        var config = new BenchConfig(change);
        var settings = config.Load();
        foreach (var instrument in settings.Instruments)
        {
            Directory.CreateDirectory(instrument.Inbox);
            Directory.CreateDirectory(Path.Combine(settings.WorkRoot, instrument.Id));
        }

        var pipeline = new Pipeline(config, settings);
        await pipeline.Store.InitializeAsync();
        if (pipeline.LisDestination is { } lis)
        {
            // Schema and the health row, so a measured delivery only writes the batch.
            await lis.ProbeAsync(CancellationToken.None);
        }

        return pipeline;
    }

    /// <summary>Puts a copy of the export where a claimed file is (not timed: a claim is a rename).</summary>
    public string Claim(GeneratedExport export, string? name = null)
    {
        var instrument = BenchConfig.InstrumentFor(export.Format);
        var target = Path.Combine(Settings.WorkRoot, instrument, name ?? Path.GetFileName(export.Path));
        File.Copy(export.Path, target, overwrite: false);
        return target;
    }

    public Task IngestAsync(CancellationToken cancellationToken = default) => Ingest.RunOnceAsync(cancellationToken);

    public async Task DeliverAsync(string destination, CancellationToken cancellationToken = default)
    {
        var dispatcher = _dispatchers[destination];
        while (await dispatcher.DeliverDueAsync(cancellationToken))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        _config.Dispose();
    }
}
