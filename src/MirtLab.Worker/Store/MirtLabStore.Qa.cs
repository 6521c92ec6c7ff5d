using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MirtLab.Core;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Worker.Qa;

namespace MirtLab.Worker.Store;

/// <summary>The QA review workflow's part of the store: users, sign-in attempts, run review queries and signed decisions.</summary>
public sealed partial class MirtLabStore
{
    private const string SelectUser =
        """
        SELECT id AS Id, name AS Name, display_name AS DisplayName, role AS Role, password_hash AS PasswordHash,
               security_stamp AS SecurityStamp, created_utc AS CreatedUtc, created_by AS CreatedBy,
               password_changed_utc AS PasswordChangedUtc, disabled_utc AS DisabledUtc, disabled_by AS DisabledBy,
               failed_attempts AS FailedAttempts, locked_until_utc AS LockedUntilUtc, last_sign_in_utc AS LastSignInUtc
        FROM users
        """;

    // ---- Users ----------------------------------------------------------------------------------------------

    /// <summary>Creates a user and audits it, in one transaction. A name that exists (even disabled) is refused.</summary>
    public async Task<QaUser> CreateUserAsync(string name, string displayName, string role, string passwordHash, string actor, CancellationToken cancellationToken = default)
    {
        var now = Iso(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE name = @Name", new { Name = name }, transaction) > 0)
        {
            throw new QaDecisionException($"A user named '{name}' exists already (names are never reused, even after disabling).");
        }

        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO users (name, display_name, role, password_hash, security_stamp, created_utc, created_by, password_changed_utc)
            VALUES (@Name, @DisplayName, @Role, @Hash, @Stamp, @Now, @Actor, @Now) RETURNING id
            """,
            new { Name = name, DisplayName = displayName, Role = role, Hash = passwordHash, Stamp = NewStamp(), Now = now, Actor = actor },
            transaction);
        await AppendAuditAsync(connection, transaction, actor, "user.created", name, new Dictionary<string, object?>
        {
            ["userId"] = id,
            ["displayName"] = displayName,
            ["role"] = role,
        });
        transaction.Commit();
        return (await FindUserAsync(name, cancellationToken))!;
    }

    public async Task<QaUser?> FindUserAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<QaUser>(SelectUser + " WHERE name = @Name", new { Name = name });
    }

    public async Task<QaUser?> GetUserAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<QaUser>(SelectUser + " WHERE id = @Id", new { Id = id });
    }

    public async Task<IReadOnlyList<QaUser>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<QaUser>(SelectUser + " ORDER BY name")).ToList();
    }

    /// <summary>Disables a user (never deletes): their sessions end at their next request.</summary>
    public async Task<bool> DisableUserAsync(string name, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var now = Iso(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var updated = await connection.ExecuteAsync(
            "UPDATE users SET disabled_utc = @Now, disabled_by = @Actor, security_stamp = @Stamp WHERE name = @Name AND disabled_utc IS NULL",
            new { Now = now, Actor = actor, Stamp = NewStamp(), Name = name },
            transaction);
        if (updated == 1)
        {
            await AppendAuditAsync(connection, transaction, actor, "user.disabled", name, new Dictionary<string, object?> { ["reason"] = reason });
        }

        transaction.Commit();
        return updated == 1;
    }

    /// <summary>Sets a new password, clears failed attempts and a lockout, and ends the user's sessions.</summary>
    public async Task<bool> SetPasswordAsync(string name, string passwordHash, string actor, CancellationToken cancellationToken = default)
    {
        var now = Iso(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var updated = await connection.ExecuteAsync(
            """
            UPDATE users SET password_hash = @Hash, security_stamp = @Stamp, password_changed_utc = @Now, failed_attempts = 0, locked_until_utc = NULL
            WHERE name = @Name
            """,
            new { Hash = passwordHash, Stamp = NewStamp(), Now = now, Name = name },
            transaction);
        if (updated == 1)
        {
            await AppendAuditAsync(connection, transaction, actor, "user.password-set", name, new Dictionary<string, object?> { ["unlocked"] = true });
        }

        transaction.Commit();
        return updated == 1;
    }

    /// <summary>Replaces a hash with a stronger one after a successful verification (PasswordHasher asked for it); not audited: nothing changed for anyone.</summary>
    public async Task RehashPasswordAsync(long userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE users SET password_hash = @Hash WHERE id = @Id", new { Hash = passwordHash, Id = userId });
    }

    /// <summary>
    /// Records a failed password check (sign-in or signature) and audits it, in one transaction; locks the account
    /// after <see cref="QaSecurity.MaxFailedAttempts"/> in a row. Returns true when this attempt locked it.
    /// </summary>
    public async Task<bool> RecordAuthenticationFailureAsync(string attemptedName, long? userId, string purpose, string why, string? remote, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var locked = false;
        long attempts = 0;
        if (userId is long id)
        {
            attempts = await connection.ExecuteScalarAsync<long>(
                "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = @Id RETURNING failed_attempts", new { Id = id }, transaction);
            if (attempts >= QaSecurity.MaxFailedAttempts)
            {
                locked = await connection.ExecuteAsync(
                    "UPDATE users SET locked_until_utc = @Until, failed_attempts = 0 WHERE id = @Id",
                    new { Id = id, Until = Iso(now + QaSecurity.LockoutDuration) },
                    transaction) == 1;
            }
        }

        // An attempted name is whatever was typed: keep it short, it may be garbage (or a mistyped password).
        var subject = attemptedName.Length > 64 ? attemptedName[..64] + "…" : attemptedName;
        await AppendAuditAsync(connection, transaction, subject, purpose + ".failed", subject, new Dictionary<string, object?>
        {
            ["reason"] = why,
            ["knownUser"] = userId is not null,
            ["failedAttemptsInARow"] = attempts,
            ["remote"] = remote,
        });
        if (locked)
        {
            await AppendAuditAsync(connection, transaction, "mirtlab", "user.locked", subject, new Dictionary<string, object?>
            {
                ["after"] = QaSecurity.MaxFailedAttempts,
                ["until"] = Iso(now + QaSecurity.LockoutDuration),
            });
        }

        transaction.Commit();
        return locked;
    }

    /// <summary>Records a successful sign-in: clears failed attempts, audits it.</summary>
    public async Task RecordSignInAsync(QaUser user, string? remote, CancellationToken cancellationToken = default)
    {
        var now = Iso(_time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await connection.ExecuteAsync(
            "UPDATE users SET failed_attempts = 0, locked_until_utc = NULL, last_sign_in_utc = @Now WHERE id = @Id", new { Now = now, user.Id }, transaction);
        await AppendAuditAsync(connection, transaction, user.Name, "sign-in.succeeded", user.Name, new Dictionary<string, object?> { ["role"] = user.Role, ["remote"] = remote });
        transaction.Commit();
    }

    /// <summary>Clears the failed-attempt count after a correct signature password.</summary>
    public async Task ResetFailedAttemptsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE users SET failed_attempts = 0 WHERE id = @Id", new { Id = userId });
    }

    // ---- Runs under review ----------------------------------------------------------------------------------

    /// <summary>Runs, newest first, with live counts of patient and held results.</summary>
    public async Task<IReadOnlyList<QaRunSummary>> ListRunsAsync(string? outcome, string? instrument, int limit = 500, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<QaRunSummary>(
            """
            SELECT r.run_key AS RunKey, r.instrument AS Instrument, r.format AS Format, r.source AS Source, r.outcome AS Outcome,
                   r.acquired_utc AS AcquiredUtc, json_extract(r.document_json, '$.acquiredLocal') AS AcquiredLocal,
                   r.created_utc AS CreatedUtc, r.updated_utc AS UpdatedUtc,
                   (SELECT COUNT(*) FROM results x WHERE x.run_key = r.run_key AND x.is_patient = 1) AS PatientResults,
                   (SELECT COUNT(*) FROM results x WHERE x.run_key = r.run_key AND x.is_patient = 1 AND x.status = 'preliminary') AS HeldResults,
                   (SELECT COUNT(*) FROM qa_decisions d WHERE d.run_key = r.run_key) AS Decisions
            FROM runs r
            WHERE (@Outcome IS NULL OR r.outcome = @Outcome) AND (@Instrument IS NULL OR r.instrument = @Instrument)
            ORDER BY COALESCE(r.acquired_utc, r.created_utc) DESC, r.run_key
            LIMIT @Limit
            """,
            new { Outcome = outcome, Instrument = instrument, Limit = limit })).ToList();
    }

    public async Task<IReadOnlyList<string>> ListInstrumentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>("SELECT DISTINCT instrument FROM runs ORDER BY instrument")).ToList();
    }

    /// <summary>A run with its patient results (current revisions) and the decisions signed on it; null when unknown.</summary>
    public async Task<QaRunDetail?> GetRunForReviewAsync(string runKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var run = await connection.QuerySingleOrDefaultAsync<(string Json, string UpdatedUtc, string Outcome)?>(
            "SELECT document_json, updated_utc, outcome FROM runs WHERE run_key = @RunKey", new { RunKey = runKey });
        if (run is not { } found)
        {
            return null;
        }

        var results = await connection.QueryAsync<string>(
            "SELECT document_json FROM results WHERE run_key = @RunKey AND is_patient = 1 ORDER BY rowid", new { RunKey = runKey });
        var decisions = await connection.QueryAsync<QaDecisionRecord>(SelectDecision + " WHERE run_key = @RunKey ORDER BY id", new { RunKey = runKey });
        return new QaRunDetail(
            JsonSerializer.Deserialize(found.Json, MirtLabJson.Default.RunDocument)!,
            found.Outcome,
            found.UpdatedUtc,
            results.Select(r => JsonSerializer.Deserialize(r, MirtLabJson.Default.ResultDocument)!).ToList(),
            decisions.ToList());
    }

    /// <summary>Every revision of one result, oldest first.</summary>
    public async Task<IReadOnlyList<ResultDocument>> ResultHistoryAsync(string resultKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>("SELECT document_json FROM result_history WHERE result_key = @Key ORDER BY revision", new { Key = resultKey });
        return rows.Select(r => JsonSerializer.Deserialize(r, MirtLabJson.Default.ResultDocument)!).ToList();
    }

    // ---- Decisions ------------------------------------------------------------------------------------------

    /// <summary>
    /// Applies one signed QA decision in ONE transaction: new revisions of the affected patient results (and their
    /// history), a <c>qa-decision</c> batch with an outbox entry per destination, the run's new outcome, the decision
    /// record and its audit record. Refused (nothing written) when the run changed since the reviewer opened it.
    /// </summary>
    public async Task<QaDecisionOutcome> ApplyDecisionAsync(QaDecisionRequest request, QaSigner signer, string meaning, IReadOnlyList<string> destinations, CancellationToken cancellationToken = default)
    {
        var signed = _time.GetUtcNow();
        var now = Iso(signed);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();

        var run = await connection.QuerySingleOrDefaultAsync<(string Json, string UpdatedUtc)?>(
            "SELECT document_json, updated_utc FROM runs WHERE run_key = @RunKey", new { request.RunKey }, transaction)
            ?? throw new QaDecisionException($"There is no run '{request.RunKey}'.");
        if (request.ExpectedRunVersion is not null && !string.Equals(request.ExpectedRunVersion, run.UpdatedUtc, StringComparison.Ordinal))
        {
            throw new QaDecisionException("The run changed since you opened it (another decision was signed). Review it again before signing.", conflict: true);
        }

        var current = await connection.QueryAsync<string>(
            "SELECT document_json FROM results WHERE run_key = @RunKey AND is_patient = 1 ORDER BY rowid", new { request.RunKey }, transaction);
        var everFinal = (await connection.QueryAsync<string>(
            """
            SELECT DISTINCT h.result_key FROM result_history h JOIN results r ON r.result_key = h.result_key
            WHERE r.run_key = @RunKey AND r.is_patient = 1 AND json_extract(h.document_json, '$.status') IN ('final', 'corrected')
            """,
            new { request.RunKey },
            transaction)).ToHashSet(StringComparer.Ordinal);
        var patients = current
            .Select(json => JsonNode.Parse(json)!.AsObject())
            .Select(doc => new QaCurrentResult(doc, everFinal.Contains((string)doc["resultKey"]!)))
            .ToList();

        var plan = QaDecisionPlanner.Plan(JsonNode.Parse(run.Json)!.AsObject(), patients, request, signer, signed);
        var runDocument = JsonSerializer.Deserialize(plan.Run.ToJsonString(), MirtLabJson.Default.RunDocument)!;
        var kind = QaDecisionText.Code(request.Kind);

        var batchId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO batches (kind, run_key, created_utc, reason) VALUES ('qa-decision', @RunKey, @Now, @Reason) RETURNING id",
            new { request.RunKey, Now = now, Reason = $"{kind} {request.Analyte} by {signer.Name}: {request.Reason.Trim()}" },
            transaction);

        foreach (var revision in plan.Revisions)
        {
            // Round-trip through the typed document: a plan that would store something the schema does not allow fails here.
            var document = JsonSerializer.Serialize(JsonSerializer.Deserialize(revision.Document.ToJsonString(), MirtLabJson.Default.ResultDocument)!, MirtLabJson.Default.ResultDocument);
            var updated = await connection.ExecuteAsync(
                """
                UPDATE results SET revision = @Revision, status = @Status, document_json = @Document, updated_utc = @Now
                WHERE result_key = @ResultKey AND revision = @Previous
                """,
                new { revision.ResultKey, revision.Revision, revision.Status, Document = document, Now = now, Previous = revision.Revision - 1 },
                transaction);
            if (updated != 1)
            {
                throw new QaDecisionException("A result of the run changed while the decision was being recorded; nothing was written. Review the run again.", conflict: true);
            }

            await connection.ExecuteAsync(
                "INSERT INTO result_history (result_key, revision, batch_id, document_json, created_utc) VALUES (@ResultKey, @Revision, @BatchId, @Document, @Now)",
                new { revision.ResultKey, revision.Revision, BatchId = batchId, Document = document, Now = now },
                transaction);
        }

        await connection.ExecuteAsync(
            "INSERT INTO outbox (batch_id, destination, state, attempts, next_attempt_utc, created_utc) VALUES (@BatchId, @Destination, 'pending', 0, @Now, @Now)",
            destinations.Select(d => new { BatchId = batchId, Destination = d, Now = now }),
            transaction);

        await connection.ExecuteAsync(
            "UPDATE runs SET outcome = @Outcome, document_json = @Document, updated_utc = @Now WHERE run_key = @RunKey",
            new { Outcome = plan.RunOutcome, Document = JsonSerializer.Serialize(runDocument, MirtLabJson.Default.RunDocument), Now = now, request.RunKey },
            transaction);
        await WriteRunAnalytesAsync(connection, transaction, runDocument);

        var changes = plan.Revisions.Select(r => new QaResultChange(r.ResultKey, r.SampleName, r.Analyte, r.Revision, r.PreviousStatus, r.Status)).ToList();
        await AppendAuditAsync(connection, transaction, signer.Name, "qa." + kind, request.RunKey, new Dictionary<string, object?>
        {
            ["analyte"] = request.Analyte,
            ["resultKey"] = request.ResultKey,
            ["reason"] = request.Reason.Trim(),
            ["previousOutcome"] = plan.PreviousOutcome,
            ["newOutcome"] = plan.NewOutcome,
            ["runOutcome"] = plan.RunOutcome,
            ["batchId"] = batchId,
            ["signature"] = new Dictionary<string, object?>
            {
                ["userId"] = signer.Id,
                ["name"] = signer.Name,
                ["printedName"] = signer.DisplayName,
                ["role"] = signer.Role,
                ["signedUtc"] = now,
                ["meaning"] = meaning,
                ["method"] = "password re-entered",
            },
            ["changedResults"] = changes.Select(c => $"{c.ResultKey} {c.SampleName} {c.Analyte} r{c.Revision.ToString(CultureInfo.InvariantCulture)} {c.PreviousStatus}→{c.Status}").ToList(),
        });
        var auditSeq = await connection.ExecuteScalarAsync<long>("SELECT MAX(seq) FROM audit", transaction: transaction);

        var decisionId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO qa_decisions (run_key, kind, analyte, result_key, reason, previous_outcome, new_outcome, signer_id, signer_name, signer_display,
                                      signer_role, signature_meaning, signed_utc, batch_id, changed_results, audit_seq)
            VALUES (@RunKey, @Kind, @Analyte, @ResultKey, @Reason, @Previous, @New, @SignerId, @SignerName, @SignerDisplay,
                    @SignerRole, @Meaning, @Now, @BatchId, @Changed, @AuditSeq)
            RETURNING id
            """,
            new
            {
                request.RunKey,
                Kind = kind,
                request.Analyte,
                request.ResultKey,
                Reason = request.Reason.Trim(),
                Previous = plan.PreviousOutcome,
                New = plan.NewOutcome,
                SignerId = signer.Id,
                SignerName = signer.Name,
                SignerDisplay = signer.DisplayName,
                SignerRole = signer.Role,
                Meaning = meaning,
                Now = now,
                BatchId = batchId,
                Changed = changes.Count,
                AuditSeq = auditSeq,
            },
            transaction);
        transaction.Commit();
        return new QaDecisionOutcome(decisionId, batchId, auditSeq, plan.PreviousOutcome, plan.NewOutcome, plan.RunOutcome, changes);
    }

