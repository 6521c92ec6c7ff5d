namespace MirtLab.Worker.Cli;

/// <summary>Runs the service (the default when no verb is given).</summary>
public static class ServiceCommand
{
    public static Task<int> RunAsync(string? configPath, CancellationToken cancellationToken)
    {
        _ = configPath;
        _ = cancellationToken;
        return Task.FromResult(ExitCodes.InternalError);
    }
}
