using MirtLab.Core.Runs;
using MirtLab.Lis;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Processing;

/// <summary>
/// Run history when a LIS database is configured: the delta check compares with the patient's previous released
/// result in the LIS (what the clinicians saw), the Westgard rules use the QC history in MirtLab's store (QCs are
/// never delivered to the LIS).
/// </summary>
public sealed class LisRunHistory(LisWriter lis, MirtLabStore store) : IRunHistory
{
    public string Name => "the LIS database";

    public async Task<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>> FindAsync(
        IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken)
    {
        // On a new installation the first run is read before anything was delivered: the tables must exist to be asked.
        await lis.EnsureSchemaAsync(cancellationToken);
        return await lis.PreviousResultsAsync(keys, beforeUtc, cancellationToken);
    }

    public Task<IReadOnlyDictionary<(string Analyte, decimal Level), IReadOnlyList<QcObservation>>> QcHistoryAsync(
        IReadOnlyCollection<(string Analyte, decimal Level)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken) =>
        store.QcHistoryAsync(keys, beforeUtc, cancellationToken);
}
