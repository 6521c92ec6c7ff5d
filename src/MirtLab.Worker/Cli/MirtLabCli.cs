using System.CommandLine;

namespace MirtLab.Worker.Cli;

/// <summary>The <c>mirtlab</c> command line: without a verb it runs the service; verbs are tools for lab IT and validation staff.</summary>
public static class MirtLabCli
{
    public static RootCommand Build()
    {
        var config = new Option<string?>("--config")
        {
            Description = "Path of appsettings.json (default: $MIRTLAB_CONFIG, ./config/appsettings.json, or config/ beside the executable).",
            Recursive = true,
        };
        var root = new RootCommand("MirtLab: reads instrument exports from drop folders, normalises and flags results, and delivers them to the LIS database and MQTT.")
        {
            config,
            CheckCommand.Create(config),
            RulesCommand.Create(config),
            UserCommand.Create(config),
            AuditCommand.Create(config),
            RequeueCommand.Create(config),
            StatusCommand.Create(config),
            ConfigCommand.Create(config),
            ReplayCommand.Create(config),
        };
        root.SetAction((parse, cancellationToken) => Operations.ServiceExit.RunAsync(parse.GetValue(config), cancellationToken));
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await Build().Parse(args).InvokeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"mirtlab: internal error: {ex}");
            return ExitCodes.InternalError;
        }
    }
}
