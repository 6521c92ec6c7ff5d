using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MirtLab.Worker.Operations;

/// <summary>
/// The sd_notify protocol in a few lines (Microsoft.Extensions.Hosting.Systemd is absent here): one datagram per
/// state, <c>KEY=value</c> lines, to the Unix socket named by <c>$NOTIFY_SOCKET</c> — a path, or an abstract
/// name written <c>@name</c>. With <c>Type=notify</c> systemd waits for <c>READY=1</c>; with <c>WatchdogSec=</c> it
/// restarts a process that stops sending <c>WATCHDOG=1</c> (sent at half of <c>$WATCHDOG_USEC</c>).
/// </summary>
public sealed class SystemdNotifier : IServiceManager
{
    private readonly ILogger? _logger;

    public SystemdNotifier(string socket, TimeSpan? watchdogInterval, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(socket);
        Socket = socket;
        WatchdogInterval = watchdogInterval;
        _logger = logger;
    }

    public string Name => "systemd";

    /// <summary>The notification socket as systemd named it.</summary>
    public string Socket { get; }

    public TimeSpan? WatchdogInterval { get; }

    /// <summary>A notifier when systemd started this process with <c>Type=notify</c> (<c>$NOTIFY_SOCKET</c> is set); otherwise null.</summary>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    /// <param name="processId">This process's id, compared with <c>$WATCHDOG_PID</c>.</param>
    /// <param name="logger">Where failed notifications are logged.</param>
    public static SystemdNotifier? FromEnvironment(Func<string, string?>? environment = null, int? processId = null, ILogger? logger = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var socket = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socket))
        {
            return null;
        }

        TimeSpan? watchdog = null;
        if (ulong.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited the variables stays quiet.
            var pid = environment("WATCHDOG_PID");
            if (string.IsNullOrEmpty(pid) || pid == (processId ?? Environment.ProcessId).ToString(CultureInfo.InvariantCulture))
            {
                watchdog = TimeSpan.FromMicroseconds(usec / 2.0);
            }
        }

        return new SystemdNotifier(socket, watchdog, logger);
    }

    /// <summary>The socket address: an abstract name (<c>@name</c>) starts with a NUL byte on the wire.</summary>
    public static UnixDomainSocketEndPoint EndPoint(string socket) =>
        new(socket.StartsWith('@') ? "\0" + socket[1..] : socket);

    public void Ready(string status) => Notify($"READY=1\nSTATUS={OneLine(status)}\nMAINPID={Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");

    public void Stopping() => Notify("STOPPING=1\nSTATUS=stopping");

    public void Watchdog() => Notify("WATCHDOG=1");

    /// <summary>Sends one notification; false (logged) when the socket cannot be reached. Never throws: systemd's view is not worth a crash.</summary>
    public bool Notify(string state)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(EndPoint(Socket));
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or ArgumentException or PlatformNotSupportedException)
        {
            if (_logger is not null)
            {
                Log.ServiceManagerNotifyFailed(_logger, Name, state.Split('\n')[0], ex.Message);
            }

            return false;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
