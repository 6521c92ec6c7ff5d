using MirtLab.Worker.Configuration;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Cli;

/// <summary>What most verbs start with: the validated settings and the service's store (created or upgraded if needed).</summary>
public static class CliStore
{
    /// <summary>Loads the configuration (printing every error) and opens the store; null when the configuration is invalid.</summary>
    public static async Task<(MirtLabSettings Settings, MirtLabStore Store)?> OpenAsync(string? configPath, TextWriter error, CancellationToken cancellationToken)
    {
        var loaded = SettingsLoader.Load(SettingsLoader.Locate(configPath));
        if (loaded.Settings is not { } settings)
        {
            foreach (var e in loaded.Errors)
            {
                error.WriteLine(e);
            }

            return null;
        }

        var store = new MirtLabStore(settings.StorePath, TimeProvider.System);
        await store.InitializeAsync(cancellationToken);
        return (settings, store);
    }

    /// <summary>Who the audit records as acting from the command line.</summary>
    public static string Actor => $"{Environment.UserName}@{Environment.MachineName} (cli)";
}
