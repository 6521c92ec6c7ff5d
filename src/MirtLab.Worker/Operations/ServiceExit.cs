using MirtLab.Worker.Cli;
using MirtLab.Worker.Operations.Windows;

namespace MirtLab.Worker.Operations;

/// <summary>
/// How the service process ends: 0 after a stop that was asked for, 1 when a background service failed and took the
/// host down, so systemd (<c>Restart=on-failure</c>) and the Windows recovery actions restart it.
/// </summary>
public static class ServiceExit
{
    public static int Code(IServiceProvider services, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var service in services.GetServices<IHostedService>().OfType<BackgroundService>())
        {
            if (service.ExecuteTask is { IsFaulted: true } failed)
            {
                Log.BackgroundServiceFailed(logger, failed.Exception?.InnerException, service.GetType().Name, ExitCodes.InternalError);
                return ExitCodes.InternalError;
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>Runs the service: under the Windows service control manager when it started this process, else in the console (or under systemd).</summary>
    public static async Task<int> RunAsync(string? configPath, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows()
            && await WindowsServiceHost.TryRunAsync(token => ServiceCommand.RunAsync(configPath, token), Hosting.MirtLabHost.ShutdownTimeout) is int exitCode)
        {
            return exitCode;
        }

        return await ServiceCommand.RunAsync(configPath, cancellationToken);
    }
}