    public async Task<IReadOnlyList<QaDecisionRecord>> ListDecisionsAsync(string? runKey = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<QaDecisionRecord>(
            SelectDecision + " WHERE @RunKey IS NULL OR run_key = @RunKey ORDER BY id", new { RunKey = runKey })).ToList();
    }

    private const string SelectDecision =
        """
        SELECT id AS Id, run_key AS RunKey, kind AS Kind, analyte AS Analyte, result_key AS ResultKey, reason AS Reason,
               previous_outcome AS PreviousOutcome, new_outcome AS NewOutcome, signer_name AS SignerName, signer_display AS SignerDisplay,
               signer_role AS SignerRole, signature_meaning AS Meaning, signed_utc AS SignedUtc, batch_id AS BatchId,
               changed_results AS ChangedResults, audit_seq AS AuditSeq
        FROM qa_decisions
        """;

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}

/// <summary>A run in the review list.</summary>
public sealed class QaRunSummary
{
    public string RunKey { get; init; } = string.Empty;

    public string Instrument { get; init; } = string.Empty;

    public string Format { get; init; } = string.Empty;

    public string Source { get; init; } = string.Empty;

    public string Outcome { get; init; } = string.Empty;

    public string? AcquiredUtc { get; init; }

    public string? AcquiredLocal { get; init; }

