using System.Net;
using Dapper;
using MirtLab.Worker.Cli;
using MirtLab.Worker.Qa;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>Who may do what on the QA pages, through the real host over HTTP.</summary>
public sealed class QaWebSecurityTests
{
    [Fact]
    public async Task Anonymous_IsRedirectedToSignIn_EverywhereButHealth()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        using var client = new QaWebClient(host.BaseAddress);

        foreach (var path in new[] { "/", "/runs/abc", "/runs/abc/sign?kind=accept-analyte&analyte=mirtazapine", "/audit", "/audit.csv", "/signout" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var signIn = await client.GetAsync("/signin");
        Assert.True(signIn.StatusCode == HttpStatusCode.OK, $"{signIn.StatusCode} {signIn.Headers.Location}");
        var csp = signIn.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal); // no script-src: no script runs
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlySameSiteStrictCookie_AndWrongPasswordsLockTheAccount_AllAudited()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        await AddUserAsync(config, "alice", QaRoles.QaReviewer, QaTestData.ReviewerPassword);
        using var client = new QaWebClient(host.BaseAddress);

        using (var ok = await client.SignInAsync("alice", QaTestData.ReviewerPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
            var cookie = ok.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mirtlab.session=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        }

        using var attacker = new QaWebClient(host.BaseAddress);
        for (var i = 0; i < QaSecurity.MaxFailedAttempts; i++)
        {
            using var refused = await attacker.SignInAsync("alice", "not the password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(QaAuthenticator.SignInRefused, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var locked = await attacker.SignInAsync("alice", QaTestData.ReviewerPassword))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        }

        using (var unknown = await attacker.SignInAsync("mallory", "whatever it is"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        var audit = await host.Store.ReadAuditAsync();
        Assert.Equal(QaSecurity.MaxFailedAttempts + 2, audit.Count(r => r.Action == "sign-in.failed"));
        Assert.Single(audit, r => r.Action == "user.locked" && r.Subject == "alice");
        Assert.Contains(audit, r => r.Action == "sign-in.failed" && r.Subject == "alice" && r.DetailsJson.Contains("account locked", StringComparison.Ordinal));
        Assert.Contains(audit, r => r.Action == "sign-in.failed" && r.Subject == "mallory" && r.DetailsJson.Contains("unknown user", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, r => r.DetailsJson.Contains("not the password", StringComparison.Ordinal) || r.DetailsJson.Contains(QaTestData.ReviewerPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Technician_CanView_ButIsRefused403_OnTheSignPageAndOnPost_AndNothingIsRecorded()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        await AddUserAsync(config, "tom", QaRoles.Technician, QaTestData.TechnicianPassword);
        var runKey = await QaTestData.RecordAsync(host.Store, host.Settings, QaTestData.FailingCalibrationPlate, host.Settings.Destinations);
        using var client = new QaWebClient(host.BaseAddress);
        using (await client.SignInAsync("tom", QaTestData.TechnicianPassword))
        {
        }

        var page = await client.GetTextAsync($"/runs/{runKey}");
        Assert.Contains("calibration-plot", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/sign?kind=", page, StringComparison.Ordinal);

        using (var signPage = await client.GetAsync($"/runs/{runKey}/sign?kind=accept-analyte&analyte=mirtazapine"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, signPage.StatusCode);
        }

        var token = await client.TokenAsync("/"); // the sign-out form's token: valid for this user
        using (var post = await client.PostAsync($"/runs/{runKey}/sign?kind=accept-analyte&analyte=mirtazapine",
                   [new("__RequestVerificationToken", token), new("Kind", "accept-analyte"), new("Analyte", "mirtazapine"), new("Reason", "I would like to release these."), new("Password", QaTestData.TechnicianPassword)]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        using (var audit = await client.GetAsync("/audit"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
        }

        Assert.Empty(await host.Store.ListDecisionsAsync(runKey));
        Assert.Equal("rejected", (await host.Store.GetRunForReviewAsync(runKey))!.Outcome);
    }

    [Fact]
    public async Task SignPost_WithoutAnAntiforgeryToken_IsRefused400_EvenForAReviewerWithTheRightPassword()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        await AddUserAsync(config, "alice", QaRoles.QaReviewer, QaTestData.ReviewerPassword);
        var runKey = await QaTestData.RecordAsync(host.Store, host.Settings, QaTestData.FailingCalibrationPlate, host.Settings.Destinations);
        using var client = new QaWebClient(host.BaseAddress);
        using (await client.SignInAsync("alice", QaTestData.ReviewerPassword))
        {
        }

        using var forged = await client.PostAsync($"/runs/{runKey}/sign?kind=accept-analyte&analyte=mirtazapine",
            [new("Kind", "accept-analyte"), new("Analyte", "mirtazapine"), new("Reason", "Submitted by another site's form."), new("Password", QaTestData.ReviewerPassword)]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var signOut = await client.PostAsync("/signout", []);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Empty(await host.Store.ListDecisionsAsync(runKey));
    }

    [Fact]
    public async Task Reviewer_SignsOverHttp_WithReasonAndPassword_AndTheDecisionIsDeliveredToTheLis()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        await AddUserAsync(config, "alice", QaRoles.QaReviewer, QaTestData.ReviewerPassword);
        var runKey = await QaTestData.RecordAsync(host.Store, host.Settings, QaTestData.FailingCalibrationPlate, host.Settings.Destinations);
        using var client = new QaWebClient(host.BaseAddress);
        using (await client.SignInAsync("alice", QaTestData.ReviewerPassword))
        {
        }

        var path = $"/runs/{runKey}/sign?kind=accept-analyte&analyte=mirtazapine";
        var token = await client.TokenAsync(path);
        KeyValuePair<string, string>[] Form(string reason, string password) =>
            [new("__RequestVerificationToken", token), new("Kind", "accept-analyte"), new("Analyte", "mirtazapine"), new("Reason", reason), new("Password", password)];

        using (var noReason = await client.PostAsync(path, Form("   ok   ", QaTestData.ReviewerPassword)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }

        using (var wrong = await client.PostAsync(path, Form("Curve verified against the second calibration set.", "not my password")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Contains("Wrong password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await host.Store.ListDecisionsAsync(runKey));
        using (var signed = await client.PostAsync(path, Form("Curve verified against the second calibration set.", QaTestData.ReviewerPassword)))
        {
            Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        }

        var decision = Assert.Single(await host.Store.ListDecisionsAsync(runKey));
        Assert.StartsWith("Approval:", decision.Meaning, StringComparison.Ordinal);
        var audit = await host.Store.ReadAuditAsync();
        Assert.Contains(audit, r => r.Action == "signature.failed" && r.Subject == "alice");
        Assert.Equal("qa.accept-analyte", audit.Single(r => r.Sequence == decision.AuditSeq).Action);

        // The LIS receives the new revisions like any other batch.
        await Fixtures.WaitUntilAsync(() => LisRevisions(config) > 0, "the decision's revisions in the LIS");
        Assert.Equal("accepted", LisRunOutcome(config, runKey));
    }

    internal static async Task AddUserAsync(TestConfig config, string name, string role, string password, string? displayName = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await UserCommand.AddAsync(config.ConfigFile, name, displayName, role, new StringReader(password + "\n"), interactive: false, output, error, CancellationToken.None);
        Assert.True(exit == ExitCodes.Ok, error.ToString());
    }

    private static long LisRevisions(TestConfig config)
    {
        using var lis = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={config.LisDatabase};Pooling=False");
        lis.Open();
        try
        {
            return lis.ExecuteScalar<long>("SELECT COUNT(*) FROM mirtlab_results WHERE revision > 1");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // the LIS schema is created by the first delivery
        }
    }

    private static string? LisRunOutcome(TestConfig config, string runKey)
    {
        using var lis = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={config.LisDatabase};Pooling=False");
        lis.Open();
        return lis.ExecuteScalar<string>("SELECT outcome FROM mirtlab_runs WHERE run_key = @runKey", new { runKey });
    }
}
