using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web.Pages;

/// <summary>
/// Signing a QA decision (21 CFR Part 11 style): the reviewer sees what the decision does and what their signature
/// means, gives a reason, and re-enters their password. Only then is the decision recorded, in one transaction.
/// </summary>
public sealed class SignModel(MirtLabStore store, QaAuthenticator authenticator, MirtLabSettings settings, DeliverySignal delivery, ILogger<SignModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Analyte { get; set; }

    [BindProperty(SupportsGet = true, Name = "result")]
    public string? ResultKey { get; set; }

    [BindProperty]
    public string Reason { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty]
    public string? Version { get; set; }

    public QaRunDetail Detail { get; private set; } = null!;

    public AnalyteEvaluationDocument? Evaluation { get; private set; }

    public ResultDocument? Result { get; private set; }

    public QaDecisionKind DecisionKind { get; private set; }

    public string Meaning { get; private set; } = string.Empty;

    public string? Error { get; private set; }

    public string SignerDisplay => User.FindFirst(QaWeb.DisplayNameClaim)?.Value ?? string.Empty;

    public async Task<IActionResult> OnGetAsync(string runKey, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(runKey, cancellationToken))
        {
            return NotFound();
        }

        Version = Detail.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string runKey, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(runKey, cancellationToken))
        {
            return NotFound();
        }

        var password = Password;
        Password = string.Empty;
        var reason = (Reason ?? string.Empty).Trim();
        if (reason.Count(c => !char.IsWhiteSpace(c)) < QaSecurity.MinReasonLength || reason.Length > QaSecurity.MaxReasonLength)
        {
            return Refuse($"A reason is required: say why, in at least {QaSecurity.MinReasonLength} characters (at most {QaSecurity.MaxReasonLength}).", StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrEmpty(password))
        {
            return Refuse("Re-enter your password to sign.", StatusCodes.Status400BadRequest);
        }

        var (signer, signatureError) = await authenticator.VerifySignatureAsync(QaWeb.UserId(User) ?? 0, password, QaWeb.Remote(HttpContext), cancellationToken);
        if (signer is null)
        {
            return Refuse(signatureError!, StatusCodes.Status403Forbidden);
        }

        var request = new QaDecisionRequest(runKey, DecisionKind, Analyte!, ResultKey, reason, Version);
        try
        {
            var outcome = await store.ApplyDecisionAsync(request, signer, Meaning, settings.Destinations, cancellationToken);
            Log.DecisionSigned(logger, signer.Name, QaDecisionText.Code(DecisionKind), Analyte!, runKey, outcome.PreviousOutcome, outcome.NewOutcome, outcome.Changes.Count, outcome.BatchId);
            delivery.Notify();
            return Redirect($"/runs/{Uri.EscapeDataString(runKey)}?decision={outcome.DecisionId.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        catch (QaDecisionException ex)
        {
            Log.DecisionRefused(logger, QaDecisionText.Code(DecisionKind), Analyte!, runKey, signer.Name, ex.Message);
            if (ex.IsConflict)
            {
                Version = (await store.GetRunForReviewAsync(runKey, cancellationToken))?.Version;
            }

            return Refuse(ex.Message, ex.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
    }

    private PageResult Refuse(string error, int status)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(string runKey, CancellationToken cancellationToken)
    {
        if (QaDecisionText.Parse(Kind) is not { } kind || Analyte is null || await store.GetRunForReviewAsync(runKey, cancellationToken) is not { } detail)
        {
            return false;
        }

        Detail = detail;
        DecisionKind = kind;
        // A derived observation (a ratio) has no run evaluation of its own: only its results can be released.
        Evaluation = detail.Run.Analytes.FirstOrDefault(a => string.Equals(a.Analyte, Analyte, StringComparison.Ordinal));
        if (kind == QaDecisionKind.ReleaseResult)
        {
            Result = detail.PatientResults.FirstOrDefault(r => r.ResultKey == ResultKey && r.Analyte == Analyte);
            if (Result is null)
            {
                return false;
            }
        }
        else if (Evaluation is null)
        {
            return false;
        }
        else
        {
            ResultKey = null;
        }

        Meaning = QaDecisionText.Meaning(kind, Analyte, runKey, Result?.SampleName);
        return true;
    }
}