    public string CreatedUtc { get; init; } = string.Empty;

    public string UpdatedUtc { get; init; } = string.Empty;

    public long PatientResults { get; init; }

    public long HeldResults { get; init; }

    public long Decisions { get; init; }
}

/// <summary>A run opened for review.</summary>
/// <param name="Run">The run document (outcome per analyte reflects the decisions signed).</param>
/// <param name="Outcome">The run's outcome in the store.</param>
/// <param name="Version">The run's <c>updated_utc</c>: a decision form carries it so a stale review cannot be signed.</param>
/// <param name="PatientResults">Current revisions of the run's patient results.</param>
/// <param name="Decisions">Decisions signed on the run, oldest first.</param>
public sealed record QaRunDetail(RunDocument Run, string Outcome, string Version, IReadOnlyList<ResultDocument> PatientResults, IReadOnlyList<QaDecisionRecord> Decisions);

/// <summary>A signed decision as stored.</summary>
public sealed class QaDecisionRecord
{
    public long Id { get; init; }

    public string RunKey { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public string Analyte { get; init; } = string.Empty;

    public string? ResultKey { get; init; }

    public string Reason { get; init; } = string.Empty;

    public string PreviousOutcome { get; init; } = string.Empty;

    public string NewOutcome { get; init; } = string.Empty;

    public string SignerName { get; init; } = string.Empty;

    public string SignerDisplay { get; init; } = string.Empty;

    public string SignerRole { get; init; } = string.Empty;

    public string Meaning { get; init; } = string.Empty;

    public string SignedUtc { get; init; } = string.Empty;

    public long BatchId { get; init; }

    public long ChangedResults { get; init; }

    public long AuditSeq { get; init; }
}
