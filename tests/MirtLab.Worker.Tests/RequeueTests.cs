using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Testing;
using MirtLab.Worker.Cli;

namespace MirtLab.Worker.Tests;

/// <summary>Dead letters and quarantined files go back to work by an operator's decision, audited, nothing deleted.</summary>
public sealed class RequeueTests
{
    [Fact]
    public async Task BatchTheLisRefuses_BecomesADeadLetterWithItsReason_AndIsDeliveredWhenRequeuedAfterTheFix()
    {
        using var config = new TestConfig(j =>
        {
            j["Delivery"]!["MaxPermanentAttempts"] = 2;
            j["Delivery"]!["RetryMinSeconds"] = 0.1;
            j["Delivery"]!["RetryMaxSeconds"] = 0.2;
        });
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "first.txt"));
        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "first plate delivered");

        // The LIS starts refusing results (a rule on its side): a permanent error, not an outage.
        ExecuteOnLis(config, "CREATE TRIGGER refuse BEFORE INSERT ON mirtlab_results BEGIN SELECT RAISE(ABORT, 'LIS rule: sample not ordered'); END;");
        File.WriteAllText(Path.Combine(config.Inbox(), "second.txt"), File.ReadAllText(Fixtures.MirtazapinePlate, MirtLab.Readers.Text.TextDecoder.Windows1252).Replace("21-Nov-2026", "22-Nov-2026", StringComparison.Ordinal), MirtLab.Readers.Text.TextDecoder.Windows1252);
        await Fixtures.WaitUntilAsync(() => host.Store.DeadLettersAsync().GetAwaiter().GetResult().Count == 1, "the second plate parked as a dead letter");

        var dead = Assert.Single(await host.Store.DeadLettersAsync());
        Assert.Equal(("lis", "second.txt"), (dead.Destination, dead.Source));
        Assert.Contains("sample not ordered", dead.LastError, StringComparison.Ordinal);
        var listed = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await RequeueCommand.ListAsync(config.ConfigFile, listed, new StringWriter(), CancellationToken.None));
        Assert.Contains("→ lis", listed.ToString(), StringComparison.Ordinal);

        ExecuteOnLis(config, "DROP TRIGGER refuse;");
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await RequeueCommand.DeadAsync(config.ConfigFile, "lis", null, false, output, new StringWriter(), CancellationToken.None));
        Assert.Contains("Requeued 1 dead letter", output.ToString(), StringComparison.Ordinal);

        await Fixtures.WaitUntilAsync(() => IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == 2 * Fixtures.PlatePatientResults, "the requeued batch delivered");
        Assert.Empty(await host.Store.DeadLettersAsync());
        var audit = await host.Store.ReadAuditAsync();
        Assert.Contains(audit, a => a.Action == "delivery.dead-letter");
        Assert.Contains(audit, a => a.Action == "delivery.requeued" && a.Actor.EndsWith("(cli)", StringComparison.Ordinal));
        Assert.True(MirtLab.Core.Audit.AuditChain.Verify(audit).IsIntact);
    }

    [Fact]
    public async Task ExportOfAnUnknownFormat_IsRequeuedFromQuarantine_AfterItsMappingIsAdded_AndItsFirstReportIsKept()
    {
        using var config = new TestConfig();
        var export = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Delimited", "Golden", "openlab-cds2-custom", "input.csv");
        await using (var host = await RunningHost.StartAsync(config))
        {
            File.Copy(export, Path.Combine(config.Inbox(), "openlab.csv"));
            await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine(), "openlab.csv.error.json")), "quarantined as an unknown format");
        }

        // The lab adds the mapping for its OpenLab template and restarts the service.
        Directory.CreateDirectory(Path.Combine(config.ConfigFolder, "formats"));
        File.Copy(Path.Combine(RepoPaths.Config, "formats", "openlab-cds2-custom.example.json"), Path.Combine(config.ConfigFolder, "formats", "openlab.json"));
        await using (var host = await RunningHost.StartAsync(config))
        {
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(ExitCodes.Ok, await RequeueCommand.QuarantineAsync(config.ConfigFile, ["openlab.csv"], null, false, output, error, CancellationToken.None));
            await Fixtures.WaitUntilAsync(() => Directory.EnumerateFiles(config.ArchiveRoot, "openlab.csv", SearchOption.AllDirectories).Any(), "accepted after the requeue");

            Assert.False(File.Exists(Path.Combine(config.Quarantine(), "openlab.csv")));
            var kept = Assert.Single(Directory.EnumerateFiles(Path.Combine(config.Quarantine(), "requeued"), "*openlab.csv.error.json"));
            Assert.Contains("ML1001", await File.ReadAllTextAsync(kept), StringComparison.Ordinal);
            var audit = await host.Store.ReadAuditAsync();
            Assert.Equal(["input.rejected", "quarantine.requeued", "input.accepted"], audit.Select(a => a.Action));
        }
    }

    [Fact]
    public async Task InputRequeuedAfterACrashBeforeItsQuarantineWasConfirmed_IsReadAgain_NotSentBack()
    {
        using var config = new TestConfig();
        var export = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Delimited", "Golden", "openlab-cds2-custom", "input.csv");
        await using (var host = await RunningHost.StartAsync(config))
        {
            File.Copy(export, Path.Combine(config.Inbox(), "openlab.csv"));
            await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine(), "openlab.csv.error.json")), "quarantined as an unknown format");
        }

        // The crash came after the move to quarantine, before the store was told; the operator requeues while it is down.
        await using (var store = new SqliteConnection($"Data Source={config.Load().StorePath}"))
        {
            await store.ExecuteAsync("UPDATE inputs SET finalized_utc = NULL");
        }

        Directory.CreateDirectory(Path.Combine(config.ConfigFolder, "formats"));
        File.Copy(Path.Combine(RepoPaths.Config, "formats", "openlab-cds2-custom.example.json"), Path.Combine(config.ConfigFolder, "formats", "openlab.json"));
        Assert.Equal(ExitCodes.Ok, await RequeueCommand.QuarantineAsync(config.ConfigFile, ["openlab.csv"], null, false, new StringWriter(), new StringWriter(), CancellationToken.None));

        await using (var host = await RunningHost.StartAsync(config))
        {
            await Fixtures.WaitUntilAsync(() => Directory.EnumerateFiles(config.ArchiveRoot, "openlab.csv", SearchOption.AllDirectories).Any(), "accepted after the requeue");
            Assert.False(File.Exists(Path.Combine(config.Quarantine(), "openlab.csv")));
            var audit = await host.Store.ReadAuditAsync();
            Assert.Equal(["input.rejected", "quarantine.requeued", "input.accepted"], audit.Select(a => a.Action));
            await Fixtures.WaitUntilAsync(() => host.Store.UnfinalizedAsync().GetAwaiter().GetResult().Count == 0, "every input's move confirmed");
        }
    }

    [Theory]
    [InlineData(37, 30)]
    [InlineData(10_000, 30)]
    [InlineData(53_600, 180)]
    public void DeliveryAttempt_GetsItsTimePerTenThousandResults_SoALargeBatchIsNotRetriedForEver(int results, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Delivery.OutboxDispatcher.AttemptTimeout(new Configuration.DeliveryOptions { AttemptTimeoutSeconds = 30 }, results));

    [Fact]
    public async Task RequeueWithoutSayingWhat_IsRefused()
    {
        using var config = new TestConfig();
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, await RequeueCommand.DeadAsync(config.ConfigFile, null, null, false, new StringWriter(), error, CancellationToken.None));
        Assert.Equal(ExitCodes.BadInput, await RequeueCommand.QuarantineAsync(config.ConfigFile, [], null, false, new StringWriter(), error, CancellationToken.None));
        Assert.Equal(ExitCodes.BadInput, await RequeueCommand.QuarantineAsync(config.ConfigFile, ["nothing-like-this.txt"], null, false, new StringWriter(), error, CancellationToken.None));
        Assert.Contains("Not in quarantine: nothing-like-this.txt", error.ToString(), StringComparison.Ordinal);
    }

    private static void ExecuteOnLis(TestConfig config, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={config.LisDatabase}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
