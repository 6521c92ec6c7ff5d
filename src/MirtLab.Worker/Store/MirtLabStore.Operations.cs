using System.Globalization;
using System.Text.Json;
using Dapper;
using MirtLab.Core;

namespace MirtLab.Worker.Store;

/// <summary>The operations part of the store: what the status page, the alerts and <c>mirtlab status|replay</c> read and do.</summary>
public sealed partial class MirtLabStore
{
    /// <summary>Everything the status report needs from the store, read on one connection.</summary>
    public async Task<OperationsData> ReadOperationsAsync(DateTimeOffset since24Hours, DateTimeOffset quarantineSince, int recentQuarantines, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var last = (await connection.QueryAsync<LastInputRow>(new CommandDefinition(
            """
            SELECT instrument AS Instrument, name AS Name, outcome AS Outcome, received_utc AS ReceivedUtc
            FROM inputs WHERE id IN (SELECT MAX(id) FROM inputs GROUP BY instrument)
            """,
            cancellationToken: cancellationToken))).ToList();
        var counts = (await connection.QueryAsync<(string Instrument, string Outcome, long Count)>(new CommandDefinition(
            "SELECT instrument, outcome, COUNT(*) FROM inputs WHERE received_utc >= @Since GROUP BY instrument, outcome",
            new { Since = Iso(since24Hours) },
            cancellationToken: cancellationToken))).ToList();
        var quarantines = (await connection.QueryAsync<QuarantineRow>(new CommandDefinition(
            """
            SELECT instrument AS Instrument, name AS Name, received_utc AS ReceivedUtc, final_path AS FinalPath, diagnostics_json AS DiagnosticsJson
            FROM inputs WHERE outcome = 'rejected' ORDER BY id DESC LIMIT @Limit
            """,
            new { Limit = recentQuarantines },
            cancellationToken: cancellationToken))).ToList();
        var quarantineCounts = (await connection.QueryAsync<(string Instrument, long Count, string Latest)>(new CommandDefinition(
            "SELECT instrument, COUNT(*), MAX(received_utc) FROM inputs WHERE outcome = 'rejected' AND received_utc >= @Since GROUP BY instrument",
            new { Since = Iso(quarantineSince) },
            cancellationToken: cancellationToken))).ToList();
        var outbox = (await connection.QueryAsync<OutboxSummaryRow>(new CommandDefinition(
            """
            SELECT destination AS Destination,
                   SUM(state = 'pending') AS Pending,
                   MIN(CASE WHEN state = 'pending' THEN created_utc END) AS OldestPendingUtc,
                   SUM(state = 'dead') AS Dead,
                   MAX(delivered_utc) AS LastDeliveredUtc,
                   (SELECT o2.last_error FROM outbox o2 WHERE o2.destination = o.destination AND o2.state = 'pending' AND o2.last_error IS NOT NULL
                    ORDER BY o2.batch_id LIMIT 1) AS LastError
            FROM outbox o GROUP BY destination ORDER BY destination
            """,
            cancellationToken: cancellationToken))).ToList();
        var created = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MIN(applied_utc) FROM schema_version", cancellationToken: cancellationToken));

        return new OperationsData(
            last.ToDictionary(l => l.Instrument, l => l, StringComparer.Ordinal),
            counts.GroupBy(c => c.Instrument, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, long>)g.ToDictionary(c => c.Outcome, c => c.Count, StringComparer.Ordinal), StringComparer.Ordinal),
            quarantines.Select(q => new QuarantineRecord(q.Instrument, q.Name, ParseUtc(q.ReceivedUtc), FirstError(q.DiagnosticsJson), q.FinalPath)).ToList(),
            quarantineCounts.ToDictionary(q => q.Instrument, q => (q.Count, ParseUtc(q.Latest)), StringComparer.Ordinal),
            outbox,
            created is null ? null : ParseUtc(created));
    }

    /// <summary>
    /// The batches of the runs a replay selects, oldest first, with each configured destination's outbox state
    /// (null when the batch has no entry for it).
    /// </summary>
    public async Task<IReadOnlyList<ReplayCandidate>> FindReplayCandidatesAsync(ReplaySelection selection, IReadOnlyList<string> destinations, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var batches = (await connection.QueryAsync<(long BatchId, string RunKey, string Instrument, string Kind, string Name, string ReceivedUtc)>(new CommandDefinition(
            """
            SELECT b.id, b.run_key, r.instrument, b.kind, i.name, i.received_utc
            FROM batches b JOIN runs r ON r.run_key = b.run_key JOIN inputs i ON i.id = r.input_id
            WHERE (@From IS NULL OR i.received_utc >= @From)
              AND (@To IS NULL OR i.received_utc < @To)
              AND (@Instrument IS NULL OR r.instrument = @Instrument)
              AND (@AnyRun = 0 OR b.run_key IN (SELECT value FROM json_each(@RunKeys)))
            ORDER BY b.id
            """,
            new
            {
                From = selection.FromUtc is { } from ? Iso(from) : null,
                To = selection.ToUtc is { } to ? Iso(to) : null,
                selection.Instrument,
                AnyRun = selection.RunKeys.Count > 0 ? 1 : 0,
                RunKeys = JsonSerializer.Serialize(selection.RunKeys),
            },
            cancellationToken: cancellationToken))).ToList();
        var states = (await connection.QueryAsync<(long BatchId, string Destination, string State)>(new CommandDefinition(
            """
            SELECT o.batch_id, o.destination, o.state FROM outbox o
            WHERE o.batch_id IN (SELECT value FROM json_each(@Ids))
            """,
            new { Ids = JsonSerializer.Serialize(batches.Select(b => b.BatchId).ToList()) },
            cancellationToken: cancellationToken))).ToLookup(s => s.BatchId);
        return batches.Select(b => new ReplayCandidate(
            b.BatchId,
            b.RunKey,
            b.Instrument,
            b.Kind,
            b.Name,
            ParseUtc(b.ReceivedUtc),
            destinations.ToDictionary(d => d, d => states[b.BatchId].Where(s => s.Destination == d).Select(s => s.State).FirstOrDefault(), StringComparer.Ordinal))).ToList();
    }

    /// <summary>
    /// Queues batches for delivery again, in one transaction with one audit record: a delivered entry becomes pending
    /// (attempts 0, due now), a missing one is created; pending entries are left alone (already queued) and dead
    /// letters too (<c>mirtlab requeue dead</c> puts those back).
    /// </summary>
    public async Task<ReplayOutcome> ReplayAsync(IReadOnlyList<long> batchIds, IReadOnlyList<string> destinations, string actor, string reason, IReadOnlyDictionary<string, object?> selection, CancellationToken cancellationToken = default)
    {
        var now = Iso(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        int reopened = 0, created = 0, skippedPending = 0, skippedDead = 0;
        foreach (var batchId in batchIds)
        {
            foreach (var destination in destinations)
            {
                var state = await connection.ExecuteScalarAsync<string?>(
                    "SELECT state FROM outbox WHERE batch_id = @BatchId AND destination = @Destination", new { BatchId = batchId, Destination = destination }, transaction);
                switch (state)
                {
                    case null:
                        await connection.ExecuteAsync(
                            "INSERT INTO outbox (batch_id, destination, state, attempts, next_attempt_utc, created_utc) VALUES (@BatchId, @Destination, 'pending', 0, @Now, @Now)",
                            new { BatchId = batchId, Destination = destination, Now = now },
                            transaction);
                        created++;
                        break;
                    case "delivered":
                        // created_utc restarts too: the backlog's age and the delivery latency measure this replay.
                        await connection.ExecuteAsync(
                            """
                            UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_utc = @Now, created_utc = @Now, delivered_utc = NULL, last_error = NULL
                            WHERE batch_id = @BatchId AND destination = @Destination AND state = 'delivered'
                            """,
                            new { BatchId = batchId, Destination = destination, Now = now },
                            transaction);
                        reopened++;
                        break;
                    case "pending":
                        skippedPending++;
                        break;
                    default:
                        skippedDead++;
                        break;
                }
            }
        }

        var details = new Dictionary<string, object?>(selection)
        {
            ["reason"] = reason,
            ["destinations"] = destinations,
            ["batchIds"] = batchIds,
            ["reopened"] = reopened,
            ["created"] = created,
            ["skippedPending"] = skippedPending,
            ["skippedDead"] = skippedDead,
        };
        var subject = string.Create(CultureInfo.InvariantCulture, $"{batchIds.Count} batch(es) → {string.Join(", ", destinations)}");
        await AppendAuditAsync(connection, transaction, actor, "delivery.replay", subject, details);
        transaction.Commit();
        return new ReplayOutcome(reopened, created, skippedPending, skippedDead);
    }

    /// <summary>How many of these batches' entries for these destinations are delivered, pending and dead now.</summary>
    public async Task<(long Delivered, long Pending, long Dead)> ReplayProgressAsync(IReadOnlyList<long> batchIds, IReadOnlyList<string> destinations, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
            """
            SELECT COALESCE(SUM(state = 'delivered'), 0), COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'dead'), 0) FROM outbox
            WHERE batch_id IN (SELECT value FROM json_each(@Ids)) AND destination IN (SELECT value FROM json_each(@Destinations))
            """,
            new
            {
                Ids = JsonSerializer.Serialize(batchIds),
                Destinations = JsonSerializer.Serialize(destinations),
            },
            cancellationToken: cancellationToken));
    }

    private static DateTimeOffset ParseUtc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string FirstError(string diagnosticsJson)
    {
        var diagnostics = JsonSerializer.Deserialize(diagnosticsJson, MirtLabJson.Default.ListDiagnostic) ?? [];
        return diagnostics.FirstOrDefault(d => d.IsError)?.ToString() ?? "rejected";
    }

    private sealed class QuarantineRow
    {
        public string Instrument { get; init; } = string.Empty;

        public string Name { get; init; } = string.Empty;

        public string ReceivedUtc { get; init; } = string.Empty;

        public string FinalPath { get; init; } = string.Empty;

        public string DiagnosticsJson { get; init; } = "[]";
    }
}

