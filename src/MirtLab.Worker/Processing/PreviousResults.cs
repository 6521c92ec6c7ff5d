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

/// <summary>Where the Westgard rules find earlier accepted runs' QC results (oldest first).</summary>
public interface IQcHistorySource
{
    string Name { get; }

    Task<IReadOnlyDictionary<(string Analyte, decimal Level), IReadOnlyList<QcObservation>>> QcHistoryAsync(
        IReadOnlyCollection<(string Analyte, decimal Level)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken);
}

/// <summary>Builds the evaluation's <see cref="RunContext"/>: previous results for the delta check, QC history for Westgard.</summary>
public static class RunContextBuilder
{
    public static async Task<RunContext> BuildAsync(
        IPreviousResultSource? previous,
        IQcHistorySource? qcHistory,
        IReadOnlyCollection<(string PatientId, string Analyte)> deltaKeys,
        IReadOnlyCollection<(string Analyte, decimal Level)> qcKeys,
        DateTimeOffset? beforeUtc,
        CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<(string, string), PreviousResult> previousResults = new Dictionary<(string, string), PreviousResult>();
        string? previousUnavailable = null;
        if (deltaKeys.Count > 0)
        {
            if (previous is null)
            {
                previousUnavailable = "no source of previous results is configured";
            }
            else
            {
                try
                {
                    previousResults = await previous.FindAsync(deltaKeys, beforeUtc, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    previousUnavailable = $"{previous.Name} could not be read: {ex.Message}";
                }
            }
        }

        IReadOnlyDictionary<(string, decimal), IReadOnlyList<QcObservation>> history = new Dictionary<(string, decimal), IReadOnlyList<QcObservation>>();
        string? historyUnavailable = null;
        if (qcKeys.Count > 0 && qcHistory is not null)
        {
            try
            {
                history = await qcHistory.QcHistoryAsync(qcKeys, beforeUtc, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                historyUnavailable = $"{qcHistory.Name} could not be read: {ex.Message}";
            }
        }

        return new RunContext
        {
            PreviousResults = previousResults,
            PreviousResultsUnavailable = previousUnavailable,
            QcHistory = history,
            QcHistoryUnavailable = historyUnavailable,
        };
    }
}

/// <summary>Everything a run is judged against from earlier runs.</summary>
public interface IRunHistory : IPreviousResultSource, IQcHistorySource
{
}

/// <summary>A source with no history yet (a dry run on a machine where MirtLab has never run): every lookup finds nothing.</summary>
public sealed class NoHistory : IRunHistory
{
    public static NoHistory Instance { get; } = new();

    public string Name => "no history";

    public Task<IReadOnlyDictionary<(string PatientId, string Analyte), MirtLab.Core.Runs.PreviousResult>> FindAsync(
        IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<(string, string), MirtLab.Core.Runs.PreviousResult>>(new Dictionary<(string, string), MirtLab.Core.Runs.PreviousResult>());

    public Task<IReadOnlyDictionary<(string Analyte, decimal Level), IReadOnlyList<QcObservation>>> QcHistoryAsync(
        IReadOnlyCollection<(string Analyte, decimal Level)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<(string, decimal), IReadOnlyList<QcObservation>>>(new Dictionary<(string, decimal), IReadOnlyList<QcObservation>>());
}
