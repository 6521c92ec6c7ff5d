using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Core.Runs;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web.Pages;

public sealed class RunModel(MirtLabStore store, MirtLabSettings settings) : PageModel
{
    public QaRunDetail Detail { get; private set; } = null!;

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
