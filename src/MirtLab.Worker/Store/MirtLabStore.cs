using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Core;
using MirtLab.Core.Audit;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Lis.Schema;

namespace MirtLab.Worker.Store;

/// <summary>
/// MirtLab's own embedded store (SQLite, WAL, synchronous=FULL): every input's outcome, its results, the
/// outbox and the audit trail. An accepted input is recorded in one transaction with its results and one
/// outbox entry per destination, before anything is published: a crash loses nothing and publishes nothing twice.
/// </summary>
public sealed partial class MirtLabStore
{
    private static readonly IReadOnlyList<Migration> Migrations = SchemaMigrator.LoadEmbedded(typeof(MirtLabStore).Assembly, "MirtLab.Worker.Store.Schema.");
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public MirtLabStore(string path, TimeProvider time)
    {
        Path = path;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await SchemaMigrator.MigrateAsync(
            connection,
            Migrations,
            "schema_version",
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_utc TEXT NOT NULL)",
            _time.GetUtcNow(),
            cancellationToken);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>Records an accepted input with its run, results, first batch and outbox entries, in one transaction.</summary>
    public async Task<long> RecordAcceptedAsync(InputReceipt receipt, EvaluatedRun run, IReadOnlyList<string> destinations, CancellationToken cancellationToken = default)
    {
        var now = Iso(_time.GetUtcNow());
        var runDocument = RunDocument.From(run);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();

        var inputId = await InsertInputAsync(connection, transaction, receipt, "accepted", run.Identity.FormatId, null, run.Diagnostics);
        await connection.ExecuteAsync(
            """
            INSERT INTO runs (run_key, input_id, instrument, format, source, outcome, acquired_utc, config_version, document_json, created_utc, updated_utc)
            VALUES (@RunKey, @InputId, @Instrument, @Format, @Source, @Outcome, @AcquiredUtc, @ConfigVersion, @Document, @Now, @Now)
            """,
            new
            {
                runDocument.RunKey,
                InputId = inputId,
                runDocument.Instrument,
                runDocument.Format,
                runDocument.Source,
                runDocument.Outcome,
                AcquiredUtc = runDocument.AcquiredUtc is { } acquired ? Iso(acquired) : null,
                runDocument.ConfigVersion,
                Document = JsonSerializer.Serialize(runDocument, MirtLabJson.Default.RunDocument),
                Now = now,
            },
            transaction);

        await WriteRunAnalytesAsync(connection, transaction, runDocument);
        var batchId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO batches (kind, run_key, created_utc, reason) VALUES ('ingest', @RunKey, @Now, @Reason) RETURNING id",
            new { runDocument.RunKey, Now = now, Reason = $"received {receipt.Name}" },
            transaction);

        var rows = run.Results.Select(r =>
        {
            var document = ResultDocument.From(r, run.Identity, run.ConfigVersion);
            return new
            {
                r.ResultKey,
                runDocument.RunKey,
                Revision = 1,
                IsPatient = r.IsPatientResult ? 1 : 0,
                SampleType = document.SampleType,
                document.Analyte,
                document.Status,
                Document = JsonSerializer.Serialize(document, MirtLabJson.Default.ResultDocument),
                BatchId = batchId,
                Now = now,
            };
        }).ToList();
        await connection.ExecuteAsync(
            """
            INSERT INTO results (result_key, run_key, revision, is_patient, sample_type, analyte, status, document_json, updated_utc)
            VALUES (@ResultKey, @RunKey, @Revision, @IsPatient, @SampleType, @Analyte, @Status, @Document, @Now)
            """,
            rows,
            transaction);
        await connection.ExecuteAsync(
            "INSERT INTO result_history (result_key, revision, batch_id, document_json, created_utc) VALUES (@ResultKey, @Revision, @BatchId, @Document, @Now)",
            rows,
            transaction);
        await connection.ExecuteAsync(
            "INSERT INTO outbox (batch_id, destination, state, attempts, next_attempt_utc, created_utc) VALUES (@BatchId, @Destination, 'pending', 0, @Now, @Now)",
            destinations.Select(d => new { BatchId = batchId, Destination = d, Now = now }),
            transaction);

