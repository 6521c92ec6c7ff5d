using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Operations;

/// <summary>Something that supervises the process (systemd, the Windows service control manager) and wants to hear how it is doing.</summary>
public interface IServiceManager
{
    string Name { get; }

    /// <summary>How often <see cref="Watchdog"/> must be called; null when the manager has no watchdog.</summary>
    TimeSpan? WatchdogInterval { get; }

    /// <summary>The service has started: inboxes watched, dispatchers and web endpoints up.</summary>
    void Ready(string status);

    /// <summary>The service begins to stop.</summary>
    void Stopping();

    /// <summary>The process is alive (a hung process stops calling this and is restarted).</summary>
    void Watchdog();
}

/// <summary>
/// Tells the service managers about the host's life: ready once every hosted service has started, stopping when
/// the host begins to stop, and watchdog pings at the manager's interval while it runs.
/// </summary>
public sealed class ServiceManagerLifetime : IHostedService, IDisposable
{
    private readonly List<IServiceManager> _managers;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly MirtLabSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _resources = [];

    public ServiceManagerLifetime(IEnumerable<IServiceManager> managers, IHostApplicationLifetime lifetime, MirtLabSettings settings, TimeProvider time, ILogger<ServiceManagerLifetime> logger)
    {
        _managers = managers.ToList();
        _lifetime = lifetime;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_managers.Count == 0)
        {
            return Task.CompletedTask;
        }

        _resources.Add(_lifetime.ApplicationStarted.Register(() =>
        {
            var status = $"MirtLab {_settings.Node.Name}: watching {_settings.Instruments.Count} inbox(es), delivering to {string.Join(", ", _settings.Destinations)}";
            foreach (var manager in _managers)
            {
                manager.Ready(status);
                Log.ServiceManagerState(_logger, manager.Name, manager.WatchdogInterval is { } w ? $"ready, watchdog ping every {w.TotalSeconds} s" : "ready");
            }
        }));
        _resources.Add(_lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var manager in _managers)
            {
                manager.Stopping();
                Log.ServiceManagerState(_logger, manager.Name, "stopping");
            }
        }));
        foreach (var manager in _managers.Where(m => m.WatchdogInterval is not null))
        {
            var interval = manager.WatchdogInterval!.Value;
            _resources.Add(_time.CreateTimer(_ => manager.Watchdog(), null, interval, interval));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var resource in _resources)
        {
            resource.Dispose();
        }

        _resources.Clear();
    }
}
