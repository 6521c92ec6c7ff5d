namespace MirtLab.Core.Tests;

/// <summary>The acceptance and qcTargets sections of rules.json: shipped defaults and every misconfiguration refused by key.</summary>
public sealed class AcceptanceConfigurationTests
{
    [Fact]
    public void ShippedRuleSet_CarriesTheGuidelineDefaults()
    {
        var a = TestRules.Default.Acceptance;
        Assert.Equal((0.995m, 2m, 50m, 150m, 20m), (a.MinRSquared, a.VendorCurveAgreementPercent, a.InternalStandardLowPercent, a.InternalStandardHighPercent, a.InternalStandardDriftPercent));
        Assert.Equal((2.5m, 20m, 20m, 5m, 20), (a.RetentionTimeTolerancePercent, a.IonRatioTolerancePercent, a.CarryOverAnalytePercentOfLloq, a.CarryOverInternalStandardPercent, a.QcTargetObservations));
        Assert.Equal(["1-2s", "1-3s", "2-2s", "R-4s", "4-1s", "10-x"], a.WestgardRules);
        Assert.Empty(a.CalibrationModels);
        Assert.Empty(TestRules.Default.QcTargets);
    }

    [Fact]
    public void QcTargets_AreLoaded()
    {
        var result = TestRules.Load(Wrap(qcTargets: """[ { "analyte": "x", "level": 40, "mean": 40.6, "sd": 1.9, "source": "lab data" } ]"""));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new Rules.QcTarget("x", 40m, 40.6m, 1.9m, "lab data"), Assert.Single(result.RuleSet!.QcTargets));
    }

    [Theory]
    [InlineData("""{ "minRSquared": 99.5 }""", "acceptance.minRSquared: must be above 0 and at most 1")]
    [InlineData("""{ "vendorCurveAgreementPercent": 0 }""", "acceptance.vendorCurveAgreementPercent: must be between 0 and 100")]
    [InlineData("""{ "internalStandardHighPercent": 90 }""", "acceptance.internalStandardHighPercent: must be above 100")]
    [InlineData("""{ "internalStandardLowPercent": 0 }""", "acceptance.internalStandardLowPercent")]
    [InlineData("""{ "retentionTimeTolerancePercent": 100 }""", "acceptance.retentionTimeTolerancePercent")]
    [InlineData("""{ "carryOverInternalStandardPercent": -5 }""", "acceptance.carryOverInternalStandardPercent")]
    [InlineData("""{ "qcTargetObservations": 1 }""", "acceptance.qcTargetObservations: an SD needs at least 2 observations")]
    [InlineData("""{ "westgardRules": [ "1-3s", "1-5s" ] }""", "acceptance.westgardRules: '1-5s' is not one of")]
    [InlineData("""{ "calibrationModels": [ { "analyte": "x", "fit": "cubic", "weighting": "1/x" } ] }""", "acceptance.calibrationModels[0].fit: 'cubic' must be linear or quadratic")]
    [InlineData("""{ "calibrationModels": [ { "analyte": "x", "fit": "linear", "weighting": "ln x" } ] }""", "acceptance.calibrationModels[0].weighting: 'ln x' must be none, 1/x, 1/x2, 1/y or 1/y2")]
    [InlineData("""{ "calibrationModels": [ { "analyte": "nope", "fit": "linear", "weighting": "1/x" } ] }""", "acceptance.calibrationModels[0].analyte: 'nope' is not a measured analyte")]
    [InlineData("""{ "calibrationModels": [ { "analyte": "x", "fit": "linear", "weighting": "1/x" }, { "analyte": "x", "fit": "linear", "weighting": "1/x2" } ] }""", "acceptance.calibrationModels[1].analyte: 'x' has two models")]
    [InlineData("""{ "minRsquare": 0.99 }""", "minRsquare")]
    public void AcceptanceMisconfiguration_IsRefusedNamingTheKey(string acceptance, string expected)
    {
        var result = TestRules.Load(Wrap(acceptance: acceptance));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[ { "analyte": "nope", "level": 3, "mean": 3, "sd": 0.1 } ]""", "qcTargets[0].analyte: 'nope' is not a measured analyte")]
    [InlineData("""[ { "analyte": "x", "level": 3, "mean": 3, "sd": 0 } ]""", "qcTargets[0]: level (the QC's nominal concentration), mean and sd are required and must be positive")]
    [InlineData("""[ { "analyte": "x", "level": 3, "mean": 3, "sd": 0.1 }, { "analyte": "x", "level": 3.0, "mean": 3.1, "sd": 0.1 } ]""", "qcTargets[1]: x level 3.0 has two targets")]
    [InlineData("""[ { "analyte": "x", "level": 3, "mean": 3, "sd": 0.1, "cv": 3 } ]""", "cv")]
    public void QcTargetMisconfiguration_IsRefusedNamingTheKey(string qcTargets, string expected)
    {
        var result = TestRules.Load(Wrap(qcTargets: qcTargets));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    private static string Wrap(string acceptance = "{}", string qcTargets = "[]") =>
        $$"""{ "version": "test", "analytes": [ { "code": "x", "name": "X", "unit": "ng/mL" } ], "acceptance": {{acceptance}}, "qcTargets": {{qcTargets}} }""";
}
