using System.Globalization;
using Dapper;
using MirtLab.Core.Runs;
using MirtLab.Worker.Processing;

namespace MirtLab.Worker.Store;

/// <summary>Earlier runs from MirtLab's own store: released patient results for the delta check, accepted QC results for Westgard.</summary>
public sealed partial class MirtLabStore : IRunHistory
{
    /// <summary>QC observations per level the Westgard targets are established from, at most (the newest).</summary>
    public const int QcHistoryDepth = 100;

    public string Name => "MirtLab's store";

    public async Task<IReadOnlyDictionary<(string Analyte, decimal Level), IReadOnlyList<QcObservation>>> QcHistoryAsync(
        IReadOnlyCollection<(string Analyte, decimal Level)> keys, DateTimeOffset? beforeUtc, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, decimal), IReadOnlyList<QcObservation>>();
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var (analyte, level) in keys)
        {
            // Only runs in which this analyte was accepted (by the rules or by QA): a rejected run's QCs were
            // repeated and are no part of the history targets are established from (CLSI C24).
            var rows = await connection.QueryAsync<(string RunKey, string? AcquiredUtc, double Value, string? SampleName)>(
                new CommandDefinition(
                    """
                    SELECT r.run_key, r.acquired_utc,
                           COALESCE(json_extract(r.document_json, '$.raw.canonicalUnrounded'), r.numeric_value) AS value,
                           json_extract(r.document_json, '$.sampleName')
                    FROM results r
                    JOIN run_analytes ra ON ra.run_key = r.run_key AND ra.analyte = r.analyte AND ra.outcome = 'accepted'
                    WHERE r.sample_type = 'qc' AND r.analyte = @Analyte AND r.nominal = @Level
                      AND r.numeric_value IS NOT NULL
                      AND (@Before IS NULL OR substr(r.acquired_utc, 1, 19) < @Before)
                    ORDER BY r.acquired_utc DESC, r.result_key LIMIT @Depth
                    """,
                    new { Analyte = analyte, Level = (double)level, Before = beforeUtc?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), Depth = QcHistoryDepth },
                    cancellationToken: cancellationToken));
            var observations = rows
                .Reverse()
                .Select(r => new QcObservation(
                    r.RunKey,
                    r.AcquiredUtc is null ? null : DateTimeOffset.Parse(r.AcquiredUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    (decimal)r.Value,
                    r.SampleName))
                .ToList();
            if (observations.Count > 0)
            {
                found[(analyte, level)] = observations;
            }
        }

        return found;
    }

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
