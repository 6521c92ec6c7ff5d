using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web.Pages;

/// <summary>Sign-out is a POST with an anti-forgery token: a link on another site cannot sign a reviewer out.</summary>
public sealed class SignOutModel(MirtLabStore store, ILogger<SignOutModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = User.Identity?.Name ?? "?";
        await store.AppendAuditAsync(name, "sign-out", name, new Dictionary<string, object?> { ["remote"] = QaWeb.Remote(HttpContext) }, cancellationToken);
        Log.SignedOut(logger, name);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/signin");
    }
}
