using MirtLab.Core.Runs;

namespace MirtLab.Worker.Processing;

/// <summary>
/// Where the delta check's previous results come from (looked up between reading and evaluating, so the
/// evaluation stays pure). A failed lookup is no error of the input: the results it concerns are held and say why.
/// </summary>
public interface IPreviousResultSource
{
    /// <summary>A human name for messages ("the LIS database").</summary>
    string Name { get; }

    Task<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>> FindAsync(
        IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken);
}

/// <summary>Builds the evaluation's <see cref="RunContext"/> from a previous-result source.</summary>
public static class PreviousResultContext
{
    public static async Task<RunContext> BuildAsync(IPreviousResultSource? source, IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return RunContext.Empty;
        }

        if (source is null)
        {
            return new RunContext { PreviousResultsUnavailable = "no source of previous results is configured" };
        }

        try
        {
            return new RunContext { PreviousResults = await source.FindAsync(keys, beforeUtc, cancellationToken) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new RunContext { PreviousResultsUnavailable = $"{source.Name} could not be read: {ex.Message}" };
        }
    }
}

/// <summary>A source with no history yet (a dry run on a machine where MirtLab has never run): every lookup finds nothing.</summary>
public sealed class NoHistory : IPreviousResultSource
{
    public static NoHistory Instance { get; } = new();

    public string Name => "no history";

    public Task<IReadOnlyDictionary<(string PatientId, string Analyte), MirtLab.Core.Runs.PreviousResult>> FindAsync(
        IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<(string, string), MirtLab.Core.Runs.PreviousResult>>(new Dictionary<(string, string), MirtLab.Core.Runs.PreviousResult>());
}
