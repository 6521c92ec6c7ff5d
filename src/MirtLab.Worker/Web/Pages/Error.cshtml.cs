using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MirtLab.Worker.Web.Pages;

/// <summary>The body of 400, 403, 404 and other status codes (re-executed by the status-code pages middleware).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Text { get; private set; } = string.Empty;

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        Code = code;
        (Title, Text) = code switch
        {
            400 => ("Request refused", "The form could not be accepted: it expired or did not come from this site (anti-forgery check). Open the page again and resubmit."),
            403 => ("Not allowed", $"Your role ({User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "none"}) does not allow this. Viewing is open to every user; signing QA decisions needs the qa-reviewer role; the audit trail needs qa-reviewer or administrator."),
            404 => ("Not found", "There is no such page, run or result."),
            _ => ("Error", $"The request failed with status {code}."),
        };
    }
}
