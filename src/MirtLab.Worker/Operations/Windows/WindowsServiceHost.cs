using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace MirtLab.Worker.Operations.Windows;

/// <summary>
/// Makes <c>mirtlab</c> a real Windows service through the Win32 service control API (Microsoft.Extensions.Hosting.
/// WindowsServices and System.ServiceProcess are absent here). <see cref="TryRunAsync"/> calls
/// StartServiceCtrlDispatcher on its own thread: started by the service control manager, the SCM calls ServiceMain,
/// which registers the control handler and reports START_PENDING, and the host runs under a
/// <see cref="WindowsServiceRunner"/>; started from a console, the call fails at once with
/// ERROR_FAILED_SERVICE_CONTROLLER_CONNECT and MirtLab runs as a console program.
/// </summary>
[SupportedOSPlatform("windows")]
public static partial class WindowsServiceHost
{
    private const int ErrorFailedServiceControllerConnect = 1063;
    private const uint ServiceWin32OwnProcess = 0x10;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(2);
    private static TaskCompletionSource<bool>? s_serviceMainCalled;
    private static readonly ManualResetEventSlim s_hostEnded = new();
    private static nint s_statusHandle;
    private static WindowsServiceRunner? s_runner;
    private static TimeSpan s_stopTimeout;

    /// <summary>Runs <paramref name="host"/> as the service; null when this process was not started by the service control manager.</summary>
    /// <param name="host">Runs the host until the token is cancelled; returns the exit code.</param>
    /// <param name="stopTimeout">How long the host may take to stop (its shutdown timeout).</param>
    public static async Task<int?> TryRunAsync(Func<CancellationToken, Task<int>> host, TimeSpan stopTimeout)
    {
        s_serviceMainCalled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_stopTimeout = stopTimeout;
        var dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "Win32 service dispatcher" };
        dispatcher.Start();
        if (!await s_serviceMainCalled.Task)
        {
            return null;
        }

        var exitCode = await s_runner!.RunAsync(host);
        s_hostEnded.Set();
        dispatcher.Join(TimeSpan.FromSeconds(10));
        return exitCode;
    }

    private static unsafe void Dispatch()
    {
        var table = stackalloc ServiceTableEntry[2];
        var name = (char*)Marshal.StringToHGlobalUni(string.Empty);
        try
        {
            // SERVICE_WIN32_OWN_PROCESS: the name in the table is ignored; ServiceMain receives the installed one.
            table[0] = new ServiceTableEntry { ServiceName = name, ServiceProc = &ServiceMain };
            table[1] = default;
            if (!StartServiceCtrlDispatcher(table))
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != ErrorFailedServiceControllerConnect)
                {
                    Console.Error.WriteLine($"mirtlab: StartServiceCtrlDispatcher failed with Win32 error {error}; running as a console program.");
                }

                s_serviceMainCalled!.TrySetResult(false);
            }
        }
        finally
        {
            Marshal.FreeHGlobal((nint)name);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void ServiceMain(int argc, char** argv)
    {
        var serviceName = argc > 0 && argv[0] is not null ? new string(argv[0]) : "MirtLab";
        s_statusHandle = RegisterServiceCtrlHandlerEx(serviceName, &Handler, 0);
        if (s_statusHandle == 0)
        {
            Console.Error.WriteLine($"mirtlab: RegisterServiceCtrlHandlerEx failed with Win32 error {Marshal.GetLastPInvokeError()}.");
            s_serviceMainCalled!.TrySetResult(false);
            return;
        }

        s_runner = new WindowsServiceRunner(new Win32StatusSink(), TimeProvider.System, CheckpointInterval, s_stopTimeout);
        WindowsServiceRunner.Current = s_runner;
        s_runner.Begin();
        s_serviceMainCalled!.TrySetResult(true);

        // ServiceMain returns once STOPPED was reported; the dispatcher then returns when the SCM agrees.
        s_hostEnded.Wait();
    }

    [UnmanagedCallersOnly]
    private static uint Handler(uint control, uint eventType, nint eventData, nint context) =>
        s_runner?.HandleControl(control) ?? WindowsServiceRunner.CallNotImplemented;

    private sealed class Win32StatusSink : IServiceStatusSink
    {
        public unsafe void Report(ServiceStatus status)
        {
            var native = new NativeServiceStatus
            {
                ServiceType = ServiceWin32OwnProcess,
                CurrentState = (uint)status.State,
                ControlsAccepted = (uint)status.ControlsAccepted,
                Win32ExitCode = status.Win32ExitCode,
                ServiceSpecificExitCode = status.ServiceSpecificExitCode,
                CheckPoint = status.CheckPoint,
                WaitHint = (uint)status.WaitHint.TotalMilliseconds,
            };
            if (!SetServiceStatus(s_statusHandle, &native))
            {
                Console.Error.WriteLine($"mirtlab: SetServiceStatus({status.State}) failed with Win32 error {Marshal.GetLastPInvokeError()}.");
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ServiceTableEntry
    {
        public char* ServiceName;
        public delegate* unmanaged<int, char**, void> ServiceProc;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NativeServiceStatus
    {
        public uint ServiceType;
        public uint CurrentState;
        public uint ControlsAccepted;
        public uint Win32ExitCode;
        public uint ServiceSpecificExitCode;
        public uint CheckPoint;
        public uint WaitHint;
    }

    [LibraryImport("advapi32.dll", EntryPoint = "StartServiceCtrlDispatcherW", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool StartServiceCtrlDispatcher(ServiceTableEntry* table);

    [LibraryImport("advapi32.dll", EntryPoint = "RegisterServiceCtrlHandlerExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static unsafe partial nint RegisterServiceCtrlHandlerEx(string serviceName, delegate* unmanaged<uint, uint, nint, nint, uint> handler, nint context);

    [LibraryImport("advapi32.dll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool SetServiceStatus(nint handle, NativeServiceStatus* status);
}
