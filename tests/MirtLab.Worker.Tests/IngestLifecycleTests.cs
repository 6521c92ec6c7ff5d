using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Testing;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Tests;

/// <summary>The drop-folder lifecycle through the real host: inbox → work → archive | quarantine, store, LIS.</summary>
public sealed class IngestLifecycleTests
{
    [Fact]
    public async Task DroppedExport_IsArchived_AndItsPatientResultsLandInTheLisWithCanonicalUnitsAndFlags()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate-2026-11-21.txt"));

        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "every patient result in the LIS");

        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Inbox()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(config.Work()));
        var archived = Assert.Single(Directory.EnumerateFiles(config.ArchiveRoot, "*", SearchOption.AllDirectories));
        Assert.Equal("plate-2026-11-21.txt", Path.GetFileName(archived));
        Assert.Equal(File.ReadAllBytes(Fixtures.MirtazapinePlate), File.ReadAllBytes(archived));

        await using var lis = OpenLis(config);
        var rows = (await lis.QueryAsync<(string Sample, string Analyte, double? Value, string? Unit, string? Qualifier, double? Limit, string Display, string Flags, string Status, string RawValue, long Line)>(
            "SELECT sample_name, analyte_code, value, unit, qualifier, limit_value, display_value, flags, status, raw_value, source_line FROM mirtlab_results")).ToList();
        Assert.All(rows.Where(r => r.Analyte is "mirtazapine" or "n-desmethylmirtazapine"), r => Assert.Equal("ng/mL", r.Unit));
        Assert.Equal(0.54, rows.Single(r => r.Sample == "P-240117 trough" && r.Analyte == "mirtazapine-metabolic-ratio").Value);
        Assert.Equal("ng/mL/(mg/d)", rows.Single(r => r.Sample == "P-240117 trough" && r.Analyte == "mirtazapine-cd-ratio").Unit);
        var high = rows.Single(r => r.Sample == "P-240124 trough" && r.Analyte == "mirtazapine");
        Assert.Equal((171.0, "HH", "P", "171.", 75L), (high.Value!.Value, high.Flags, high.Status, high.RawValue, high.Line));
        var low = rows.Single(r => r.Sample == "P-240126 trough" && r.Analyte == "mirtazapine");
        Assert.Equal((null, "<", 1.0, "<1.0", "<~L"), (low.Value, low.Qualifier, low.Limit!.Value, low.Display, low.Flags));
        var final = rows.Single(r => r.Sample == "P-240117 trough" && r.Analyte == "mirtazapine");
        Assert.Equal((46.3, "", "F"), (final.Value!.Value, final.Flags, final.Status));
        Assert.Equal(1, LisCount(config, "SELECT COUNT(*) FROM mirtlab_runs WHERE outcome = 'accepted'"));
        Assert.Equal(Fixtures.PlatePatientResults, LisCount(config, "SELECT COUNT(*) FROM mirtlab_result_history"));
    }

    [Fact]
    public async Task SameContentDroppedAgain_IsRecordedAsDuplicate_AndNothingIsDeliveredTwice()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "first.txt"));
        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "first delivery");

        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "second-name.txt"));
        await Fixtures.WaitUntilAsync(() => Directory.EnumerateFiles(config.ArchiveRoot, "second-name.txt", SearchOption.AllDirectories).Any(), "duplicate archived");

        var inputs = await host.Store.RecentInputsAsync(10);
        Assert.Equal(["duplicate", "accepted"], inputs.Select(i => i.Outcome));
        Assert.Contains("duplicates", Directory.EnumerateFiles(config.ArchiveRoot, "second-name.txt", SearchOption.AllDirectories).Single(), StringComparison.Ordinal);
        Assert.Equal(Fixtures.PlatePatientResults, LisCount(config, "SELECT COUNT(*) FROM mirtlab_results"));
        Assert.Equal(1, LisCount(config, "SELECT COUNT(*) FROM mirtlab_runs"));
        await using var store = await host.Store.OpenAsync();
        Assert.Equal(1L, await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox"));
        Assert.Contains(await host.Store.ReadAuditAsync(), a => a.Action == "input.duplicate");
    }

    [Fact]
    public async Task Garbage_IsQuarantinedWithAReadableReport_AndNothingIsPublished()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.WriteAllText(Path.Combine(config.Inbox(), "notes.txt"), "Sample list for Monday\nP-1, P-2\n");

        var report = Path.Combine(config.Quarantine(), "notes.txt.error.json");
        await Fixtures.WaitUntilAsync(() => File.Exists(report) && File.Exists(Path.Combine(config.Quarantine(), "notes.txt")), "quarantine with report");

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))!;
        Assert.Equal("notes.txt", (string?)json["file"]);
        Assert.Equal("ML1001", (string?)json["diagnostics"]![0]!["code"]);
        Assert.Equal(64, ((string?)json["sha256"])!.Length);
        Assert.Contains("no reader recognises", (string?)json["reason"], StringComparison.Ordinal);
        Assert.False(File.Exists(config.LisDatabase) && LisCount(config, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'mirtlab_results'") == 1 && LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") > 0);
        var audit = await host.Store.ReadAuditAsync();
        Assert.Contains(audit, a => a.Action == "input.rejected" && a.DetailsJson.Contains("ML1001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportLargerThanAllowed_IsQuarantinedUnread_NamingTheSetting()
    {
        // Reading holds a run in memory (about 40 times the file's size): a file beyond the limit must not take the
        // service down and, restarted, down again on the same file.
        using var config = new TestConfig(j => j["Ingest"]!["MaxInputMegabytes"] = 1);
        await using var host = await RunningHost.StartAsync(config);
        var plate = await File.ReadAllTextAsync(Fixtures.MirtazapinePlate, MirtLab.Readers.Text.TextDecoder.Windows1252);
        var big = new System.Text.StringBuilder(plate);
        while (big.Length <= 1024 * 1024)
        {
            big.Append(plate);
        }

        await File.WriteAllTextAsync(Path.Combine(config.Inbox(), "batch.txt"), big.ToString(), MirtLab.Readers.Text.TextDecoder.Windows1252);
        var report = Path.Combine(config.Quarantine(), "batch.txt.error.json");
        await Fixtures.WaitUntilAsync(() => File.Exists(report) && File.Exists(Path.Combine(config.Quarantine(), "batch.txt")), "quarantine with report");

        var diagnostic = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))!["diagnostics"]![0]!;
        Assert.Equal("ML1007", (string?)diagnostic["code"]);
        Assert.Contains("more than the 1 MB allowed (Ingest:MaxInputMegabytes)", (string?)diagnostic["message"], StringComparison.Ordinal);
        Assert.False(File.Exists(config.LisDatabase) && LisCount(config, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'mirtlab_results'") == 1 && LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") > 0);
    }

    [Fact]
    public async Task SymbolicLinkInTheInbox_IsQuarantinedUnread_AsALink()
    {
        // Whoever may write to an inbox must not make the service read (and report a line of) a file it can read,
        // such as the secrets beside its configuration.
        using var config = new TestConfig();
        var secret = Path.Combine(config.DataRoot, "..", "mirtlab.env");
        File.WriteAllText(secret, "MIRTLAB_Lis__ConnectionString=Server=lis;Password=s3cret\n");
        await using var host = await RunningHost.StartAsync(config);
        File.CreateSymbolicLink(Path.Combine(config.Inbox(), "export.txt"), secret);

        var quarantined = Path.Combine(config.Quarantine(), "export.txt");
        var report = quarantined + ".error.json";
        await Fixtures.WaitUntilAsync(() => File.Exists(report), "quarantine with report");

        var text = File.ReadAllText(report);
        var diagnostic = System.Text.Json.Nodes.JsonNode.Parse(text)!["diagnostics"]![0]!;
        Assert.Equal("ML1009", (string?)diagnostic["code"]);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(secret), Path.GetFullPath(new FileInfo(quarantined).LinkTarget!));
        Assert.Equal("MIRTLAB_Lis__ConnectionString=Server=lis;Password=s3cret\n", File.ReadAllText(secret));
        Assert.DoesNotContain(await host.Store.ReadAuditAsync(), a => a.DetailsJson.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void FolderMovedAcrossVolumes_KeepsItsLinksAsLinks_AndCopiesNothingFromBeneathThem()
    {
        // /dev/shm is another file system than the temp folder on Linux: the move copies, as from a UNC inbox.
        Assert.SkipUnless(Directory.Exists("/dev/shm"), "needs /dev/shm (a second file system)");
        using var shm = new TempFolder("mirtlab-links", "/dev/shm");
        using var local = new TempFolder("mirtlab-links");
        var outside = Directory.CreateDirectory(local.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        var run = Directory.CreateDirectory(shm.Combine("RUN01.D")).FullName;
        File.WriteAllText(Path.Combine(run, "Report.TXT"), "report");
        Directory.CreateSymbolicLink(Path.Combine(run, "linked"), outside);
        File.CreateSymbolicLink(Path.Combine(run, "secret.txt"), Path.Combine(outside, "secret.txt"));
        Assert.Equal(2, Ingest.DropFolder.Links(run).Count);

        var target = local.Combine("work", "RUN01.D");
        Ingest.DropFolder.Move(run, target);

        Assert.False(Directory.Exists(run));
        Assert.Equal("report", File.ReadAllText(Path.Combine(target, "Report.TXT")));
        Assert.Equal(outside, new DirectoryInfo(Path.Combine(target, "linked")).LinkTarget);
        Assert.Equal(Path.Combine(outside, "secret.txt"), new FileInfo(Path.Combine(target, "secret.txt")).LinkTarget);
        Assert.Equal("secret", File.ReadAllText(Path.Combine(outside, "secret.txt")));
        Assert.Equal(2, Ingest.DropFolder.Links(target).Count);
    }

    [Fact]
    public async Task BadExportWithOneUnknownUnit_IsQuarantinedWhole_NoResultIsPublished()
    {
        using var config = new TestConfig();
        var text = File.ReadAllText(Fixtures.MirtazapinePlate, MirtLab.Readers.Text.TextDecoder.Windows1252);
        var lines = text.Split("\r\n");
        lines[70] = lines[70].Replace("\tng/mL\t", "\tng/dL\t", StringComparison.Ordinal);
        Directory.CreateDirectory(config.Inbox());
        File.WriteAllText(Path.Combine(config.Inbox(), "bad-unit.txt"), string.Join("\r\n", lines), MirtLab.Readers.Text.TextDecoder.Windows1252);
        await using var host = await RunningHost.StartAsync(config);

        var report = Path.Combine(config.Quarantine(), "bad-unit.txt.error.json");
        await Fixtures.WaitUntilAsync(() => File.Exists(report), "quarantine report");
        var diagnostic = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))!["diagnostics"]!.AsArray().Single(d => (string?)d!["severity"] == "error")!;
        Assert.Equal(("ML4001", 71), ((string?)diagnostic["code"], (int?)diagnostic["line"]));
        await using var store = await host.Store.OpenAsync();
        Assert.Equal(0L, await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM results"));
        Assert.Equal(0L, await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox"));
    }

    [Fact]
    public async Task FileLeftInWorkByACrash_IsProcessedOnStart()
    {
        using var config = new TestConfig();
        Directory.CreateDirectory(config.Work());
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Work(), "claimed-before-crash.txt"));
        await using var host = await RunningHost.StartAsync(config);

        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "results of the recovered file");
        Assert.Single(Directory.EnumerateFiles(config.ArchiveRoot, "claimed-before-crash.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CrashBetweenCommitAndMove_IsCompletedOnStart_WithoutRecordingADuplicate()
    {
        using var config = new TestConfig();
        var (workPath, finalPath) = await CommitAsBeforeACrashAsync(config, "committed.txt");

        await using var host = await RunningHost.StartAsync(config);
        await Fixtures.WaitUntilAsync(() => File.Exists(finalPath) && !File.Exists(workPath), "the interrupted move completed");
        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "the committed outbox delivered");
        var inputs = await host.Store.RecentInputsAsync(10);
        var input = Assert.Single(inputs);
        Assert.Equal("accepted", input.Outcome);
        Assert.NotNull(input.FinalizedUtc);
    }

    [Fact]
    public async Task CrashBetweenMoveAndConfirmation_RecordIsClosedOnStart()
    {
        using var config = new TestConfig();
        var (workPath, finalPath) = await CommitAsBeforeACrashAsync(config, "moved.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        File.Move(workPath, finalPath);

        await using var host = await RunningHost.StartAsync(config);
        await Fixtures.WaitUntilAsync(() => host.Store.UnfinalizedAsync().GetAwaiter().GetResult().Count == 0, "the finished move confirmed");
        Assert.NotNull(Assert.Single(await host.Store.RecentInputsAsync(10)).FinalizedUtc);
        Assert.True(File.Exists(finalPath));
    }

    [Fact]
    public async Task LaterExportOfTheSameName_InWorkAfterSuchACrash_IsReadAsItself()
    {
        // Technicians export under the same name every day: yesterday's Results.txt reached the archive but the crash
        // came before the store heard of it, and today's Results.txt was claimed into the same work path.
        using var config = new TestConfig();
        var (workPath, yesterdayArchived) = await CommitAsBeforeACrashAsync(config, "Results.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(yesterdayArchived)!);
        File.Move(workPath, yesterdayArchived);
        var yesterday = await File.ReadAllBytesAsync(yesterdayArchived);
        await File.WriteAllTextAsync(workPath, (await File.ReadAllTextAsync(Fixtures.MirtazapinePlate, MirtLab.Readers.Text.TextDecoder.Windows1252))
            .Replace("21-Nov-2026", "22-Nov-2026", StringComparison.Ordinal)
            .Replace(" trough\t", " trough B\t", StringComparison.Ordinal), MirtLab.Readers.Text.TextDecoder.Windows1252);

        await using var host = await RunningHost.StartAsync(config);
        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == 2 * Fixtures.PlatePatientResults, "both days' results in the LIS");
        await Fixtures.WaitUntilAsync(() => !File.Exists(workPath), "today's export archived");
        var inputs = await host.Store.RecentInputsAsync(10);
        Assert.Equal(2, inputs.Count(i => i.Outcome == "accepted"));
        Assert.All(inputs, i => Assert.NotNull(i.FinalizedUtc));
        Assert.Equal(yesterday, await File.ReadAllBytesAsync(yesterdayArchived));
        var today = inputs.Single(i => i.FinalPath != yesterdayArchived);
        Assert.Contains("22-Nov-2026", await File.ReadAllTextAsync(today.FinalPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrashWhileCopyingAClaimFromAnotherVolume_LeavesThePartialCopyAside_AndTheOriginalIsReadOnce()
    {
        // From a UNC inbox the claim copies: SIGKILL half-way left a partial file under the final work name, read as an
        // export of its own (some results published twice). Now the copy is made in .claiming/, out of every scan.
        using var config = new TestConfig();
        var claiming = Path.Combine(config.Work(), Ingest.DropFolder.ClaimingFolder);
        Directory.CreateDirectory(claiming);
        Directory.CreateDirectory(config.Inbox());
        var plate = await File.ReadAllBytesAsync(Fixtures.MirtazapinePlate);
        await File.WriteAllBytesAsync(Path.Combine(config.Inbox(), "plate.txt"), plate);
        await File.WriteAllBytesAsync(Path.Combine(claiming, "plate.txt"), plate[..(plate.Length / 2)]);

        await using var host = await RunningHost.StartAsync(config);
        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "the plate's results");
        await Fixtures.WaitUntilAsync(() => !Directory.Exists(claiming), "the partial copy discarded");
        var input = Assert.Single(await host.Store.RecentInputsAsync(10));
        Assert.Equal("accepted", input.Outcome);
        Assert.Equal(plate, await File.ReadAllBytesAsync(input.FinalPath));
        Assert.False(Directory.Exists(config.Quarantine()) && Directory.EnumerateFileSystemEntries(config.Quarantine()).Any());
    }

    [Fact]
    public async Task CrashAfterTheCopyOfAClaimRemovedTheOriginal_FinishesTheClaim()
    {
        using var config = new TestConfig();
        var claiming = Path.Combine(config.Work(), Ingest.DropFolder.ClaimingFolder);
        Directory.CreateDirectory(claiming);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(claiming, "plate.txt"));

        await using var host = await RunningHost.StartAsync(config);
        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "the plate's results");
        Assert.Equal("accepted", Assert.Single(await host.Store.RecentInputsAsync(10)).Outcome);
        Assert.False(Directory.Exists(claiming));
    }

    [Fact]
    public void ClaimFromAnotherVolume_CopiesBesideWorkAndRenames_LeavingNothingInTheInbox()
    {
        Assert.SkipUnless(Directory.Exists("/dev/shm"), "needs /dev/shm (a second file system)");
        using var inbox = new TempFolder("mirtlab-inbox", "/dev/shm");
        using var work = new TempFolder("mirtlab-work");
        File.Copy(Fixtures.MirtazapinePlate, inbox.Combine("plate.txt"));
        var run = Directory.CreateDirectory(inbox.Combine("RUN01.D")).FullName;
        File.WriteAllText(Path.Combine(run, "Report.TXT"), "report");

        var file = Ingest.DropFolder.Claim(inbox.Combine("plate.txt"), work.Path);
        var folder = Ingest.DropFolder.Claim(run, work.Path);

        Assert.Equal(File.ReadAllBytes(Fixtures.MirtazapinePlate), File.ReadAllBytes(file));
        Assert.Equal("report", File.ReadAllText(Path.Combine(folder, "Report.TXT")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox.Path));
        Assert.False(Directory.Exists(work.Combine(Ingest.DropFolder.ClaimingFolder)));
    }

    /// <summary>What the service had done before a crash: read, evaluated and committed, but not moved.</summary>
    private static async Task<(string WorkPath, string FinalPath)> CommitAsBeforeACrashAsync(TestConfig config, string name)
    {
        var settings = config.Load();
        var store = new MirtLabStore(settings.StorePath, TimeProvider.System);
        await store.InitializeAsync();
        Directory.CreateDirectory(config.Work());
        var workPath = Path.Combine(config.Work(), name);
        File.Copy(Fixtures.MirtazapinePlate, workPath);
        var source = MirtLab.Readers.ReadSource.FromPath(workPath);
        var sha = Ingest.InputHasher.Compute(source);
        var processed = await new Processing.InputProcessor(settings.Rules, MirtLab.Readers.ReaderRegistry.BuiltIn()).ProcessAsync(source, sha, settings.Instruments[0], store);
        var finalPath = Path.Combine(config.ArchiveRoot, "tq5500", "2026-11-21", name);
        await store.RecordAcceptedAsync(new InputReceipt(sha, name, "tq5500", false, source.TotalLength, workPath, finalPath, DateTimeOffset.UtcNow), processed.Run!, settings.Destinations);
        return (workPath, finalPath);
    }

    [Fact]
    public async Task FileStillBeingWritten_IsNotTakenUntilStable()
    {
        using var config = new TestConfig(j => j["Ingest"]!["StabilitySeconds"] = 1.5);
        await using var host = await RunningHost.StartAsync(config);
        var path = Path.Combine(config.Inbox(), "slow-copy.txt");
        var bytes = File.ReadAllBytes(Fixtures.MirtazapinePlate);
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            for (var offset = 0; offset < bytes.Length; offset += 2048)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(2048, bytes.Length - offset)));
                await stream.FlushAsync();
                await Task.Delay(150);
                Assert.True(File.Exists(path), "the file was taken while it was still being written");
            }
        }

        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "the completed file delivered");
        Assert.Empty(Directory.EnumerateFiles(config.DataRoot, "*.error.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AuditTrail_RecordsEveryDecision_AndVerifies()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "a.txt"));
        await Fixtures.WaitUntilAsync(() => LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "delivery");
        File.WriteAllText(Path.Combine(config.Inbox(), "b.txt"), "garbage");
        await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine(), "b.txt")), "quarantine");

        var audit = await host.Store.ReadAuditAsync();
        Assert.Equal(["input.accepted", "input.rejected"], audit.Select(a => a.Action));
        Assert.True(MirtLab.Core.Audit.AuditChain.Verify(audit).IsIntact);
    }

    internal static SqliteConnection OpenLis(TestConfig config)
    {
        var connection = new SqliteConnection($"Data Source={config.LisDatabase};Mode=ReadOnly");
        connection.Open();
        return connection;
    }

    internal static long LisCount(TestConfig config, string sql)
    {
        if (!File.Exists(config.LisDatabase))
        {
            return -1;
        }

        try
        {
            using var connection = OpenLis(config);
            return connection.ExecuteScalar<long>(sql);
        }
        catch (SqliteException)
        {
            return -1;
        }
    }
}
