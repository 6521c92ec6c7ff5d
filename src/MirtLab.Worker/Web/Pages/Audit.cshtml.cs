using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Core.Audit;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web.Pages;

/// <summary>The audit trail: the chain's verification first, then the records, filterable, newest first.</summary>
public sealed class AuditModel(MirtLabStore store, ILogger<AuditModel> logger) : PageModel
{
    public const int PageSize = 500;

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Subject { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public AuditVerification Verification { get; private set; } = new(0, null, null);

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];

    public int Matching { get; private set; }

    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await store.ReadAuditAsync(cancellationToken);
        Verification = AuditChain.Verify(all);
        if (!Verification.IsIntact)
        {
            Log.AuditBroken(logger, Verification.BrokenAt, Verification.Problem);
        }

        Total = all.Count;
        Actions = all.Select(r => r.Action).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        IEnumerable<AuditRecord> q = all;
        if (!string.IsNullOrWhiteSpace(Action))
        {
            q = q.Where(r => string.Equals(r.Action, Action, StringComparison.Ordinal));
        }

        if (!string.IsNullOrWhiteSpace(Actor))
        {
            q = q.Where(r => r.Actor.Contains(Actor.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrWhiteSpace(Subject))
        {
            q = q.Where(r => r.Subject.Contains(Subject.Trim(), StringComparison.OrdinalIgnoreCase) || r.DetailsJson.Contains(Subject.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        if (From is DateOnly from)
        {
            q = q.Where(r => DateOnly.FromDateTime(r.AtUtc.UtcDateTime) >= from);
        }

        if (To is DateOnly to)
        {
            q = q.Where(r => DateOnly.FromDateTime(r.AtUtc.UtcDateTime) <= to);
        }

        var matching = q.Reverse().ToList();
        Matching = matching.Count;
        Records = matching.Take(PageSize).ToList();
    }
}
