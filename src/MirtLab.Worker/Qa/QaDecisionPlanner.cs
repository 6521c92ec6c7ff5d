using System.Globalization;
using System.Text.Json.Nodes;

namespace MirtLab.Worker.Qa;

/// <summary>A patient result as it stands before a decision.</summary>
/// <param name="Document">The current revision's document (a copy the planner may change).</param>
/// <param name="EverIssuedFinal">
/// True when any revision of it was committed as <c>final</c> or <c>corrected</c>. The outbox delivers every committed
/// batch, so such a revision reaches (or reached) the LIS: a later change of a reportable value is a correction.
/// </param>
public sealed record QaCurrentResult(JsonObject Document, bool EverIssuedFinal)
{
    public string ResultKey => (string)Document["resultKey"]!;

    public int Revision => (int)Document["revision"]!;

    public string? Status => (string?)Document["status"];

    public string? Analyte => (string?)Document["analyte"];
}

/// <summary>What a decision changes: the run document and new revisions of some patient results.</summary>
public sealed record QaPlan(JsonObject Run, string PreviousOutcome, string NewOutcome, string RunOutcome, IReadOnlyList<QaPlannedRevision> Revisions);

/// <summary>A new revision of one result.</summary>
public sealed record QaPlannedRevision(string ResultKey, string SampleName, string? Analyte, int Revision, string? PreviousStatus, string Status, JsonObject Document);

/// <summary>
/// Works out what a QA decision does to a run and its patient results. Pure: documents in, changed documents out.
/// Documents are handled as JSON so that fields this version does not know survive a decision unchanged.
/// </summary>
public static class QaDecisionPlanner
{
    /// <summary>Hold reasons the run's outcome put on its results (RunEvaluator: <c>run.rejected: …</c>, <c>run.needs-review: …</c>).</summary>
    private const string RunHoldPrefix = "run.";

    private const string QaRejectPrefix = "qa.rejected: ";

    private const string DerivedHoldPrefix = "derived: ";

