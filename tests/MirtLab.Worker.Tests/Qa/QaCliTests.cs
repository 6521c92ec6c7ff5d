using System.Diagnostics;
using Dapper;
using MirtLab.Testing;
using MirtLab.Worker.Cli;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>The real <c>mirtlab user</c> and <c>mirtlab audit</c> verbs, as lab IT runs them.</summary>
public sealed class QaCliTests
{
    [Fact]
    public async Task UserAdd_ReadsThePasswordFromStdin_AndListAndDisableWork_AllAudited()
    {
        using var config = new TestConfig();
        var (exit, stdout, stderr) = await RunAsync("correct horse battery staple\n", "--config", config.ConfigFile, "user", "add", "--name", "admin", "--display-name", "Ada Admin", "--role", "administrator");
        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("Created administrator 'admin' (Ada Admin)", stdout, StringComparison.Ordinal);

        (exit, _, stderr) = await RunAsync("correct horse battery staple\n", "--config", config.ConfigFile, "user", "add", "--name", "ADMIN", "--role", "technician");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("exists already", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await RunAsync("short\n", "--config", config.ConfigFile, "user", "add", "--name", "tom", "--role", "technician");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("at least 12 characters", stderr, StringComparison.Ordinal);

        (exit, _, _) = await RunAsync(string.Empty, "--config", config.ConfigFile, "user", "add", "--name", "tom", "--role", "technician", "--password", "x");
        Assert.NotEqual(ExitCodes.Ok, exit); // there is no password argument

        (exit, stdout, _) = await RunAsync(string.Empty, "--config", config.ConfigFile, "user", "disable", "--name", "admin", "--reason", "left the lab");
        Assert.Equal(ExitCodes.Ok, exit);
        (exit, stdout, _) = await RunAsync(string.Empty, "--config", config.ConfigFile, "user", "list");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Matches(@"admin\s+administrator\s+disabled", stdout);

        var store = new MirtLabStore(config.Load().StorePath, TimeProvider.System);
        var audit = await store.ReadAuditAsync();
        Assert.Equal(["user.created", "user.disabled"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.StartsWith("cli:", a.Actor, StringComparison.Ordinal));
        Assert.DoesNotContain(audit, a => a.DetailsJson.Contains("horse", StringComparison.Ordinal));
        Assert.StartsWith("AQAAAA", (await store.FindUserAsync("admin"))!.PasswordHash, StringComparison.Ordinal); // PasswordHasher v3 format marker
    }

    [Fact]
    public async Task AuditVerify_AfterAnAttackerDropsTheTriggerAndEditsARecord_ExitsFourNamingIt()
    {
        using var config = new TestConfig();
        var settings = config.Load();
        var store = new MirtLabStore(settings.StorePath, TimeProvider.System);
        await store.InitializeAsync();
        var runKey = await QaTestData.RecordAsync(store, settings, QaTestData.FailingCalibrationPlate, settings.Destinations);
        var signer = await QaTestData.ReviewerAsync(store);
        var decision = await store.ApplyDecisionAsync(new QaDecisionRequest(runKey, QaDecisionKind.RejectAnalyte, "mirtazapine", null, "Low calibrators out of tolerance.", null), signer, "Rejection", settings.Destinations);
        await store.AppendAuditAsync("mirtlab", "test.after", "x", new Dictionary<string, object?>());

        var (exit, stdout, _) = await RunAsync(string.Empty, "--config", config.ConfigFile, "audit", "verify");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("Audit trail intact: 4 records", stdout, StringComparison.Ordinal);

        // The attacker rewrites the reason of the signed decision, bypassing the append-only trigger.
        using (var db = QaTestData.Open(store))
        {
            await db.ExecuteAsync("DROP TRIGGER audit_no_update");
            await db.ExecuteAsync(
                "UPDATE audit SET details_json = replace(details_json, 'Low calibrators out of tolerance.', 'Accepted after review.') WHERE seq = @Seq",
                new { Seq = decision.AuditSequence });
        }

        (exit, _, var stderr) = await RunAsync(string.Empty, "--config", config.ConfigFile, "audit", "verify");
        Assert.Equal(ExitCodes.AuditBroken, exit);
        Assert.Contains($"Audit trail BROKEN at record {decision.AuditSequence}: record {decision.AuditSequence} was altered", stderr, StringComparison.Ordinal);

        (exit, stdout, _) = await RunAsync(string.Empty, "--config", config.ConfigFile, "audit", "export");
        Assert.Equal(ExitCodes.AuditBroken, exit);
        Assert.StartsWith("seq,at_utc,actor,action,subject,details_json,prev_hash,hash", stdout, StringComparison.Ordinal);
    }

    /// <summary>Runs mirtlab.dll with <paramref name="stdin"/> piped in (so the password is never an argument).</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mirtlab.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
