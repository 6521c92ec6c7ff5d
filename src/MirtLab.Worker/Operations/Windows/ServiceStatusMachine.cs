namespace MirtLab.Worker.Operations.Windows;

/// <summary>SERVICE_STATUS.dwCurrentState values MirtLab reports.</summary>
public enum ServiceState : uint
{
    Stopped = 1,
    StartPending = 2,
    StopPending = 3,
    Running = 4,
}

/// <summary>SERVICE_STATUS.dwControlsAccepted bits MirtLab uses.</summary>
[Flags]
public enum ServiceControlsAccepted : uint
{
    None = 0,
    Stop = 0x1,
    Shutdown = 0x4,
}

/// <summary>One SERVICE_STATUS as the service control manager receives it.</summary>
/// <param name="State">dwCurrentState.</param>
/// <param name="ControlsAccepted">dwControlsAccepted: none while pending.</param>
/// <param name="Win32ExitCode">dwWin32ExitCode: 0, or 1066 (ERROR_SERVICE_SPECIFIC_ERROR) with the exit code beside it.</param>
/// <param name="ServiceSpecificExitCode">dwServiceSpecificExitCode: MirtLab's exit code (README, Command line).</param>
/// <param name="CheckPoint">dwCheckPoint: grows while a start or stop is pending, 0 otherwise.</param>
/// <param name="WaitHint">dwWaitHint: how long until the next checkpoint may come.</param>
public readonly record struct ServiceStatus(ServiceState State, ServiceControlsAccepted ControlsAccepted, uint Win32ExitCode, uint ServiceSpecificExitCode, uint CheckPoint, TimeSpan WaitHint);

/// <summary>
/// The states a Windows service reports, as the service control manager expects them: START_PENDING (with growing
/// checkpoints) → RUNNING (accepting STOP and SHUTDOWN) → STOP_PENDING (with growing checkpoints) → STOPPED with an
/// exit code. Pure, so it is tested on any OS; <see cref="WindowsServiceHost"/> sends what it returns to SetServiceStatus.
/// A stop nobody asked for (the host ended by itself) is reported as a failure, so the service's recovery actions
/// restart it.
/// </summary>
public sealed class ServiceStatusMachine
{
    /// <summary>ERROR_SERVICE_SPECIFIC_ERROR: the exit code is in dwServiceSpecificExitCode.</summary>
    public const uint ServiceSpecificError = 1066;

    private readonly TimeSpan _startWaitHint;
    private readonly TimeSpan _stopWaitHint;

    public ServiceStatusMachine(TimeSpan startWaitHint, TimeSpan stopWaitHint)
    {
        _startWaitHint = startWaitHint;
        _stopWaitHint = stopWaitHint;
        Current = new ServiceStatus(ServiceState.Stopped, ServiceControlsAccepted.None, 0, 0, 0, TimeSpan.Zero);
    }

    public ServiceStatus Current { get; private set; }

    /// <summary>True once a STOP or SHUTDOWN control arrived.</summary>
    public bool StopWasRequested { get; private set; }

    /// <summary>ServiceMain began: START_PENDING, checkpoint 1.</summary>
    public ServiceStatus Start() => Current = new ServiceStatus(ServiceState.StartPending, ServiceControlsAccepted.None, 0, 0, 1, _startWaitHint);

    /// <summary>The host started: RUNNING, accepting STOP and SHUTDOWN. Null when not starting (a stop came first).</summary>
    public ServiceStatus? Started() => Current.State != ServiceState.StartPending
        ? null
        : Current = new ServiceStatus(ServiceState.Running, ServiceControlsAccepted.Stop | ServiceControlsAccepted.Shutdown, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A STOP or SHUTDOWN control: STOP_PENDING, checkpoint 1. Null when already stopping or stopped.</summary>
    public ServiceStatus? StopRequested()
    {
        var status = Stopping();
        if (status is not null)
        {
            StopWasRequested = true;
        }

        return status;
    }

    /// <summary>The host began to stop (asked or not): STOP_PENDING, checkpoint 1. Null when already stopping or stopped.</summary>
    public ServiceStatus? Stopping() => Current.State is ServiceState.StopPending or ServiceState.Stopped
        ? null
        : Current = new ServiceStatus(ServiceState.StopPending, ServiceControlsAccepted.None, 0, 0, 1, _stopWaitHint);

    /// <summary>Progress while a start or stop is pending: the next checkpoint. Null in a steady state.</summary>
    public ServiceStatus? Tick() => Current.State is ServiceState.StartPending or ServiceState.StopPending
        ? Current = Current with { CheckPoint = Current.CheckPoint + 1 }
        : null;

    /// <summary>The host has ended with <paramref name="exitCode"/>: STOPPED.</summary>
    public ServiceStatus Stopped(int exitCode)
    {
        // Ending without being asked is a failure even with exit code 0: the recovery actions must restart the service.
        var code = exitCode != 0 ? (uint)exitCode : StopWasRequested ? 0u : 1u;
        return Current = new ServiceStatus(ServiceState.Stopped, ServiceControlsAccepted.None, code == 0 ? 0 : ServiceSpecificError, code, 0, TimeSpan.Zero);
    }
}
