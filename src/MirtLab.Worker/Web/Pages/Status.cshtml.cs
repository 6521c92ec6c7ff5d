using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Worker.Operations;

namespace MirtLab.Worker.Web.Pages;

/// <summary>The status page: the same report as <c>/api/status</c> and <c>mirtlab status</c>, for every signed-in role.</summary>
public sealed class StatusModel(StatusBuilder builder) : PageModel
{
    public StatusReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Report = await builder.BuildAsync(cancellationToken);

    public string Ago(DateTimeOffset? time) => time is { } t ? StatusBuilder.Ago(Report.GeneratedUtc - t) + " ago" : "never";
}
