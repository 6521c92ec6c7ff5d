using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MirtLab.Benchmarks;

/// <summary>What the memory child measured.</summary>
internal sealed record MemoryResult(
    string Data,
    long Bytes,
    int Rows,
    bool Finished,
    string? Failure,
    double IngestSeconds,
    double DeliverySeconds,
    long PeakWorkingSetBytes,
    long PeakDuringIngestBytes,
    long PeakDuringDeliveryBytes,
    long LisRows,
    long TargetBytes)
{
    public bool Met => Finished && PeakWorkingSetBytes <= TargetBytes;
}

/// <summary>
/// Stage 6. Peak working set of a process that ingests the large file (read, evaluate, store) and delivers it to the
/// SQLite LIS. It runs in a child process of its own, with the service's GC settings (server GC), so the peak is
/// this work's alone; the parent kills it if it passes a safety limit (a shared machine must not swap or OOM).
/// </summary>
internal static class MemoryStage
{
    public const string ChildVerb = "--child-memory";

    public static async Task<MemoryResult> RunAsync(GeneratedExport export, TimeSpan timeLimit, long safetyLimitBytes, Action<string> log)
    {
        log($"memory: {export.Label} ({export.Bytes / (1024 * 1024)} MB) in a child process");
        var output = Path.Combine(Path.GetTempPath(), $"mirtlab-bench-memory-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MemoryStage).Assembly.Location);
        }

        start.ArgumentList.Add(ChildVerb);
        start.ArgumentList.Add(export.Path);
        start.ArgumentList.Add(export.Format.ToString());
        start.ArgumentList.Add(export.DataLines.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(output);
        start.Environment["DOTNET_gcServer"] = "1";
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        var stopwatch = Stopwatch.StartNew();
        long parentSeenPeak = 0;
        string? failure = null;
        while (!child.HasExited)
        {
            var rss = ReadStatus(child.Id, "VmRSS:");
            parentSeenPeak = Math.Max(parentSeenPeak, rss);
            if (rss > safetyLimitBytes)
            {
                failure = $"killed at {rss / (1024 * 1024)} MB (safety limit {safetyLimitBytes / (1024 * 1024)} MB)";
            }
            else if (stopwatch.Elapsed > timeLimit)
            {
                failure = $"killed after {timeLimit.TotalMinutes:0} min (time limit)";
            }

            if (failure is not null)
            {
                child.Kill(entireProcessTree: true);
                break;
            }

            await Task.Delay(100);
        }

        await child.WaitForExitAsync();
        if (failure is null && (child.ExitCode != 0 || !File.Exists(output)))
        {
            failure = $"the child exited with {child.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim();
        }

        if (failure is not null)
        {
            log("memory: " + failure);
            return new MemoryResult(export.Label, export.Bytes, export.DataLines, false, failure, 0, 0, parentSeenPeak, 0, 0, 0, 300L * 1024 * 1024);
        }

        var result = JsonSerializer.Deserialize<MemoryResult>(await File.ReadAllTextAsync(output))!;
        File.Delete(output);
        return result;
    }

    /// <summary>The child: ingest and deliver the file, sampling the working set, and write the result as JSON.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        var export = new GeneratedExport(args[1], Enum.Parse<ExportFormat>(args[2]), int.Parse(args[3], CultureInfo.InvariantCulture), 0, new FileInfo(args[1]).Length);
        var output = args[4];
        await using var pipeline = await Pipeline.CreateAsync();
        pipeline.Claim(export);
        Harness.Settle();
        long peak = 0;
        var phase = 0;
        var phasePeaks = new long[2];
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var rss = ReadStatus(Environment.ProcessId, "VmRSS:");
                peak = Math.Max(peak, rss);
                phasePeaks[Volatile.Read(ref phase)] = Math.Max(phasePeaks[Volatile.Read(ref phase)], rss);
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var stopwatch = Stopwatch.StartNew();
        await pipeline.IngestAsync();
        var ingest = stopwatch.Elapsed.TotalSeconds;
        Volatile.Write(ref phase, 1);
        stopwatch.Restart();
        await pipeline.DeliverAsync("lis");
        var delivery = stopwatch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        long lisRows;
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(pipeline.Settings.LisConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM mirtlab_results";
            lisRows = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        var hwm = ReadStatus(Environment.ProcessId, "VmHWM:");
        var result = new MemoryResult(export.Label, export.Bytes, export.DataLines, lisRows > 0, lisRows > 0 ? null : "nothing reached the LIS (rejected?)",
            ingest, delivery, Math.Max(hwm, peak), phasePeaks[0], phasePeaks[1], lisRows, 300L * 1024 * 1024);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>A size line of /proc/PID/status (VmRSS, VmHWM) in bytes; 0 when the process is gone.</summary>
    public static long ReadStatus(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var kb = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