/// <summary>The store's side of the status report.</summary>
/// <param name="LastInputs">Per instrument, its last input.</param>
/// <param name="CountsSince">Per instrument, inputs since the 24-hour mark by outcome.</param>
/// <param name="RecentQuarantines">The newest rejected inputs.</param>
/// <param name="QuarantinesInWindow">Per instrument, rejected inputs within the alert window and the latest one's time.</param>
/// <param name="Outbox">Per destination, the backlog.</param>
/// <param name="StoreCreatedUtc">When the store was created (the reference for an instrument that never sent a file).</param>
public sealed record OperationsData(
    IReadOnlyDictionary<string, LastInputRow> LastInputs,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> CountsSince,
    IReadOnlyList<QuarantineRecord> RecentQuarantines,
    IReadOnlyDictionary<string, (long Count, DateTimeOffset Latest)> QuarantinesInWindow,
    IReadOnlyList<OutboxSummaryRow> Outbox,
    DateTimeOffset? StoreCreatedUtc);

/// <summary>An instrument's last input.</summary>
public sealed class LastInputRow
{
    public string Instrument { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string Outcome { get; init; } = string.Empty;

    public string ReceivedUtc { get; init; } = string.Empty;
}

/// <summary>A rejected input and its first error.</summary>
public sealed record QuarantineRecord(string Instrument, string Name, DateTimeOffset ReceivedUtc, string Reason, string FinalPath);

/// <summary>A destination's outbox: waiting, the oldest waiting, dead, the last delivery and the error holding it up.</summary>
public sealed class OutboxSummaryRow
{
    public string Destination { get; init; } = string.Empty;

    public long Pending { get; init; }

    public string? OldestPendingUtc { get; init; }

    public long Dead { get; init; }

    public string? LastDeliveredUtc { get; init; }

    public string? LastError { get; init; }
}

/// <summary>Which archived inputs a replay re-delivers: received in [From, To), of one instrument, of some runs.</summary>
public sealed record ReplaySelection(DateTimeOffset? FromUtc, DateTimeOffset? ToUtc, string? Instrument, IReadOnlyList<string> RunKeys);

/// <summary>A batch a replay may queue again, with its outbox state per destination (null: no entry).</summary>
public sealed record ReplayCandidate(long BatchId, string RunKey, string Instrument, string Kind, string InputName, DateTimeOffset ReceivedUtc, IReadOnlyDictionary<string, string?> States);

/// <summary>What a replay did: entries re-opened, created, and left alone.</summary>
public sealed record ReplayOutcome(int Reopened, int Created, int SkippedPending, int SkippedDead)
{
    public int Queued => Reopened + Created;
}
