using Dapper;
using MirtLab.Core.Audit;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>The signed decision transaction on the real store: revisions, history, batch, outbox, run outcome, audit.</summary>
public sealed class QaDecisionStoreTests : IDisposable
{
    private static readonly string[] Destinations = ["lis", "mqtt"];
    private readonly TestConfig _config = new();
    private readonly MirtLabStore _store;

    public QaDecisionStoreTests()
    {
        _store = new MirtLabStore(Path.Combine(_config.DataRoot, "mirtlab.db"), TimeProvider.System);
        _store.InitializeAsync().GetAwaiter().GetResult();
    }

    public void Dispose() => _config.Dispose();

    [Fact]
    public async Task AcceptAnalyte_OnAFailedCalibration_ReleasesWhatOnlyTheRunHeld_InOneBatchForEveryDestination_WithAudit()
    {
        var runKey = await QaTestData.RecordAsync(_store, _config.Load(), QaTestData.FailingCalibrationPlate, Destinations);
        var before = await QaTestData.PatientResultsAsync(_store, runKey);
        var signer = await QaTestData.ReviewerAsync(_store);
        var detail = (await _store.GetRunForReviewAsync(runKey))!;
        Assert.Equal("rejected", detail.Outcome);
        var onlyRunHeld = before.Where(r => r.Analyte == "mirtazapine" && r.HoldReasons.Count > 0 && r.HoldReasons.All(h => h.StartsWith("run.", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(onlyRunHeld);

        var outcome = await _store.ApplyDecisionAsync(
            new QaDecisionRequest(runKey, QaDecisionKind.AcceptAnalyte, "mirtazapine", null, "Low calibrators re-injected; curve verified against the second cal set.", detail.Version),
            signer,
            "Approval: test meaning",
            Destinations);

        Assert.Equal("rejected", outcome.PreviousOutcome);
        Assert.Equal("accepted", outcome.NewOutcome);
        Assert.Equal("accepted", outcome.RunOutcome);
        var after = await QaTestData.PatientResultsAsync(_store, runKey);
        foreach (var released in onlyRunHeld)
        {
            var now = after.Single(r => r.ResultKey == released.ResultKey);
            Assert.Equal("final", now.Status);
            Assert.Equal(2, now.Revision);
            Assert.Empty(now.HoldReasons);
            Assert.Contains(now.Comments, c => c.Rule == "qa.accept-analyte" && c.Text.Contains("Low calibrators re-injected", StringComparison.Ordinal));
            var history = await QaTestData.HistoryAsync(_store, released.ResultKey);
            Assert.Equal([1, 2], history.Select(h => h.Revision));
            Assert.Equal(["preliminary", "final"], history.Select(h => h.Status));
        }

        // Results with holds of their own stay held, and untouched results keep their revision.
        Assert.All(after.Where(r => r.Status == "preliminary"), r => Assert.DoesNotContain(r.HoldReasons, h => h.StartsWith("run.", StringComparison.Ordinal) && r.Analyte == "mirtazapine"));
        Assert.All(after.Where(r => r.Analyte == "n-desmethylmirtazapine"), r => Assert.Equal(1, r.Revision));

        using var db = QaTestData.Open(_store);
        Assert.Equal("accepted", await db.ExecuteScalarAsync<string>("SELECT outcome FROM runs WHERE run_key = @runKey", new { runKey }));
        Assert.Equal("qa-decision", await db.ExecuteScalarAsync<string>("SELECT kind FROM batches WHERE id = @Id", new { Id = outcome.BatchId }));
        Assert.Equal(Destinations, (await db.QueryAsync<string>("SELECT destination FROM outbox WHERE batch_id = @Id AND state = 'pending' ORDER BY destination", new { Id = outcome.BatchId })).ToArray());
        Assert.Equal(outcome.Changes.Count, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM result_history WHERE batch_id = @Id", new { Id = outcome.BatchId }));

        // The dispatchers deliver the decision like any other batch: the run and the new revisions.
        var batch = await _store.LoadBatchAsync(outcome.BatchId);
        Assert.Equal("qa-decision", batch.Kind);
        Assert.Equal("accepted", batch.Run.Outcome);
        Assert.Equal(outcome.Changes.Count, batch.Results.Count);
        Assert.All(batch.Results, r => Assert.True(r.Revision >= 2));

        var audit = await _store.ReadAuditAsync();
        Assert.True(AuditChain.Verify(audit).IsIntact);
        var record = audit[^1];
        Assert.Equal(outcome.AuditSequence, record.Sequence);
        Assert.Equal("qa.accept-analyte", record.Action);
        Assert.Equal("alice", record.Actor);
        Assert.Equal(runKey, record.Subject);
        Assert.Contains("\"printedName\":\"Alice Reviewer\"", record.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("\"meaning\":\"Approval: test meaning\"", record.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("Low calibrators re-injected", record.DetailsJson, StringComparison.Ordinal);

        var decision = Assert.Single(await _store.ListDecisionsAsync(runKey));
        Assert.Equal(("accept-analyte", "mirtazapine", outcome.BatchId, outcome.AuditSequence, "Alice Reviewer"), (decision.Kind, decision.Analyte, decision.BatchId, decision.AuditSeq, decision.SignerDisplay));
    }

    [Fact]
    public async Task RejectThenAccept_OfAResultThatWasFinal_GoesPreliminaryWithTheReason_ThenCorrected_KeepingEveryRevision()
    {
        var runKey = await QaTestData.RecordAsync(_store, _config.Load(), Fixtures.MirtazapinePlate, Destinations);
        var signer = await QaTestData.ReviewerAsync(_store);
        var final = (await QaTestData.PatientResultsAsync(_store, runKey)).First(r => r.Analyte == "mirtazapine" && r.Status == "final");

        var rejected = await _store.ApplyDecisionAsync(
            new QaDecisionRequest(runKey, QaDecisionKind.RejectAnalyte, "mirtazapine", null, "IS response dropped by half after injection 20.", null), signer, "Rejection", Destinations);
        Assert.Equal(("accepted", "rejected", "rejected"), (rejected.PreviousOutcome, rejected.NewOutcome, rejected.RunOutcome));
        var afterReject = (await QaTestData.PatientResultsAsync(_store, runKey)).Single(r => r.ResultKey == final.ResultKey);
        Assert.Equal(("preliminary", 2), (afterReject.Status, afterReject.Revision));
        Assert.Contains(afterReject.HoldReasons, h => h.StartsWith("qa.rejected: ", StringComparison.Ordinal) && h.Contains("IS response dropped", StringComparison.Ordinal));
        Assert.All((await QaTestData.PatientResultsAsync(_store, runKey)).Where(r => r.Analyte == "mirtazapine"), r => Assert.Equal("preliminary", r.Status));

        await _store.ApplyDecisionAsync(
            new QaDecisionRequest(runKey, QaDecisionKind.AcceptAnalyte, "mirtazapine", null, "IS drop explained by a pipetting error in one well only.", null), signer, "Approval", Destinations);
        var afterAccept = (await QaTestData.PatientResultsAsync(_store, runKey)).Single(r => r.ResultKey == final.ResultKey);
        Assert.Equal(("corrected", 3), (afterAccept.Status, afterAccept.Revision));
        Assert.Empty(afterAccept.HoldReasons);
        Assert.Equal(["final", "preliminary", "corrected"], (await QaTestData.HistoryAsync(_store, final.ResultKey)).Select(h => h.Status));
        using var db = QaTestData.Open(_store);
        Assert.Equal(2L, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batches WHERE kind = 'qa-decision' AND run_key = @runKey", new { runKey }));
        Assert.Equal(4L, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox o JOIN batches b ON b.id = o.batch_id WHERE b.kind = 'qa-decision'"));
    }

    [Fact]
    public async Task ReleaseResult_OverridesItsHolds_KeepsItsFlags_AndRecordsWhatWasOverridden()
    {
        var runKey = await QaTestData.RecordAsync(_store, _config.Load(), Fixtures.MirtazapinePlate, Destinations);
        var signer = await QaTestData.ReviewerAsync(_store);
        var held = (await QaTestData.PatientResultsAsync(_store, runKey)).First(r => r.Analyte == "mirtazapine" && r.Status == "preliminary" && r.Flags.Count > 0);

        var outcome = await _store.ApplyDecisionAsync(
            new QaDecisionRequest(runKey, QaDecisionKind.ReleaseResult, "mirtazapine", held.ResultKey, "Alert level confirmed with the ward; physician informed by phone.", null), signer, "Release", Destinations);

        var released = (await QaTestData.PatientResultsAsync(_store, runKey)).Single(r => r.ResultKey == held.ResultKey);
        Assert.Equal(("final", 2), (released.Status, released.Revision));
        Assert.Equal(held.Flags, released.Flags);
        Assert.Empty(released.HoldReasons);
        var note = Assert.Single(released.Comments, c => c.Rule == "qa.release-result");
        Assert.Contains(held.HoldReasons[0], note.Text, StringComparison.Ordinal);
        Assert.Equal("accepted", outcome.RunOutcome);
        Assert.Contains(outcome.Changes, c => c.ResultKey == held.ResultKey && c.PreviousStatus == "preliminary" && c.Status == "final");
    }

    [Fact]
    public async Task ReleaseResult_InARejectedAnalyte_IsRefused_AndNothingIsWritten()
    {
        var runKey = await QaTestData.RecordAsync(_store, _config.Load(), QaTestData.FailingCalibrationPlate, Destinations);
        var signer = await QaTestData.ReviewerAsync(_store);
        var held = (await QaTestData.PatientResultsAsync(_store, runKey)).First(r => r.Analyte == "mirtazapine" && r.Status == "preliminary");
        var auditBefore = (await _store.ReadAuditAsync()).Count;

        var refused = await Assert.ThrowsAsync<QaDecisionException>(() => _store.ApplyDecisionAsync(
            new QaDecisionRequest(runKey, QaDecisionKind.ReleaseResult, "mirtazapine", held.ResultKey, "Value looks plausible for this patient.", null), signer, "Release", Destinations));

        Assert.Contains("accept the analyte before releasing", refused.Message, StringComparison.Ordinal);
        Assert.Equal(auditBefore, (await _store.ReadAuditAsync()).Count);
        using var db = QaTestData.Open(_store);
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batches WHERE kind = 'qa-decision'"));
        Assert.Equal(0L, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qa_decisions"));
    }

    [Fact]
    public async Task Decision_OnARunThatChangedSinceItWasOpened_IsRefusedAsAConflict()
    {
        var runKey = await QaTestData.RecordAsync(_store, _config.Load(), QaTestData.FailingCalibrationPlate, Destinations);
        var signer = await QaTestData.ReviewerAsync(_store);
        var seen = (await _store.GetRunForReviewAsync(runKey))!.Version;
        await _store.ApplyDecisionAsync(new QaDecisionRequest(runKey, QaDecisionKind.RejectAnalyte, "mirtazapine", null, "Low calibrators out; re-run the plate.", seen), signer, "Rejection", Destinations);

        var conflict = await Assert.ThrowsAsync<QaDecisionException>(() => _store.ApplyDecisionAsync(
            new QaDecisionRequest(runKey, QaDecisionKind.AcceptAnalyte, "mirtazapine", null, "Accepting on the stale page I had open.", seen), signer, "Approval", Destinations));

        Assert.True(conflict.IsConflict);
        Assert.Single(await _store.ListDecisionsAsync(runKey));
    }

    [Fact]
    public async Task QaDecisions_AndUsers_AreAppendOnly_InTheStore()
    {
        var runKey = await QaTestData.RecordAsync(_store, _config.Load(), QaTestData.FailingCalibrationPlate, Destinations);
        var signer = await QaTestData.ReviewerAsync(_store);
        await _store.ApplyDecisionAsync(new QaDecisionRequest(runKey, QaDecisionKind.RejectAnalyte, "mirtazapine", null, "Low calibrators out; re-run the plate.", null), signer, "Rejection", Destinations);
        using var db = QaTestData.Open(_store);

        Assert.Contains("append-only", (await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.ExecuteAsync("UPDATE qa_decisions SET reason = 'edited'"))).Message, StringComparison.Ordinal);
        Assert.Contains("append-only", (await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.ExecuteAsync("DELETE FROM qa_decisions"))).Message, StringComparison.Ordinal);
        Assert.Contains("never deleted", (await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.ExecuteAsync("DELETE FROM users"))).Message, StringComparison.Ordinal);
    }
}
