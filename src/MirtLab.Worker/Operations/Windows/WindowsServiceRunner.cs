namespace MirtLab.Worker.Operations.Windows;

/// <summary>Where service status goes: SetServiceStatus on Windows, a list in tests.</summary>
public interface IServiceStatusSink
{
    void Report(ServiceStatus status);
}

/// <summary>
/// Runs the host as a Windows service: reports START_PENDING, RUNNING once the host is ready, STOP_PENDING with a
/// checkpoint every <c>checkpointInterval</c> while it stops, then STOPPED with the exit code. The control handler's
/// STOP and SHUTDOWN cancel the token the host runs with. Platform-neutral: <see cref="WindowsServiceHost"/> supplies
/// the Win32 sink and control handler; tests supply their own.
/// </summary>
public sealed class WindowsServiceRunner : IServiceManager, IDisposable
{
    /// <summary>SERVICE_CONTROL_STOP.</summary>
    public const uint ControlStop = 1;

    /// <summary>SERVICE_CONTROL_INTERROGATE.</summary>
    public const uint ControlInterrogate = 4;

    /// <summary>SERVICE_CONTROL_SHUTDOWN.</summary>
    public const uint ControlShutdown = 5;

    /// <summary>NO_ERROR.</summary>
    public const uint NoError = 0;

    /// <summary>ERROR_CALL_NOT_IMPLEMENTED: a control this service does not handle.</summary>
    public const uint CallNotImplemented = 120;

    private readonly IServiceStatusSink _sink;
    private readonly TimeProvider _time;
    private readonly TimeSpan _checkpointInterval;
    private readonly ServiceStatusMachine _machine;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private ITimer? _checkpoints;

    public WindowsServiceRunner(IServiceStatusSink sink, TimeProvider time, TimeSpan checkpointInterval, TimeSpan stopTimeout)
    {
        _sink = sink;
        _time = time;
        _checkpointInterval = checkpointInterval;
        // The wait hint covers two checkpoint intervals; the stop itself may last the host's shutdown timeout.
        _machine = new ServiceStatusMachine(checkpointInterval * 2 > TimeSpan.FromSeconds(30) ? checkpointInterval * 2 : TimeSpan.FromSeconds(30), checkpointInterval * 2 > stopTimeout ? checkpointInterval * 2 : stopTimeout);
    }

    /// <summary>The runner of this process when the service control manager started it; null otherwise.</summary>
    public static WindowsServiceRunner? Current { get; internal set; }

    public string Name => "Windows service control manager";

    public TimeSpan? WatchdogInterval => null;

    /// <summary>Cancelled by a STOP or SHUTDOWN control.</summary>
    public CancellationToken StopToken => _stop.Token;

    public ServiceStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _machine.Current;
            }
        }
    }

    /// <summary>ServiceMain began: START_PENDING, and checkpoints until the host is ready.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _sink.Report(_machine.Start());
            _checkpoints = _time.CreateTimer(_ => Tick(), null, _checkpointInterval, _checkpointInterval);
        }
    }

    /// <summary>Runs the host with the stop token; reports STOPPED with its exit code (1 when it threw).</summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<int>> host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Status.State == ServiceState.Stopped)
        {
            Begin();
        }

        int exitCode;
        try
        {
            exitCode = await host(_stop.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"mirtlab: the service failed: {ex}");
            exitCode = 1;
        }

        End(exitCode);
        return exitCode;
    }

    /// <summary>The control handler: STOP and SHUTDOWN begin the stop, INTERROGATE repeats the status; anything else is not handled.</summary>
    public uint HandleControl(uint control)
    {
        switch (control)
        {
            case ControlStop or ControlShutdown:
                lock (_gate)
                {
                    if (_machine.StopRequested() is { } stopping)
                    {
                        _sink.Report(stopping);
                    }
                }

                // Never block the dispatcher thread: the host stops on the thread pool.
                ThreadPool.UnsafeQueueUserWorkItem(s => ((CancellationTokenSource)s!).Cancel(), _stop);
                return NoError;
            case ControlInterrogate:
                lock (_gate)
                {
                    _sink.Report(_machine.Current);
                }

                return NoError;
            default:
                return CallNotImplemented;
        }
    }

    public void Ready(string status)
    {
        lock (_gate)
        {
            if (_machine.Started() is { } running)
            {
                _sink.Report(running);
            }
        }
    }

    public void Stopping()
    {
        lock (_gate)
        {
            if (_machine.Stopping() is { } stopping)
            {
                _sink.Report(stopping);
            }
        }
    }

    public void Watchdog()
    {
    }

    public void Dispose()
    {
        _checkpoints?.Dispose();
        _stop.Dispose();
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_machine.Tick() is { } progress)
            {
                _sink.Report(progress);
            }
        }
    }

    private void End(int exitCode)
    {
        lock (_gate)
        {
            _checkpoints?.Dispose();
            _checkpoints = null;
            _sink.Report(_machine.Stopped(exitCode));
        }
    }
}