    public static QaPlan Plan(JsonObject run, IReadOnlyList<QaCurrentResult> patients, QaDecisionRequest request, QaSigner signer, DateTimeOffset signedUtc)
    {
        var reason = request.Reason.Trim();
        var analytes = run["analytes"]?.AsArray() ?? [];
        var analyteNode = analytes.OfType<JsonObject>().FirstOrDefault(a => string.Equals((string?)a["analyte"], request.Analyte, StringComparison.Ordinal))
            ?? throw new QaDecisionException($"The run has no analyte '{request.Analyte}'.");
        var previousOutcome = (string?)analyteNode["outcome"] ?? "not-evaluated";
        var stamp = string.Create(CultureInfo.InvariantCulture, $"{signer.DisplayName} ({signer.Name}), {signedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC");

        // Work on copies: the caller's documents stay as they were if the plan is refused.
        var working = patients.ToDictionary(p => p.ResultKey, p => (Current: p, Doc: (JsonObject)p.Document.DeepClone()), StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        string newOutcome = previousOutcome;

        switch (request.Kind)
        {
            case QaDecisionKind.AcceptAnalyte:
                newOutcome = "accepted";
                foreach (var (key, (_, doc)) in working.Where(w => Analyte(w.Value.Doc) == request.Analyte && !IsDerived(w.Value.Doc)))
                {
                    var holds = Holds(doc);
                    var kept = holds.Where(h => !h.StartsWith(RunHoldPrefix, StringComparison.Ordinal) && !h.StartsWith(QaRejectPrefix, StringComparison.Ordinal)).ToList();
                    if (kept.Count != holds.Count)
                    {
                        SetHolds(doc, kept);
                        AddComment(doc, "qa.accept-analyte", $"QA accepted the {request.Analyte} run: {reason} — {stamp}");
                        changed.Add(key);
                    }
                }

                break;

            case QaDecisionKind.RejectAnalyte:
                newOutcome = "rejected";
                foreach (var (key, (_, doc)) in working.Where(w => Analyte(w.Value.Doc) == request.Analyte && !IsDerived(w.Value.Doc)))
                {
                    var holds = Holds(doc).Where(h => !h.StartsWith(QaRejectPrefix, StringComparison.Ordinal)).ToList();
                    holds.Add($"{QaRejectPrefix}QA rejected the {request.Analyte} run: {reason} — {stamp}");
                    SetHolds(doc, holds);
                    changed.Add(key);
                }

                break;

            case QaDecisionKind.ReleaseResult:
                if (request.ResultKey is null || !working.TryGetValue(request.ResultKey, out var target))
                {
                    throw new QaDecisionException("The result to release is not a patient result of this run.");
                }

                if (Analyte(target.Doc) != request.Analyte)
                {
                    throw new QaDecisionException($"The result is not a {request.Analyte} result.");
                }

                var targetHolds = Holds(target.Doc);
                if (targetHolds.Count == 0)
                {
                    throw new QaDecisionException("The result is not held: there is nothing to release.");
                }

                if (!IsDerived(target.Doc) && previousOutcome == "rejected")
                {
                    throw new QaDecisionException($"The {request.Analyte} run is rejected: accept the analyte before releasing one of its results.");
                }

                SetHolds(target.Doc, []);
                AddComment(target.Doc, "qa.release-result", $"QA released this result, overriding: {string.Join("; ", targetHolds)}. Reason: {reason} — {stamp}");
                changed.Add(request.ResultKey);
                newOutcome = previousOutcome;
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Kind, null);
        }

        // Derived observations (ratios, dose-normalised levels) follow their components' holds.
        foreach (var (key, (_, doc)) in working.Where(w => IsDerived(w.Value.Doc) && !(request.Kind == QaDecisionKind.ReleaseResult && w.Key == request.ResultKey)))
        {
            var components = doc["derivedFrom"]!.AsArray().Select(c => (string?)c).OfType<string>().Select(c => working.TryGetValue(c, out var w) ? w.Doc : null).OfType<JsonObject>().ToList();
            if (!components.Any(c => changed.Contains((string)c["resultKey"]!)))
            {
                continue;
            }

            var holds = Holds(doc).Where(h => !h.StartsWith(DerivedHoldPrefix, StringComparison.Ordinal)).ToList();
            foreach (var component in components.Where(c => Holds(c).Count > 0))
            {
                holds.Add($"{DerivedHoldPrefix}its component {(string?)component["analyteName"] ?? Analyte(component)} is held");
            }

            if (!holds.SequenceEqual(Holds(doc), StringComparer.Ordinal))
            {
                SetHolds(doc, holds);
                changed.Add(key);
            }
        }

        var revisions = new List<QaPlannedRevision>();
        foreach (var key in changed.OrderBy(k => k, StringComparer.Ordinal))
        {
            var (current, doc) = working[key];
            var status = Holds(doc).Count > 0 ? "preliminary" : current.EverIssuedFinal ? "corrected" : "final";
            doc["status"] = status;
            doc["revision"] = current.Revision + 1;
            revisions.Add(new QaPlannedRevision(key, (string?)doc["sampleName"] ?? string.Empty, Analyte(doc), current.Revision + 1, current.Status, status, doc));
        }

        var newRun = (JsonObject)run.DeepClone();
        var newAnalyte = newRun["analytes"]!.AsArray().OfType<JsonObject>().First(a => string.Equals((string?)a["analyte"], request.Analyte, StringComparison.Ordinal));
        newAnalyte["outcome"] = newOutcome;
        var runOutcome = newRun["analytes"]!.AsArray().OfType<JsonObject>().Select(a => (string?)a["outcome"] ?? "not-evaluated").OrderByDescending(Severity).FirstOrDefault() ?? "not-evaluated";
        newRun["outcome"] = runOutcome;
        newRun["heldCount"] = working.Values.Count(w => Holds(w.Doc).Count > 0);
        return new QaPlan(newRun, previousOutcome, newOutcome, runOutcome, revisions);
    }

    /// <summary>The same order as RunDocument.From: accepted, needs-review, not-evaluated, rejected.</summary>
    public static int Severity(string outcome) => outcome switch
    {
        "accepted" => 0,
        "needs-review" => 1,
        "not-evaluated" => 2,
        _ => 3,
    };

    private static string? Analyte(JsonObject doc) => (string?)doc["analyte"];

    private static bool IsDerived(JsonObject doc) => doc["derivedFrom"] is JsonArray a && a.Count > 0;

    private static List<string> Holds(JsonObject doc) =>
        doc["holdReasons"] is JsonArray a ? a.Select(h => (string?)h).OfType<string>().ToList() : [];

    private static void SetHolds(JsonObject doc, IEnumerable<string> holds) =>
        doc["holdReasons"] = new JsonArray(holds.Select(h => (JsonNode?)JsonValue.Create(h)).ToArray());

    private static void AddComment(JsonObject doc, string rule, string text)
    {
        if (doc["comments"] is not JsonArray comments)
        {
            comments = [];
            doc["comments"] = comments;
        }

        comments.Add(new JsonObject
        {
            ["rule"] = rule,
            ["text"] = text,
            ["source"] = "QA review",
            ["configVersion"] = (string?)doc["configVersion"] ?? string.Empty,
        });
    }
}
