using MirtLab.Worker.Configuration;
using MirtLab.Worker.Hosting;
using MirtLab.Worker.Operations;

namespace MirtLab.Worker.Cli;

/// <summary>Runs the service (the default when no verb is given). A bad setting stops it before anything starts.</summary>
public static class ServiceCommand
{
    public static async Task<int> RunAsync(string? configPath, CancellationToken cancellationToken)
    {
        var file = SettingsLoader.Locate(configPath);
        var loaded = SettingsLoader.Load(file);
        if (loaded.Settings is not { } settings)
        {
            await Console.Error.WriteLineAsync("MirtLab cannot start:");
            foreach (var error in loaded.Errors)
            {
                await Console.Error.WriteLineAsync("  " + error);
            }

            return ExitCodes.BadConfiguration;
        }

        var app = MirtLabHost.Build(settings, SettingsLoader.BuildConfiguration(file!));
        await using (app)
        {
            await MirtLabHost.InitializeAsync(app, cancellationToken);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MirtLab");
            Log.Starting(logger, settings.Node.Name, settings.ConfigFile, settings.DataRoot, settings.Rules.Version, settings.Instruments.Count, string.Join(", ", settings.Destinations));
            // Start and wait instead of RunAsync, which disposes the services before the exit code can be read from them.
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return ServiceExit.Code(app.Services, logger);
        }
    }
}
