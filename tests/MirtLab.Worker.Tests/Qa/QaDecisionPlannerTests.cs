using System.Text.Json.Nodes;
using MirtLab.Worker.Qa;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>What a decision does to documents, without a store: holds, statuses, revisions, derived observations.</summary>
public sealed class QaDecisionPlannerTests
{
    private static readonly QaSigner Signer = new(1, "alice", "Alice Reviewer", QaRoles.QaReviewer);
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void AcceptAnalyte_ReleasesTheRunHeldResult_AndTheRatioThatWasHeldOnlyBecauseOfIt()
    {
        var plan = QaDecisionPlanner.Plan(Run("rejected", "accepted"), Patients(), Request(QaDecisionKind.AcceptAnalyte), Signer, At);

        Assert.Equal(("rejected", "accepted", "accepted"), (plan.PreviousOutcome, plan.NewOutcome, plan.RunOutcome));
        Assert.Equal(["a1", "d1"], plan.Revisions.Select(r => r.ResultKey));
        Assert.All(plan.Revisions, r => Assert.Equal(("final", 2), (r.Status, r.Revision)));
        Assert.Equal(0, (int)plan.Run["heldCount"]!);
        Assert.Contains("Alice Reviewer (alice), 2026-11-22 09:30 UTC", (string)plan.Revisions[0].Document["comments"]![0]!["text"]!, StringComparison.Ordinal);
        Assert.Equal("keep me", (string?)plan.Revisions[0].Document["futureField"]);
    }

    [Fact]
    public void RejectAnalyte_HoldsItsResults_AndTheirRatio_WithTheReason_AndAFinalResultBecomesPreliminary()
    {
        var plan = QaDecisionPlanner.Plan(Run("accepted", "accepted"), Patients(aHeld: false), Request(QaDecisionKind.RejectAnalyte, "b"), Signer, At);

        Assert.Equal("rejected", plan.RunOutcome);
        var b1 = plan.Revisions.Single(r => r.ResultKey == "b1");
        Assert.Equal(("final", "preliminary"), (b1.PreviousStatus, b1.Status));
        Assert.StartsWith("qa.rejected: QA rejected the b run: Carry-over seen in the blank after ULOQ.", (string)b1.Document["holdReasons"]![0]!, StringComparison.Ordinal);
        var d1 = plan.Revisions.Single(r => r.ResultKey == "d1");
        Assert.Equal(["derived: its component B is held"], d1.Document["holdReasons"]!.AsArray().Select(h => (string)h!));
    }

    [Fact]
    public void ReleaseResult_OfAResultThatIsNotHeld_IsRefused()
    {
        var refused = Assert.Throws<QaDecisionException>(() => QaDecisionPlanner.Plan(Run("accepted", "accepted"), Patients(aHeld: false), Request(QaDecisionKind.ReleaseResult, "b", "b1"), Signer, At));
        Assert.Contains("not held", refused.Message, StringComparison.Ordinal);
    }

    private static QaDecisionRequest Request(QaDecisionKind kind, string analyte = "a", string? result = null) =>
        new("run1", kind, analyte, result, "Carry-over seen in the blank after ULOQ.", null);

    private static JsonObject Run(string a, string b) => new()
    {
        ["runKey"] = "run1",
        ["outcome"] = QaDecisionPlanner.Severity(a) >= QaDecisionPlanner.Severity(b) ? a : b,
        ["heldCount"] = 2,
        ["analytes"] = new JsonArray(new JsonObject { ["analyte"] = "a", ["outcome"] = a }, new JsonObject { ["analyte"] = "b", ["outcome"] = b }),
    };

    private static List<QaCurrentResult> Patients(bool aHeld = true) =>
    [
        new(Doc("a1", "a", "A", aHeld ? ["run.rejected: the A run is rejected"] : [], []), false),
        new(Doc("b1", "b", "B", [], []), true),
        new(Doc("d1", "a-b-ratio", "A/B", aHeld ? ["derived: its component A is held"] : [], ["a1", "b1"]), false),
    ];

    private static JsonObject Doc(string key, string analyte, string name, string[] holds, string[] derivedFrom) => new()
    {
        ["resultKey"] = key,
        ["revision"] = 1,
        ["analyte"] = analyte,
        ["analyteName"] = name,
        ["sampleName"] = "P-1",
        ["status"] = holds.Length > 0 ? "preliminary" : "final",
        ["holdReasons"] = new JsonArray(holds.Select(h => (JsonNode?)h).ToArray()),
        ["comments"] = new JsonArray(),
        ["derivedFrom"] = new JsonArray(derivedFrom.Select(h => (JsonNode?)h).ToArray()),
        ["configVersion"] = "test",
        ["futureField"] = "keep me",
    };
}
