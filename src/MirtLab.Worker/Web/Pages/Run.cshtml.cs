using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Core.Runs;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;
using MirtLab.Worker.Web.Plots;

namespace MirtLab.Worker.Web.Pages;

public sealed class RunModel(MirtLabStore store, MirtLabSettings settings) : PageModel
{
    public QaRunDetail Detail { get; private set; } = null!;

    /// <summary>QC history per analyte, then per level (in nominal order).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Level, IReadOnlyList<QaQcHistoryPoint> Points, ControlLimits Limits)>> QcHistory { get; private set; } =
        new Dictionary<string, IReadOnlyList<(string, IReadOnlyList<QaQcHistoryPoint>, ControlLimits)>>();

    public QaDecisionRecord? JustSigned { get; private set; }

    public bool CanSign => User.IsInRole(QaRoles.QaReviewer);

    public async Task<IActionResult> OnGetAsync(string runKey, long? decision, CancellationToken cancellationToken)
    {
        if (await store.GetRunForReviewAsync(runKey, cancellationToken) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        JustSigned = decision is long id ? detail.Decisions.FirstOrDefault(d => d.Id == id) : null;
        var history = new Dictionary<string, IReadOnlyList<(string, IReadOnlyList<QaQcHistoryPoint>, ControlLimits)>>(StringComparer.Ordinal);
        foreach (var analyte in detail.Run.Analytes.Where(a => a.Qcs.Count > 0))
        {
            var points = await store.QcHistoryAsync(detail.Run.Instrument, analyte.Analyte, cancellationToken: cancellationToken);
            history[analyte.Analyte] = points
                .GroupBy(p => p.Qc.Level, StringComparer.Ordinal)
                .OrderBy(g => g.Min(p => p.Qc.Nominal))
                .Select(g =>
                {
                    var list = (IReadOnlyList<QaQcHistoryPoint>)g.ToList();
                    var limits = ControlLimits.FromHistory(list.Where(p => p.Qc.Measured is not null).Select(p => (double)p.Qc.Measured!.Value).ToList());
                    return (g.Key, list, limits);
                })
                .ToList();
        }

        QcHistory = history;
        return Page();
    }

    public string AnalyteName(string code) =>
        settings.Rules.Catalog.Analytes.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.Ordinal))?.Name ?? code;

    public static IEnumerable<RunCheck> Ordered(AnalyteEvaluationDocument analyte) =>
        analyte.Checks.OrderBy(c => Fmt.CheckOrder(c.Outcome));

    public static string DecisionWords(string kind) => kind switch
    {
        "accept-analyte" => "accepted the analyte",
        "reject-analyte" => "rejected the analyte",
        "release-result" => "released a result",
        _ => kind,
    };
}
