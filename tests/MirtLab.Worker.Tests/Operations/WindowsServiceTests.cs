using MirtLab.Worker.Operations.Windows;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>
/// The Windows service's state machine and runner, on any OS: what SetServiceStatus receives and when. The Win32
/// calls themselves (StartServiceCtrlDispatcher, RegisterServiceCtrlHandlerEx, SetServiceStatus) run only on Windows.
/// </summary>
public sealed class WindowsServiceTests
{
    [Fact]
    public void Machine_StartPending_Running_StopPending_Stopped_WithCheckpoints()
    {
        var machine = new ServiceStatusMachine(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45));
        Assert.Equal((ServiceState.StartPending, 1u, ServiceControlsAccepted.None), Short(machine.Start()));
        Assert.Equal(2u, machine.Tick()!.Value.CheckPoint);
        var running = machine.Started()!.Value;
        Assert.Equal((ServiceState.Running, 0u, ServiceControlsAccepted.Stop | ServiceControlsAccepted.Shutdown), Short(running));
        Assert.Null(machine.Tick());
        var stopping = machine.StopRequested()!.Value;
        Assert.Equal((ServiceState.StopPending, 1u, ServiceControlsAccepted.None), Short(stopping));
        Assert.Equal(TimeSpan.FromSeconds(45), stopping.WaitHint);
        Assert.Null(machine.StopRequested());
        Assert.Equal(2u, machine.Tick()!.Value.CheckPoint);
        Assert.Equal(3u, machine.Tick()!.Value.CheckPoint);
        var stopped = machine.Stopped(0);
        Assert.Equal((ServiceState.Stopped, 0u, ServiceControlsAccepted.None), Short(stopped));
        Assert.Equal((0u, 0u), (stopped.Win32ExitCode, stopped.ServiceSpecificExitCode));
    }

    [Theory]
    [InlineData(true, 0, 0u, 0u)]
    [InlineData(true, 3, ServiceStatusMachine.ServiceSpecificError, 3u)]
    [InlineData(false, 0, ServiceStatusMachine.ServiceSpecificError, 1u)]
    [InlineData(false, 1, ServiceStatusMachine.ServiceSpecificError, 1u)]
    public void Machine_AStopNobodyAskedFor_IsAFailure_SoRecoveryRestartsTheService(bool asked, int exitCode, uint win32, uint specific)
    {
        var machine = new ServiceStatusMachine(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45));
        machine.Start();
        machine.Started();
        _ = asked ? machine.StopRequested() : machine.Stopping();
        var stopped = machine.Stopped(exitCode);
        Assert.Equal((win32, specific), (stopped.Win32ExitCode, stopped.ServiceSpecificExitCode));
    }

    [Fact]
    public void Machine_StartedAfterAStop_StaysStopping()
    {
        var machine = new ServiceStatusMachine(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45));
        machine.Start();
        machine.StopRequested();
        Assert.Null(machine.Started());
        Assert.Equal(ServiceState.StopPending, machine.Current.State);
    }

    [Fact]
    public async Task Runner_ReportsEveryStep_AndStopControlStopsTheHost()
    {
        var time = new FakeTime(DateTimeOffset.UnixEpoch);
        var sink = new ListSink();
        using var runner = new WindowsServiceRunner(sink, time, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        var hostStopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var letHostEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Begin();
        time.Advance(TimeSpan.FromSeconds(2));
        var run = runner.RunAsync(async token =>
        {
            runner.Ready("up");
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
            runner.Stopping();
            hostStopping.SetResult();
            await letHostEnd.Task;
            return 0;
        });

        Assert.Equal(WindowsServiceRunner.NoError, runner.HandleControl(WindowsServiceRunner.ControlInterrogate));
        Assert.Equal(WindowsServiceRunner.CallNotImplemented, runner.HandleControl(0x0000000F));
        Assert.Equal(WindowsServiceRunner.NoError, runner.HandleControl(WindowsServiceRunner.ControlStop));
        await hostStopping.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(2));
        letHostEnd.SetResult();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(
            [
                (ServiceState.StartPending, 1u), (ServiceState.StartPending, 2u), (ServiceState.Running, 0u), (ServiceState.Running, 0u),
                (ServiceState.StopPending, 1u), (ServiceState.StopPending, 2u), (ServiceState.StopPending, 3u), (ServiceState.Stopped, 0u),
            ],
            sink.Reported.Select(s => (s.State, s.CheckPoint)));
        Assert.Equal(0u, sink.Reported[^1].Win32ExitCode);
    }

    [Fact]
    public async Task Runner_HostThatThrows_EndsStoppedWithExitCode1()
    {
        var sink = new ListSink();
        using var runner = new WindowsServiceRunner(sink, new FakeTime(DateTimeOffset.UnixEpoch), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        var exit = await runner.RunAsync(_ => throw new InvalidOperationException("the store is unreadable"));
        Assert.Equal(1, exit);
        Assert.Equal((ServiceState.Stopped, ServiceStatusMachine.ServiceSpecificError, 1u), (sink.Reported[^1].State, sink.Reported[^1].Win32ExitCode, sink.Reported[^1].ServiceSpecificExitCode));
    }

    private static (ServiceState, uint, ServiceControlsAccepted) Short(ServiceStatus s) => (s.State, s.CheckPoint, s.ControlsAccepted);

    private sealed class ListSink : IServiceStatusSink
    {
        public List<ServiceStatus> Reported { get; } = [];

        public void Report(ServiceStatus status)
        {
            lock (Reported)
            {
                Reported.Add(status);
            }
        }
    }
}
