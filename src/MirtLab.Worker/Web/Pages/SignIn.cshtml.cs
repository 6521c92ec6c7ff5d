using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MirtLab.Worker.Qa;

namespace MirtLab.Worker.Web.Pages;

public sealed class SignInModel(QaAuthenticator authenticator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Name { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await authenticator.SignInAsync(Name ?? string.Empty, Password ?? string.Empty, QaWeb.Remote(HttpContext), cancellationToken);
        Password = string.Empty;
        if (user is null)
        {
            Error = QaAuthenticator.SignInRefused;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, QaWeb.Principal(user), new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
