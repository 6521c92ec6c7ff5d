using System.Diagnostics;
using MirtLab.Testing;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>
/// deploy/linux: the unit passes <c>systemd-analyze verify</c> without a single warning, keeps its hardening, and the
/// scripts are valid shell. systemd-analyze comes with Debian's systemd package (tests/run.sh installs it when
/// missing); it checks that ExecStart exists, so the test points it at the built executable.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy", "linux");

    [Fact]
    public async Task Unit_PassesSystemdAnalyzeVerify_WithoutWarnings()
    {
        Assert.SkipUnless(Which("systemd-analyze") is not null, "systemd-analyze is not installed (Debian package systemd; tests/run.sh installs it)");
        using var folder = new TempFolder("mirtlab-unit");
        var unit = folder.Combine("mirtlab.service");
        var text = await File.ReadAllTextAsync(Path.Combine(Deploy, "mirtlab.service"));
        Assert.Contains("ExecStart=/opt/mirtlab/mirtlab ", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("/opt/mirtlab/mirtlab", Path.Combine(AppContext.BaseDirectory, "mirtlab"), StringComparison.Ordinal));

        var (exit, output) = await RunAsync("systemd-analyze", "verify", unit);
        Assert.True(exit == 0 && output.Trim().Length == 0, $"systemd-analyze verify exit {exit}:\n{output}");
    }

    [Fact]
    public void Unit_IsTypeNotify_WithAWatchdog_AndHardened()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "mirtlab.service")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        string[] required =
        [
            "Type=notify", "NotifyAccess=main", "WatchdogSec=60s", "User=mirtlab", "Group=mirtlab", "Restart=on-failure",
            "ProtectSystem=strict", "ReadWritePaths=/var/lib/mirtlab", "StateDirectory=mirtlab", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "PrivateDevices=yes", "ProtectHome=yes", "CapabilityBoundingSet=", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
            "SystemCallFilter=@system-service", "UMask=0027", "TimeoutStopSec=45s",
        ];
        Assert.All(required, r => Assert.Contains(r, lines));
    }

    [Theory]
    [InlineData("install.sh")]
    [InlineData("uninstall.sh")]
    public async Task Scripts_AreValidShell_AndPassShellcheckWhenItIsInstalled(string script)
    {
        var path = Path.Combine(Deploy, script);
        var (exit, output) = await RunAsync("bash", "-n", path);
        Assert.True(exit == 0, output);
        if (Which("shellcheck") is not null)
        {
            (exit, output) = await RunAsync("shellcheck", path);
            Assert.True(exit == 0, output);
        }
    }

    private static string? Which(string tool) =>
        new[] { "/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
