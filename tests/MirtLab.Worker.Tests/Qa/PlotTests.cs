using System.Xml.Linq;
using MirtLab.Core.Runs;
using MirtLab.Worker.Web.Plots;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>The QA page's plots draw what the run's evaluation judged: its Westgard target and violations, its own curve.</summary>
public sealed class PlotTests
{
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";

    [Fact]
    public void LeveyJennings_WithAnEstablishedTarget_DrawsItsLines_AndMarksTheWestgardViolation()
    {
        // Target 40 ± 2; this run's MQC 1 at 46.5 (+3.25 SD) fired 1-3s; MQC 2 at 41 is within.
        var history = Enumerable.Range(0, 6).Select(i => Point($"run-{i}", "MQC", 39m + (i % 3), thisRun: false)).ToList();
        var violating = Point("this", "MQC 1", 46.5m, thisRun: true);
        var chart = new QcLevelChart
        {
            Level = 40m,
            Name = "MQC",
            Mean = 40m,
            Sd = 2m,
            TargetSource = "configured: lot 4711 assignment",
            Points = [.. history, violating, Point("this", "MQC 2", 41m, thisRun: true)],
        };
        var violations = new[] { new WestgardViolation("1-3s", CheckOutcome.Fail, "MQC 1 46.5 is +3.25 SD", [violating with { ZScore = 3.25m }]) };

        var limits = ControlLimits.Of(chart);
        var svg = Parse(LeveyJenningsChart.Render("lj", "MQC", chart.Points, violations, "ng/mL", limits).Value!);

        Assert.True(limits.Established);
        Assert.Equal("Westgard target (configured: lot 4711 assignment)", limits.Source);
        var labels = svg.Descendants(S + "text").Select(t => t.Value).ToList();
        Assert.Contains("46", labels);  // +3 SD: 40 + 3 × 2
        Assert.Contains("34", labels);  // −3 SD
        var points = svg.Descendants(S + "g").Where(g => Classes(g).Contains("qc-point")).ToList();
        Assert.Equal(8, points.Count);
        var flagged = Assert.Single(points, g => Classes(g).Contains("westgard"));
        Assert.Contains("fail", Classes(flagged));
        Assert.Contains("current", Classes(flagged));
        Assert.Contains("+3.3 SD, this run, Westgard 1-3s", flagged.Element(S + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal(7, points.Count(g => Classes(g).Contains("pass")));
    }

    [Fact]
    public void LeveyJennings_WithoutATarget_SaysWhy_AndDrawsTheShownResultsForOrientationOnly()
    {
        var chart = new QcLevelChart
        {
            Level = 3m,
            Name = "LQC",
            NoTargetReason = "4 of 20 accepted observations, none configured",
            Points = [Point("a", "LQC", 2.9m, false), Point("a", "LQC", 3.1m, false), Point("b", "LQC 1", 3.0m, true), Point("b", "LQC 2", 3.0m, true)],
        };

        var limits = ControlLimits.Of(chart);

        Assert.False(limits.Established);
        Assert.Equal(3.0, limits.Mean, 10);
        Assert.Contains("no Westgard target (4 of 20 accepted observations, none configured)", limits.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void CalibrationCurve_PrefersMirtLabsFitThroughTheExportedResponses_OverTheVendorsEquation()
    {
        var analyte = new AnalyteEvaluationDocument
        {
            Analyte = "mirtazapine",
            Outcome = "accepted",
            Unit = "ng/mL",
            Calibrators = [Calibrator("CAL 1", 1m, 0.0292m), Calibrator("CAL 2", 10m, 0.2m)],
            VendorCalibration = new VendorCalibration("Mirtazapine", "Mirtazapine-d3", FitModel.Linear, Weighting.None, [-0.00758, 0.0206], 0.9999, "area", 9),
            Fit = new CalibrationFit
            {
                Fit = FitModel.Linear,
                Weighting = Weighting.OneOverXSquared,
                ModelSource = "configuration",
                Response = "area ratio",
                ConcentrationUnit = "ng/mL",
                Coefficients = [0.001m, 0.02m],
                RSquared = 0.9991m,
                PointsInFit = 2,
                LowestNominal = 1m,
                HighestNominal = 10m,
            },
        };

        var fit = CalibrationPlot.FitOf(analyte)!;
        Assert.True(fit.MeasuredResponses);
        Assert.Equal("MirtLab's fit (the lab's validated model) to 2 calibrators", fit.Source);
        Assert.Equal("1/x²", fit.Weighting);
        Assert.Equal("r² = 0.9991", fit.Statistics);
        Assert.Equal("Area ratio (analyte / IS)", fit.ResponseLabel);
        var svg = Parse(CalibrationPlot.Render(analyte, "Mirtazapine", "cal").Value!);
        var cal1 = svg.Descendants(S + "g").Single(g => (string?)g.Attribute("data-sample") == "CAL 1");
        Assert.Contains("response 0.0292", cal1.Element(S + "title")!.Value, StringComparison.Ordinal);

        var vendorOnly = CalibrationPlot.FitOf(new AnalyteEvaluationDocument
        {
            Analyte = analyte.Analyte,
            Outcome = analyte.Outcome,
            Unit = analyte.Unit,
            Calibrators = analyte.Calibrators,
            VendorCalibration = analyte.VendorCalibration,
        })!;
        Assert.False(vendorOnly.MeasuredResponses);
        Assert.Equal("the vendor software's fit, as exported", vendorOnly.Source);
        Assert.Equal("r = 0.9999, r² = 0.9998", vendorOnly.Statistics);
    }

    private static QcChartPoint Point(string run, string sample, decimal value, bool thisRun) =>
        new(run, new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero), sample, 40m, value, null, thisRun);

    private static CalibratorPoint Calibrator(string name, decimal nominal, decimal response) => new()
    {
        ResultKey = name,
        SampleName = name,
        Nominal = nominal,
        Measured = nominal,
        AccuracyPercent = 100m,
        TolerancePercent = 15m,
        Passed = true,
        Response = response,
        InFit = true,
    };

    private static XElement Parse(string svg) => XElement.Parse(svg);

    private static string[] Classes(XElement element) => ((string?)element.Attribute("class") ?? string.Empty).Split(' ');
}
