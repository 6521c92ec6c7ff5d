using System.Globalization;
using Dapper;

namespace MirtLab.Worker.Store;

/// <summary>A batch parked as a dead letter for one destination, with why.</summary>
public sealed class DeadLetter
{
    public long BatchId { get; init; }

    public string Destination { get; init; } = string.Empty;

    public long Attempts { get; init; }

    public string? LastError { get; init; }

    public string CreatedUtc { get; init; } = string.Empty;

    public string RunKey { get; init; } = string.Empty;

    public string Source { get; init; } = string.Empty;
}

/// <summary>Dead letters: listing them and putting them back in the outbox (an operator's decision, audited).</summary>
public sealed partial class MirtLabStore
{
    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DeadLetter>(new CommandDefinition(
            """
            SELECT o.batch_id AS BatchId, o.destination AS Destination, o.attempts AS Attempts, o.last_error AS LastError,
                   o.created_utc AS CreatedUtc, b.run_key AS RunKey, r.source AS Source
            FROM outbox o JOIN batches b ON b.id = o.batch_id JOIN runs r ON r.run_key = b.run_key
            WHERE o.state = 'dead' ORDER BY o.batch_id, o.destination
            """,
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Puts dead letters back in the outbox (all, one destination's, or one batch's); returns how many, audited as one decision.</summary>
    public async Task<int> RequeueDeadLettersAsync(string actor, string? destination, long? batchId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var parameters = new { Destination = destination, BatchId = batchId, Now = Iso(_time.GetUtcNow()) };
        const string Filter = "state = 'dead' AND (@Destination IS NULL OR destination = @Destination) AND (@BatchId IS NULL OR batch_id = @BatchId)";
        var entries = (await connection.QueryAsync<(long BatchId, string Destination, string? LastError)>(
            $"SELECT batch_id, destination, last_error FROM outbox WHERE {Filter} ORDER BY batch_id", parameters, transaction)).ToList();
        if (entries.Count == 0)
        {
            return 0;
        }

        await connection.ExecuteAsync(
            $"UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_utc = @Now WHERE {Filter}", parameters, transaction);
        await AppendAuditAsync(connection, transaction, actor, "delivery.requeued", entries.Count == 1 ? string.Create(CultureInfo.InvariantCulture, $"batch {entries[0].BatchId} → {entries[0].Destination}") : string.Create(CultureInfo.InvariantCulture, $"{entries.Count} dead letters"),
            new Dictionary<string, object?>
            {
                ["entries"] = entries.Select(e => new Dictionary<string, object?> { ["batchId"] = e.BatchId, ["destination"] = e.Destination, ["lastError"] = e.LastError }).ToList(),
            });
        transaction.Commit();
        return entries.Count;
    }
}
