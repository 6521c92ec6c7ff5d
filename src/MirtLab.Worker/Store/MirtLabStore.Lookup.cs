using System.Globalization;
using Dapper;
using MirtLab.Core.Runs;
using MirtLab.Worker.Processing;

namespace MirtLab.Worker.Store;

/// <summary>Previous results from MirtLab's own store: what it released before (used when no LIS database is configured).</summary>
public sealed partial class MirtLabStore : IPreviousResultSource
{
    public string Name => "MirtLab's store";

    public async Task<IReadOnlyDictionary<(string PatientId, string Analyte), PreviousResult>> FindAsync(
        IReadOnlyCollection<(string PatientId, string Analyte)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, string), PreviousResult>();
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var (patient, analyte) in keys)
        {
            // Released results only (final or corrected): a held result is no reference for a delta check.
            // Times are compared to the second as the documents write them ("2026-11-21T07:21:07+00:00").
            var row = await connection.QueryFirstOrDefaultAsync<(string ResultKey, double Value, string? AcquiredUtc)?>(
                new CommandDefinition(
                    """
                    SELECT result_key, numeric_value, acquired_utc FROM results
                    WHERE patient_id = @Patient AND analyte = @Analyte AND numeric_value IS NOT NULL
                      AND status IN ('final', 'corrected')
                      AND (@Before IS NULL OR substr(acquired_utc, 1, 19) < @Before)
                    ORDER BY acquired_utc DESC LIMIT 1
                    """,
                    new { Patient = patient, Analyte = analyte, Before = beforeUtc?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) },
                    cancellationToken: cancellationToken));
            if (row is { } r)
            {
                found[(patient, analyte)] = new PreviousResult(
                    (decimal)r.Value,
                    r.AcquiredUtc is null ? null : DateTimeOffset.Parse(r.AcquiredUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    r.ResultKey);
            }
        }

        return found;
    }
}
