using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web.Pages;

public sealed class IndexModel(MirtLabStore store) : PageModel
{
    public static readonly IReadOnlyList<string> Outcomes = ["accepted", "needs-review", "rejected", "not-evaluated"];

    [BindProperty(SupportsGet = true)]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Instrument { get; set; }

    public IReadOnlyList<QaRunSummary> Runs { get; private set; } = [];

    public IReadOnlyList<string> Instruments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Outcome = string.IsNullOrWhiteSpace(Outcome) ? null : Outcome;
        Instrument = string.IsNullOrWhiteSpace(Instrument) ? null : Instrument;
        Instruments = await store.ListInstrumentsAsync(cancellationToken);
        Runs = await store.ListRunsAsync(Outcome, Instrument, cancellationToken: cancellationToken);
    }
}
