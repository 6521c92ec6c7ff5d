using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MirtLab.Core;
using MirtLab.Core.Results;
using MirtLab.Readers;
using MirtLab.Testing;
using MirtLab.Worker.Processing;

namespace MirtLab.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/MirtLab.Benchmarks -- [--quick|--full] [--only 1,2,…] [--out DIR]</c>:
/// measures MirtLab against each stage's ceiling on generated data and writes a table and a JSON file.
/// </summary>
internal static class Program
{
    /// <summary>The memory child is killed beyond this (the machine is shared; 27 times the 300 MB target is a clear miss).</summary>
    private const long MemorySafetyLimitBytes = 8L * 1024 * 1024 * 1024;

    /// <summary>Bump when the generated data changes, so cached files are written anew.</summary>
    private const int GeneratorVersion = 1;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == MemoryStage.ChildVerb)
        {
            return await MemoryStage.ChildAsync(args);
        }

        if (args.Length > 1 && args[0] == "--loop-ingest")
        {
            // For profilers: claims, ingests and delivers one file to the SQLite LIS, again and again.
            var export = new GeneratedExport(args[1], args[1].EndsWith(".csv", StringComparison.Ordinal) ? ExportFormat.MassHunterQuant : ExportFormat.SciexAnalyst, 0, 0, 0);
            var loopWatch = Stopwatch.StartNew();
            while (loopWatch.Elapsed.TotalSeconds < (args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20))
            {
                await using var pipeline = await Pipeline.CreateAsync();
                pipeline.Claim(export);
                var step = Stopwatch.StartNew();
                await pipeline.IngestAsync();
                var ingest = step.Elapsed.TotalSeconds;
                step.Restart();
                await pipeline.DeliverAsync("lis");
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest {ingest:0.000} s, LIS delivery {step.Elapsed.TotalSeconds:0.000} s"));
            }

            return 0;
        }

        if (args.Length > 1 && args[0] == "--loop-read")
        {
            // For profilers (dotnet-trace collect -- …): reads and evaluates one file again and again.
            return await LoopReadAsync(args[1], args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20);
        }

        var full = args.Contains("--full");
        var only = Option(args, "--only")?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();
        var outFolder = Option(args, "--out") ?? Path.Combine(RepoPaths.Root, "benchmark-results");
        var mode = full ? "full" : "quick";
        var profile = full ? Profile.Full : Profile.Quick;
        Directory.CreateDirectory(outFolder);
        var dataFolder = Path.Combine(outFolder, "data");
        Directory.CreateDirectory(dataFolder);
        var total = Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{total.Elapsed:mm\\:ss}] {line}"));

        Log($"MirtLab benchmarks, {mode} mode, {Environment.ProcessorCount} cores; data in {dataFolder}");
        GeneratedExport Batch(ExportFormat format, int rows, int seed) => Cached(dataFolder, $"{format}-{rows}-{seed}-v{GeneratorVersion}", format == ExportFormat.SciexAnalyst ? "txt" : "csv",
            path => ExportGenerator.Batch(format, path, rows, seed), Log);

        var report = new BenchmarkReport { Mode = mode, Machine = MachineInfo.Collect(), Commit = MachineInfo.Commit(), StartedUtc = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) };
        bool Run(int stage) => only is null || only.Contains(stage);

        if (Run(1))
        {
            var exports = profile.ReadRows.SelectMany(rows => new[] { Batch(ExportFormat.SciexAnalyst, rows, 11), Batch(ExportFormat.MassHunterQuant, rows, 12) }).ToList();
            report.Comparisons.AddRange(await ReadStage.RunAsync(exports, profile.Runs, Log));
        }

        if (Run(2))
        {
            foreach (var format in profile.LisFormats)
            {
                report.Comparisons.Add(await LisStage.SqliteAsync(Batch(format, profile.LisRows, 21), profile.LisRuns, Log));
            }
        }

        if (Run(3))
        {
            await using var server = await PostgresServer.StartNewAsync();
            foreach (var format in profile.LisFormats)
            {
                report.Comparisons.Add(await LisStage.PostgresAsync(Batch(format, profile.LisRows, 31), profile.LisRuns, server, Log));
            }
        }

        if (Run(4))
        {
            var documents = await ResultDocumentsAsync(Batch(ExportFormat.SciexAnalyst, 20_000, 41));
            report.Comparisons.Add(await MqttStage.RunAsync(documents, profile.MqttMessages, profile.Runs, Log));
        }

        if (Run(5))
        {
            var plates = Enumerable.Range(0, profile.Plates)
                .Select(i => Cached(dataFolder, $"plate-{i}-v{GeneratorVersion}", "txt", path => ExportGenerator.Plate(ExportFormat.SciexAnalyst, path, 500 + i), Log))
                .ToList();
            report.EndToEnd = await EndToEndStage.RunAsync(plates, profile.StabilitySeconds, Log);
        }

        if (Run(6))
        {
            report.Memory = await MemoryStage.RunAsync(Batch(ExportFormat.SciexAnalyst, profile.MemoryRows, 61), profile.MemoryTimeLimit, MemorySafetyLimitBytes, Log);
        }

        report.Seconds = total.Elapsed.TotalSeconds;
        var json = Path.Combine(outFolder, $"mirtlab-benchmarks-{mode}.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportJson.Options));
        Console.WriteLine(ReportTable.Render(report));
        Console.WriteLine($"JSON: {json}");
        return 0;
    }

    private static async Task<int> LoopReadAsync(string path, double seconds)
    {
        using var config = new BenchConfig();
        var settings = config.Load();
        var format = path.EndsWith(".csv", StringComparison.Ordinal) ? ExportFormat.MassHunterQuant : ExportFormat.SciexAnalyst;
        var instrument = settings.Instruments.Single(i => i.Id == BenchConfig.InstrumentFor(format));
        var processor = new InputProcessor(settings.Rules, settings.Readers);
        var stopwatch = Stopwatch.StartNew();
        var loops = 0;
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            var processed = await processor.ProcessAsync(ReadSource.FromFile(path), new string('a', 64), instrument, NoHistory.Instance);
            if (processed.IsRejected)
            {
                Console.Error.WriteLine(processed.Diagnostics.First(d => d.IsError));
                return 2;
            }

            loops++;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{loops} reads in {stopwatch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static GeneratedExport Cached(string folder, string name, string extension, Func<string, GeneratedExport> generate, Action<string> log)
    {
        var path = Path.Combine(folder, $"{name}.{extension}");
        var meta = path + ".json";
        if (File.Exists(path) && File.Exists(meta))
        {
            return JsonSerializer.Deserialize<GeneratedExport>(File.ReadAllText(meta))!;
        }

        log($"generating {name}");
        var export = generate(path);
        File.WriteAllText(meta, JsonSerializer.Serialize(export));
        return export;
    }

    /// <summary>The patient result documents MQTT would carry for an export (the payloads of stage 4).</summary>
    private static async Task<IReadOnlyList<byte[]>> ResultDocumentsAsync(GeneratedExport export)
    {
        using var config = new BenchConfig();
        var settings = config.Load();
        var instrument = settings.Instruments.Single(i => i.Id == BenchConfig.InstrumentFor(export.Format));
        var processed = await new InputProcessor(settings.Rules, settings.Readers).ProcessAsync(ReadSource.FromFile(export.Path), new string('a', 64), instrument, NoHistory.Instance);
        var run = processed.Run!;
        return run.PatientResults
            .Select(r => JsonSerializer.SerializeToUtf8Bytes(ResultDocument.From(r, run.Identity, run.ConfigVersion), MirtLabJson.Default.ResultDocument))
            .ToList();
    }
}

/// <summary>Sizes and repetitions of a mode.</summary>
internal sealed record Profile(int Runs, int LisRuns, int[] ReadRows, int LisRows, ExportFormat[] LisFormats, int MqttMessages, int Plates, double StabilitySeconds, int MemoryRows, TimeSpan MemoryTimeLimit)
{
    public static Profile Quick { get; } = new(3, 3, [20_000], 10_000, [ExportFormat.SciexAnalyst], 10_000, 20, 0.5, 100_000, TimeSpan.FromMinutes(3));

    public static Profile Full { get; } = new(5, 3, [100_000], 100_000, [ExportFormat.SciexAnalyst], 50_000, 200, 0.5, 1_000_000, TimeSpan.FromMinutes(3));
}

/// <summary>Everything one benchmark run measured.</summary>
internal sealed class BenchmarkReport
{
    public string Mode { get; init; } = "";

    public string StartedUtc { get; init; } = "";

    public double Seconds { get; set; }

    public MachineInfo Machine { get; init; } = new();

    public string Commit { get; init; } = "";

    public List<Comparison> Comparisons { get; } = [];

    public EndToEndResult? EndToEnd { get; set; }

    public MemoryResult? Memory { get; set; }
}

/// <summary>The machine the figures were taken on.</summary>
internal sealed class MachineInfo
{
    public int Cores { get; init; }

    public long MemoryBytes { get; init; }

    public string Cpu { get; init; } = "";

    public string Os { get; init; } = "";

    public string Runtime { get; init; } = "";

    public static MachineInfo Collect() => new()
    {
        Cores = Environment.ProcessorCount,
        MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        Cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "" : "",
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    };

    /// <summary>The commit measured, with "+dirty" when the work tree has changes.</summary>
    public static string Commit()
    {
        try
        {
            string Git(params string[] arguments)
            {
                var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, WorkingDirectory = RepoPaths.Root };
                foreach (var argument in arguments)
                {
                    start.ArgumentList.Add(argument);
                }

                using var process = Process.Start(start)!;
                var text = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return text;
            }

            var head = Git("rev-parse", "HEAD");
            return Git("status", "--porcelain", "--untracked-files=no").Length > 0 ? head + "+dirty" : head;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
