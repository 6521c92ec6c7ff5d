using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using MirtLab.Core.Audit;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Web;

/// <summary>
/// The QA review pages: cookie sign-in, role policies, anti-forgery on every form, security headers. Nothing but
/// <c>/health/*</c>, the sign-in page and its stylesheet is reachable without signing in (a fallback policy).
/// </summary>
public static class QaWeb
{
    public const string CookieName = "mirtlab.session";

    public const string AntiforgeryCookieName = "mirtlab.antiforgery";

    public const string DisplayNameClaim = "mirtlab:display-name";

    public static IServiceCollection AddQaWeb(this IServiceCollection services, MirtLabSettings settings)
    {
        // Keys that protect the session and anti-forgery cookies, kept with the data so sessions survive a restart.
        // Unencrypted at rest on Linux: the data folder must be readable by the service account only (README).
        services.AddDataProtection()
            .SetApplicationName("mirtlab")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.DataRoot, "keys")));

        services.AddSingleton<QaAuthenticator>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AuthorizeFolder("/", QaPolicies.View);
            o.Conventions.AuthorizePage("/Sign", QaPolicies.SignOff);
            o.Conventions.AuthorizePage("/Audit", QaPolicies.Audit);
        })
        // The pages live in this assembly, which is not the entry assembly when a test host composes the service.
        .AddApplicationPart(typeof(QaWeb).Assembly);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__RequestVerificationToken";
        });

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = QaSecurity.SessionIdleTimeout;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    // A signed-in user without the role gets 403 (rendered by the status-code page), not a redirect.
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });

        services.AddAuthorization(o =>
        {
            o.AddPolicy(QaPolicies.View, p => p.RequireAuthenticatedUser().RequireRole([.. QaRoles.All]));
            o.AddPolicy(QaPolicies.SignOff, p => p.RequireAuthenticatedUser().RequireRole(QaRoles.QaReviewer));
            o.AddPolicy(QaPolicies.Audit, p => p.RequireAuthenticatedUser().RequireRole(QaRoles.QaReviewer, QaRoles.Administrator));
            o.FallbackPolicy = o.GetPolicy(QaPolicies.View);
        });
        return services;
    }

    /// <summary>Adds the middleware and endpoints; call once, after <c>Build()</c>.</summary>
    public static void UseQaWeb(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            // No script at all: the pages are server-rendered, plots are inline SVG.
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/qa.css", () => Results.Text(QaStyles.Css, "text/css; charset=utf-8")).AllowAnonymous();
        app.MapGet("/audit.csv", ExportAuditAsync).RequireAuthorization(QaPolicies.Audit);
        app.MapRazorPages();
    }

    public static ClaimsPrincipal Principal(QaUser user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(DisplayNameClaim, user.DisplayName),
            new Claim(QaSecurity.StampClaim, user.SecurityStamp),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static long? UserId(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string? Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    /// <summary>Every request re-reads the user: a disabled user, or one whose password or role changed, is signed out at once.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var store = context.HttpContext.RequestServices.GetRequiredService<MirtLabStore>();
        var id = context.Principal is { } p ? UserId(p) : null;
        var user = id is long userId ? await store.GetUserAsync(userId, context.HttpContext.RequestAborted) : null;
        var why = user switch
        {
            null => "unknown user",
            { IsDisabled: true } => "account disabled",
            _ when !string.Equals(user.SecurityStamp, context.Principal!.FindFirstValue(QaSecurity.StampClaim), StringComparison.Ordinal) => "password, role or state changed",
            _ when !string.Equals(user.Role, context.Principal!.FindFirstValue(ClaimTypes.Role), StringComparison.Ordinal) => "role changed",
            _ => null,
        };
        if (why is not null)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MirtLab.Web");
            Log.SessionRejected(logger, id?.ToString(CultureInfo.InvariantCulture) ?? "?", why);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static async Task<IResult> ExportAuditAsync(HttpContext context, MirtLabStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var records = await store.ReadAuditAsync(cancellationToken);
        var verification = AuditChain.Verify(records);
        var user = context.User.Identity?.Name ?? "?";
        Log.AuditExported(loggers.CreateLogger("MirtLab.Web"), user, records.Count);
        await store.AppendAuditAsync(user, "audit.exported", "audit trail", new Dictionary<string, object?>
        {
            ["records"] = records.Count,
            ["chainIntact"] = verification.IsIntact,
            ["remote"] = Remote(context),
        }, cancellationToken);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        AuditCsv.Write(records, writer);
        var name = string.Create(CultureInfo.InvariantCulture, $"mirtlab-audit-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}Z.csv");
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        context.Response.Headers["X-MirtLab-Audit-Chain"] = verification.IsIntact
            ? string.Create(CultureInfo.InvariantCulture, $"intact; records={verification.Checked}")
            : string.Create(CultureInfo.InvariantCulture, $"broken; at={verification.BrokenAt}");
        return Results.Text(writer.ToString(), "text/csv; charset=utf-8");
    }
}
