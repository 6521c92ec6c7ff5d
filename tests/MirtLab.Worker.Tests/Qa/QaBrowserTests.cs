using Microsoft.Playwright;
using MirtLab.Worker.Qa;
using static Microsoft.Playwright.Assertions;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>
/// The real host, two real runs dropped into the inbox (the plate, then a plate whose low Mirtazapine calibrators
/// fail), users created through the CLI code path, and a real headless Chromium (Debian's; never downloaded).
/// </summary>
public sealed class QaBrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-gpu", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public TestConfig Config { get; } = new();

    public RunningHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string FailedRunKey { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Host = await RunningHost.StartAsync(Config);
        await QaWebSecurityTests.AddUserAsync(Config, "alice", QaRoles.QaReviewer, QaTestData.ReviewerPassword, "Alice Reviewer");
        await QaWebSecurityTests.AddUserAsync(Config, "tom", QaRoles.Technician, QaTestData.TechnicianPassword);

        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(Config.Inbox(), "plate-2026-11-21.txt"));
        await Fixtures.WaitUntilAsync(() => Host.Store.ListRunsAsync(null, null).GetAwaiter().GetResult().Count == 1, "the plate's run in the store");
        File.Copy(QaTestData.FailingCalibrationPlate, Path.Combine(Config.Inbox(), "plate-2026-11-22.txt"));
        await Fixtures.WaitUntilAsync(() => Host.Store.ListRunsAsync("rejected", null).GetAwaiter().GetResult().Count == 1, "the failing run in the store");
        FailedRunKey = (await Host.Store.ListRunsAsync("rejected", null))[0].RunKey;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task<IPage> SignedInPageAsync(string name, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Host.BaseAddress.ToString().TrimEnd('/') });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#signed-in-user")).ToBeVisibleAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
        Config.Dispose();
    }
}

public sealed class QaBrowserTests(QaBrowserFixture fixture) : IClassFixture<QaBrowserFixture>
{
    [Fact]
    public async Task Reviewer_OpensTheRejectedRun_SeesTheCurve_SignsOffWithReasonAndPassword_SeesTheStatusAndTheAuditEntry()
    {
        var page = await fixture.SignedInPageAsync("alice", QaTestData.ReviewerPassword);
        await Expect(page.Locator($"tr[data-run='{fixture.FailedRunKey}'] .badge")).ToHaveTextAsync("rejected");
        await page.ClickAsync($"tr[data-run='{fixture.FailedRunKey}'] a");

        var mirtazapine = page.Locator("section[data-analyte='mirtazapine']");
        await Expect(mirtazapine.Locator(".analyte-outcome")).ToHaveTextAsync("rejected");
        await Expect(mirtazapine.Locator("svg.calibration-plot g.calibrator")).ToHaveCountAsync(8);
        await Expect(mirtazapine.Locator("svg.calibration-plot g.calibrator.fail")).ToHaveCountAsync(3);
        await Expect(mirtazapine.Locator("svg.calibration-plot path.fitted-curve")).ToHaveCountAsync(1);
        await Expect(mirtazapine.Locator("svg.calibration-plot line.lloq")).ToHaveCountAsync(1);
        await Expect(mirtazapine.Locator("svg.calibration-plot g.calibrator[data-sample='CAL 1'] title")).ToContainTextAsync("178.3%");
        // The curve is the one the acceptance checks judged: MirtLab's own fit through the responses of the export.
        await Expect(mirtazapine.Locator("svg.calibration-plot g.calibrator[data-sample='CAL 1'] title")).ToContainTextAsync("response 0.0292058");
        await Expect(mirtazapine).ToContainTextAsync("MirtLab's fit (the vendor's model) to 8 calibrators");
        await Expect(mirtazapine.Locator("table.checks tbody tr").First).ToContainTextAsync("calibration.accuracy");
        // Levey-Jennings: both runs' QCs (2 replicates each) at each of the three levels.
        await Expect(mirtazapine.Locator("svg.levey-jennings")).ToHaveCountAsync(3);
        await Expect(mirtazapine.Locator("svg.levey-jennings").First.Locator("g.qc-point")).ToHaveCountAsync(4);
        await Expect(mirtazapine.Locator("svg.levey-jennings").First.Locator("g.qc-point.current")).ToHaveCountAsync(2);
        await Expect(mirtazapine.Locator("figure:has(svg.levey-jennings) figcaption").First)
            .ToContainTextAsync("no Westgard target (2 of 20 accepted observations, none configured)");

        await mirtazapine.Locator("a:has-text('Accept')").ClickAsync();
        await Expect(page.Locator("#meaning")).ToContainTextAsync("Approval:");
        await page.FillAsync("#reason", "Low calibrators re-prepared and re-injected; back-calculated values now within 15 %.");
        await page.FillAsync("#password", QaTestData.ReviewerPassword);
        await page.ClickAsync("#sign-button");

        await Expect(page.Locator("#signed-notice")).ToContainTextAsync("Alice Reviewer (alice) accepted the analyte");
        await Expect(page.Locator("#run-outcome")).ToHaveTextAsync("accepted");
        await Expect(mirtazapine.Locator(".analyte-outcome")).ToHaveTextAsync("accepted");
        await Expect(page.Locator("#decisions")).ToContainTextAsync("Low calibrators re-prepared");

        await page.GotoAsync("/audit?action=qa.accept-analyte");
        await Expect(page.Locator("#chain-status")).ToContainTextAsync("intact");
        var row = page.Locator("#audit tbody tr").First;
        await Expect(row).ToContainTextAsync("alice");
        await Expect(row).ToContainTextAsync(fixture.FailedRunKey);
        await Expect(row).ToContainTextAsync("Low calibrators re-prepared");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reviewer_WithAWrongPasswordAsSignature_IsRefused_AndNothingIsSigned()
    {
        var before = (await fixture.Host.Store.ListDecisionsAsync()).Count;
        var page = await fixture.SignedInPageAsync("alice", QaTestData.ReviewerPassword);
        await page.GotoAsync($"/runs/{fixture.FailedRunKey}/sign?kind=reject-analyte&analyte=n-desmethylmirtazapine");
        await page.FillAsync("#reason", "Trying to sign with someone else's password.");
        await page.FillAsync("#password", "not alice's password");
        await page.ClickAsync("#sign-button");

        await Expect(page.Locator("#sign-error")).ToContainTextAsync("Wrong password");
        await Expect(page.Locator("#password")).ToHaveValueAsync(string.Empty);
        Assert.Equal(before, (await fixture.Host.Store.ListDecisionsAsync()).Count);
        Assert.Contains(await fixture.Host.Store.ReadAuditAsync(), r => r.Action == "signature.failed" && r.Subject == "alice");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Technician_SeesTheRunAndItsCurve_ButNoSignOff_AndIsRefusedTheSignPage()
    {
        var page = await fixture.SignedInPageAsync("tom", QaTestData.TechnicianPassword);
        await page.GotoAsync($"/runs/{fixture.FailedRunKey}");
        await Expect(page.Locator("section[data-analyte='mirtazapine'] svg.calibration-plot g.calibrator")).ToHaveCountAsync(8);
        await Expect(page.Locator("a:has-text('Accept'), a:has-text('Reject'), a:has-text('Release')")).ToHaveCountAsync(0);
        await Expect(page.Locator("a[href='/audit']")).ToHaveCountAsync(0);

        var response = await page.GotoAsync($"/runs/{fixture.FailedRunKey}/sign?kind=accept-analyte&analyte=mirtazapine");
        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
        await page.Context.CloseAsync();
    }
}
