using System.Diagnostics;
using System.Globalization;
using MirtLab.Testing;
using MirtLab.Worker.Cli;
using MirtLab.Worker.Operations;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>The sd_notify protocol against sockets the tests create, and the real <c>mirtlab</c> under a fake systemd.</summary>
public sealed class SystemdTests
{
    [Fact]
    public async Task Notifier_WritesReadyWatchdogAndStopping_ToAPathSocket()
    {
        using var folder = new TempFolder("mirtlab-notify");
        using var socket = new NotifySocket(folder.Combine("notify.sock"));
        var notifier = new SystemdNotifier(socket.Name, watchdogInterval: null);

        notifier.Ready("watching 1 inbox");
        var ready = await socket.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("READY=1", ready.Split('\n'));
        Assert.Contains("STATUS=watching 1 inbox", ready.Split('\n'));
        Assert.Contains("MAINPID=" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ready.Split('\n'));

        notifier.Watchdog();
        Assert.Equal("WATCHDOG=1", await socket.ReceiveAsync(TimeSpan.FromSeconds(5)));
        notifier.Stopping();
        Assert.Contains("STOPPING=1", (await socket.ReceiveAsync(TimeSpan.FromSeconds(5))).Split('\n'));
    }

    [Fact]
    public async Task Notifier_ReachesAnAbstractNamespaceSocket_WrittenWithAnAt()
    {
        using var socket = new NotifySocket("@mirtlab-test-" + Guid.NewGuid().ToString("N"));
        Assert.True(new SystemdNotifier(socket.Name, null).Notify("READY=1"));
        Assert.Equal("READY=1", await socket.ReceiveAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Notifier_WithNoListeningSocket_ReturnsFalse_AndDoesNotThrow()
    {
        using var folder = new TempFolder("mirtlab-notify");
        Assert.False(new SystemdNotifier(folder.Combine("nobody.sock"), null).Notify("READY=1"));
    }

    [Theory]
    [InlineData(null, null, null, false, null)]
    [InlineData("/run/systemd/notify", null, null, true, null)]
    [InlineData("/run/systemd/notify", "60000000", null, true, 30.0)]
    [InlineData("@abstract", "10000000", "4242", true, 5.0)]
    [InlineData("/run/systemd/notify", "10000000", "999", true, null)]
    [InlineData("/run/systemd/notify", "0", null, true, null)]
    public void FromEnvironment_PingsAtHalfTheWatchdogInterval_OnlyForItsOwnProcess(string? socket, string? usec, string? pid, bool expected, double? intervalSeconds)
    {
        var environment = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = socket, ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };
        var notifier = SystemdNotifier.FromEnvironment(name => environment.GetValueOrDefault(name), processId: 4242);
        Assert.Equal(expected, notifier is not null);
        Assert.Equal(intervalSeconds, notifier?.WatchdogInterval?.TotalSeconds);
    }

    /// <summary>
    /// The real executable with the environment systemd gives a Type=notify unit: READY=1 once up, WATCHDOG=1 at half
    /// of WATCHDOG_USEC, STOPPING=1 on SIGTERM, and exit code 0 for the stop systemd asked for.
    /// </summary>
    [Fact]
    public async Task Service_UnderSystemdNotify_SaysReady_PingsTheWatchdog_AndSaysStoppingOnSigterm()
    {
        using var config = new TestConfig();
        using var socket = new NotifySocket("@mirtlab-test-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mirtlab.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config.ConfigFile);
        start.Environment["NOTIFY_SOCKET"] = socket.Name;
        start.Environment["WATCHDOG_USEC"] = "400000";
        using var process = Process.Start(start)!;
        start.Environment["WATCHDOG_PID"] = process.Id.ToString(CultureInfo.InvariantCulture);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var untilReady = await socket.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(untilReady, m => m.Contains("STOPPING=1", StringComparison.Ordinal));
            await socket.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
            await socket.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await socket.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(30));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == ExitCodes.Ok, $"exit {process.ExitCode}\n{await stderr}\n{await stdout}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
