using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace MirtLab.Testing;

/// <summary>
/// A real Mosquitto broker for a test: generated mosquitto.conf in a temp folder, a free loopback port,
/// captured log. It can be stopped (SIGTERM: persistence is saved), killed (SIGKILL), paused (SIGSTOP) and
/// restarted on the same port.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private const int MaxLogChars = 4 * 1024 * 1024;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly TempFolder _folder = new("mirtlab-mosquitto");
    private readonly StringBuilder _log = new();
    private readonly Lock _logGate = new();
    private Process? _process;
    private bool _paused;
    private int _runStart;

    private MosquittoBroker(MosquittoOptions options, string executable)
    {
        Options = options;
        Executable = executable;
        Port = FreePort.Next();
        Certificates = options.Tls ? options.Certificates ?? TestCertificates.Shared : null;
        ConfigFile = _folder.Combine("mosquitto.conf");
    }

    public MosquittoOptions Options { get; }

    public string Executable { get; }

    #pragma warning disable CA1822 // An instance property: callers read it beside Port.
    public string Host => "127.0.0.1";
#pragma warning restore CA1822

    public int Port { get; }

    public string Folder => _folder.Path;

    public string ConfigFile { get; }

    /// <summary>The PKI the TLS listener uses; null without TLS.</summary>
    public TestCertificates? Certificates { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything mosquitto logged, across restarts (the last 4 MiB).</summary>
    public string Log
    {
        get
        {
            lock (_logGate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>What mosquitto logged since it was last (re)started.</summary>
    public string LogSinceStart
    {
        get
        {
            lock (_logGate)
            {
                return _log.ToString(_runStart, _log.Length - _runStart);
            }
        }
    }

    /// <summary>Finds mosquitto ($MOSQUITTO, /usr/sbin, /usr/local/sbin, PATH) or throws saying how to get it.</summary>
    public static string FindExecutable() =>
        FindTool("mosquitto", Environment.GetEnvironmentVariable("MOSQUITTO"), "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto");

    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        var broker = new MosquittoBroker(options ?? new MosquittoOptions(), FindExecutable());
        try
        {
            await broker.WriteConfigurationAsync(cancellationToken);
            await broker.RestartAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the broker (again) on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("mosquitto is still running; stop or kill it first.");
        }

        _process?.Dispose();
        lock (_logGate)
        {
            _runStart = _log.Length;
        }

        AppendLog($"---- starting {Executable} -c {ConfigFile} (port {Port})");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Folder,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ConfigFile);
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        _paused = false;
        await WaitUntilListeningAsync(process, cancellationToken);
    }

    /// <summary>SIGTERM and wait: mosquitto closes its clients and saves its persistence database.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        Resume();
        await SignalAsync(process.Id, "TERM");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        AppendLog("---- stopped (SIGTERM)");
    }

    /// <summary>SIGKILL: the broker dies at once; what it had not saved is lost, as in a power cut.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        process.Kill();
        await process.WaitForExitAsync(cancellationToken);
        AppendLog("---- killed (SIGKILL)");
    }

    /// <summary>SIGSTOP: connections stay open but nothing is read or answered, like a hung broker.</summary>
    public void Pause()
    {
        if (_process is { HasExited: false } process && !_paused)
        {
            SignalAsync(process.Id, "STOP").GetAwaiter().GetResult();
            _paused = true;
        }
    }

    public void Resume()
    {
        if (_process is { HasExited: false } process && _paused)
        {
            SignalAsync(process.Id, "CONT").GetAwaiter().GetResult();
            _paused = false;
        }
    }

    /// <summary>
    /// Waits until a line logged since the last (re)start contains <paramref name="text"/>, e.g. "sub-1 1 lab/#"
    /// once that subscription exists.
    /// </summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!LogSinceStart.Contains(text, StringComparison.Ordinal))
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"mosquitto did not log \"{text}\" within {timeout.TotalSeconds:0.#} s. Log:\n{Tail()}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The end of the log, for failure messages.</summary>
    public string Tail(int maxChars = 8000)
    {
        var log = Log;
        return log.Length <= maxChars ? log : "…" + log[^maxChars..];
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                Resume();
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"mosquitto log (port {Port}):\n{Tail(20_000)}");
        _folder.Dispose();
    }

    internal static string FindTool(string name, params string?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{name} not found: run the README test command, which installs it.");
    }

    private async Task WriteConfigurationAsync(CancellationToken cancellationToken)
    {
        var o = Options;
        var conf = new StringBuilder();
        void Line(FormattableString line) => conf.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

        // Run as root, mosquitto would switch to the "mosquitto" user and could not read this folder.
        Line($"user {Environment.UserName}");
        Line($"listener {Port} 127.0.0.1");
        Line($"allow_anonymous {(o.Users is null ? "true" : "false")}");
        Line($"set_tcp_nodelay true");
        Line($"log_dest stderr");
        Line($"log_timestamp_format %H:%M:%S");
        foreach (var logType in o.DebugLog ? ["all"] : new[] { "error", "warning", "notice", "information", "subscribe", "unsubscribe" })
        {
            // One type per line: mosquitto reads only the first word of a log_type line.
            Line($"log_type {logType}");
        }
        if (o.Users is { } users)
        {
            var passwordFile = _folder.Combine("passwd");
            var first = true;
            foreach (var (user, password) in users)
            {
                await RunToolAsync(FindTool("mosquitto_passwd", "/usr/bin/mosquitto_passwd"), first ? ["-c", "-b", passwordFile, user, password] : ["-b", passwordFile, user, password], cancellationToken);
                first = false;
            }

            Line($"password_file {passwordFile}");
        }

        if (Certificates is { } pki)
        {
            Line($"cafile {pki.CaCertificateFile}");
            Line($"certfile {pki.ServerCertificateFile}");
            Line($"keyfile {pki.ServerKeyFile}");
            Line($"require_certificate {(o.RequireClientCertificate ? "true" : "false")}");
        }

        if (o.Persistence)
        {
            Line($"persistence true");
            Line($"persistence_location {Folder}{Path.DirectorySeparatorChar}");
            if (o.AutosaveIntervalSeconds is { } autosave)
            {
                Line($"autosave_interval {autosave}");
            }
        }

        if (o.MaxInflightMessages is { } inflight)
        {
            Line($"max_inflight_messages {inflight}");
        }

        if (o.MaxQueuedMessages is { } queued)
        {
            Line($"max_queued_messages {queued}");
        }

        foreach (var extra in o.ExtraConfiguration)
        {
            conf.Append(extra).Append('\n');
        }

        await File.WriteAllTextAsync(ConfigFile, conf.ToString(), cancellationToken);
        AppendLog("---- mosquitto.conf\n" + conf);
    }

    /// <summary>Like <see cref="FreePort.WaitUntilListeningAsync"/>, but fails at once when mosquitto exits (a config error).</summary>
    private async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode} before listening on {Host}:{Port}. Log:\n{Tail()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (stopwatch.Elapsed < StartTimeout)
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"mosquitto did not listen on {Host}:{Port} within {StartTimeout.TotalSeconds:0} s. Log:\n{Tail()}", ex);
            }
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            _log.Append(line).Append('\n');
            if (_log.Length > MaxLogChars)
            {
                var removed = _log.Length - (MaxLogChars / 2);
                _log.Remove(0, removed);
                _runStart = Math.Max(0, _runStart - removed);
            }
        }
    }

    private static async Task SignalAsync(int pid, string signal) =>
        await RunToolAsync("kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);

    internal static async Task<string> RunToolAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }
}