        await AppendAuditAsync(connection, transaction, "mirtlab", "input.accepted", receipt.Sha256, new Dictionary<string, object?>
        {
            ["name"] = receipt.Name,
            ["instrument"] = receipt.Instrument,
            ["format"] = run.Identity.FormatId,
            ["runKey"] = runDocument.RunKey,
            ["runOutcome"] = runDocument.Outcome,
            ["results"] = runDocument.ResultCount,
            ["patientResults"] = runDocument.PatientResultCount,
            ["held"] = runDocument.HeldCount,
            ["configVersion"] = run.ConfigVersion,
            ["archive"] = receipt.FinalPath,
            ["analytes"] = runDocument.Analytes.Select(a => $"{a.Analyte}: {a.Outcome}").ToList(),
        });
        transaction.Commit();
        return inputId;
    }

    /// <summary>Keeps <c>run_analytes</c> (each analyte's outcome in the run) equal to the run document.</summary>
    internal static async Task WriteRunAnalytesAsync(SqliteConnection connection, SqliteTransaction transaction, RunDocument run)
    {
        await connection.ExecuteAsync(
            "INSERT INTO run_analytes (run_key, analyte, outcome) VALUES (@RunKey, @Analyte, @Outcome) ON CONFLICT (run_key, analyte) DO UPDATE SET outcome = excluded.outcome",
            run.Analytes.Select(a => new { run.RunKey, a.Analyte, a.Outcome }),
            transaction);
    }

    /// <summary>Records a rejected input (bad input, quarantined) with its diagnostics.</summary>
    public async Task<long> RecordRejectedAsync(InputReceipt receipt, string? format, IReadOnlyList<Diagnostic> diagnostics, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var id = await InsertInputAsync(connection, transaction, receipt, "rejected", format, null, diagnostics);
        await AppendAuditAsync(connection, transaction, "mirtlab", "input.rejected", receipt.Sha256, new Dictionary<string, object?>
        {
            ["name"] = receipt.Name,
            ["instrument"] = receipt.Instrument,
            ["format"] = format,
            ["quarantine"] = receipt.FinalPath,
            ["errors"] = diagnostics.Where(d => d.IsError).Take(20).Select(d => d.ToString()).ToList(),
        });
        transaction.Commit();
        return id;
    }

    /// <summary>Records an input whose content was accepted before: not published again.</summary>
    public async Task<long> RecordDuplicateAsync(InputReceipt receipt, StoredInput original, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var id = await InsertInputAsync(connection, transaction, receipt, "duplicate", original.Format, original.Id, []);
        await AppendAuditAsync(connection, transaction, "mirtlab", "input.duplicate", receipt.Sha256, new Dictionary<string, object?>
        {
            ["name"] = receipt.Name,
            ["instrument"] = receipt.Instrument,
            ["duplicateOf"] = original.Id,
            ["originalName"] = original.Name,
            ["originalReceivedUtc"] = original.ReceivedUtc,
            ["archive"] = receipt.FinalPath,
        });
        transaction.Commit();
        return id;
    }

    public async Task<StoredInput?> FindAcceptedAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredInput>(
            SelectInput + " WHERE sha256 = @Sha256 AND outcome = 'accepted'", new { Sha256 = sha256 });
    }

    /// <summary>An input recorded for this work path whose move to its final place did not finish (a crash in between).</summary>
    public async Task<StoredInput?> FindUnfinalizedAsync(string workPath, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<StoredInput>(
            SelectInput + " WHERE work_path = @WorkPath AND finalized_utc IS NULL ORDER BY id DESC", new { WorkPath = workPath });
    }

    /// <summary>Every input whose move to its final place was not confirmed.</summary>
    public async Task<IReadOnlyList<StoredInput>> UnfinalizedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredInput>(SelectInput + " WHERE finalized_utc IS NULL ORDER BY id")).AsList();
    }

    /// <summary>
    /// Closes the open records of the input at <paramref name="finalPath"/> (its move there finished, though a crash came
    /// before the store heard of it): done before the input is moved on, e.g. requeued from quarantine, so the next
    /// claim reads it rather than completing the old record's move.
    /// </summary>
    public async Task MarkFinalizedAtAsync(string finalPath, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE inputs SET finalized_utc = @Now WHERE final_path = @FinalPath AND finalized_utc IS NULL", new { FinalPath = finalPath, Now = Iso(_time.GetUtcNow()) });
    }

    public async Task MarkFinalizedAsync(long inputId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE inputs SET finalized_utc = @Now WHERE id = @Id", new { Id = inputId, Now = Iso(_time.GetUtcNow()) });
    }

    public async Task<IReadOnlyList<StoredInput>> RecentInputsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredInput>(SelectInput + " ORDER BY id DESC LIMIT @Limit", new { Limit = limit })).ToList();
    }

    /// <summary>Pending entries for a destination whose next attempt is due, oldest batch first.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> DueAsync(string destination, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OutboxEntry>(
            """
            SELECT batch_id AS BatchId, destination AS Destination, attempts AS Attempts, created_utc AS CreatedUtc
            FROM outbox WHERE destination = @Destination AND state = 'pending' AND next_attempt_utc <= @Now
            ORDER BY batch_id LIMIT @Limit
            """,
            new { Destination = destination, Now = Iso(_time.GetUtcNow()), Limit = limit })).ToList();
    }

    /// <summary>The earliest next attempt among a destination's pending entries, if any.</summary>
    public async Task<DateTimeOffset?> NextAttemptAsync(string destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<string?>(
            "SELECT MIN(next_attempt_utc) FROM outbox WHERE destination = @Destination AND state = 'pending'", new { Destination = destination });
        return next is null ? null : DateTimeOffset.Parse(next, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    public async Task<DeliveryBatch> LoadBatchAsync(long batchId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var batch = await connection.QuerySingleAsync<(string Kind, string RunJson)>(
            "SELECT b.kind, r.document_json FROM batches b JOIN runs r ON r.run_key = b.run_key WHERE b.id = @Id", new { Id = batchId });
        var documents = await connection.QueryAsync<string>(
            """
            SELECT h.document_json FROM result_history h JOIN results r ON r.result_key = h.result_key
            WHERE h.batch_id = @Id AND r.is_patient = 1 ORDER BY h.rowid
            """,
            new { Id = batchId });
        return new DeliveryBatch(
            batchId,
            batch.Kind,
            JsonSerializer.Deserialize(batch.RunJson, MirtLabJson.Default.RunDocument)!,
            documents.Select(d => JsonSerializer.Deserialize(d, MirtLabJson.Default.ResultDocument)!).ToList());
    }

    public async Task MarkDeliveredAsync(long batchId, string destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var now = Iso(_time.GetUtcNow());
        await connection.ExecuteAsync(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_utc = @Now, last_error = NULL WHERE batch_id = @BatchId AND destination = @Destination",
            new { BatchId = batchId, Destination = destination, Now = now });
    }

    /// <summary>Records a failed attempt: the entry waits until <paramref name="nextAttempt"/>, or is parked as a dead letter.</summary>
    public async Task MarkFailedAsync(long batchId, string destination, string error, DateTimeOffset nextAttempt, bool dead, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await connection.ExecuteAsync(
            """
            UPDATE outbox SET state = @State, attempts = attempts + 1, next_attempt_utc = @Next, last_error = @Error
            WHERE batch_id = @BatchId AND destination = @Destination AND state = 'pending'
            """,
            new { BatchId = batchId, Destination = destination, State = dead ? "dead" : "pending", Next = Iso(nextAttempt), Error = error },
            transaction);
        if (dead)
        {
            await AppendAuditAsync(connection, transaction, "mirtlab", "delivery.dead-letter", $"batch {batchId.ToString(CultureInfo.InvariantCulture)} → {destination}",
                new Dictionary<string, object?> { ["batchId"] = batchId, ["destination"] = destination, ["reason"] = error });
        }

        transaction.Commit();
    }

    public async Task<IReadOnlyList<DestinationBacklog>> BacklogAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DestinationBacklog>(
            """
            SELECT destination AS Destination,
                   SUM(state = 'pending') AS Pending,
                   MIN(CASE WHEN state = 'pending' THEN created_utc END) AS OldestPendingUtc,
                   SUM(state = 'dead') AS Dead,
                   (SELECT last_error FROM outbox o2 WHERE o2.destination = o.destination AND o2.last_error IS NOT NULL ORDER BY o2.next_attempt_utc DESC LIMIT 1) AS LastError
            FROM outbox o GROUP BY destination ORDER BY destination
            """)).ToList();
    }

    /// <summary>Appends one audit record in its own transaction.</summary>
    public async Task AppendAuditAsync(string actor, string action, string subject, IReadOnlyDictionary<string, object?> details, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await AppendAuditAsync(connection, transaction, actor, action, subject, details);
        transaction.Commit();
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Seq, string At, string Actor, string Action, string Subject, string Details, string Prev, string Hash)>(
            "SELECT seq, at_utc, actor, action, subject, details_json, prev_hash, hash FROM audit ORDER BY seq");
        return rows.Select(r => new AuditRecord(r.Seq, DateTimeOffset.Parse(r.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), r.Actor, r.Action, r.Subject, r.Details, r.Prev, r.Hash)).ToList();
    }

    private async Task AppendAuditAsync(SqliteConnection connection, SqliteTransaction transaction, string actor, string action, string subject, IReadOnlyDictionary<string, object?> details)
    {
        // The transaction is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so no other writer can
        // take the same sequence number between this read and the insert.
        var last = await connection.QuerySingleOrDefaultAsync<(long Seq, string Hash)?>(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", transaction: transaction);
        var seq = (last?.Seq ?? 0) + 1;
        var previous = last?.Hash ?? AuditChain.Genesis;
        var at = _time.GetUtcNow();
        var detailsJson = JsonSerializer.Serialize(details, AuditJson.Options);
        var hash = AuditChain.ComputeHash(seq, at, actor, action, subject, detailsJson, previous);
        await connection.ExecuteAsync(
            "INSERT INTO audit (seq, at_utc, actor, action, subject, details_json, prev_hash, hash) VALUES (@Seq, @At, @Actor, @Action, @Subject, @Details, @Prev, @Hash)",
            new { Seq = seq, At = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), Actor = actor, Action = action, Subject = subject, Details = detailsJson, Prev = previous, Hash = hash },
            transaction);
    }

    private static async Task<long> InsertInputAsync(SqliteConnection connection, SqliteTransaction transaction, InputReceipt receipt, string outcome, string? format, long? duplicateOf, IReadOnlyList<Diagnostic> diagnostics)
    {
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO inputs (sha256, name, instrument, is_folder, size_bytes, received_utc, outcome, format, duplicate_of, work_path, final_path, diagnostics_json)
            VALUES (@Sha256, @Name, @Instrument, @IsFolder, @SizeBytes, @ReceivedUtc, @Outcome, @Format, @DuplicateOf, @WorkPath, @FinalPath, @Diagnostics)
            RETURNING id
            """,
            new
            {
                receipt.Sha256,
                receipt.Name,
                receipt.Instrument,
                IsFolder = receipt.IsFolder ? 1 : 0,
                receipt.SizeBytes,
                ReceivedUtc = Iso(receipt.ReceivedUtc),
                Outcome = outcome,
                Format = format,
                DuplicateOf = duplicateOf,
                receipt.WorkPath,
                receipt.FinalPath,
                Diagnostics = JsonSerializer.Serialize(diagnostics.ToList(), MirtLabJson.Default.ListDiagnostic),
            },
            transaction);
    }

    private const string SelectInput =
        """
        SELECT id AS Id, sha256 AS Sha256, name AS Name, instrument AS Instrument, outcome AS Outcome, format AS Format,
               work_path AS WorkPath, final_path AS FinalPath, finalized_utc AS FinalizedUtc, received_utc AS ReceivedUtc,
               diagnostics_json AS DiagnosticsJson
        FROM inputs
        """;

    /// <summary>UTC timestamps as sortable ISO-8601 text.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}

/// <summary>JSON for audit details: camelCase, compact, stable.</summary>
internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
    };
}
