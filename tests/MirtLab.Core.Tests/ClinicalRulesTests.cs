using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;
using static MirtLab.Core.Tests.RunBuilder;

namespace MirtLab.Core.Tests;

public sealed class SampleMetadataTests
{
    [Theory]
    [InlineData("P-240117 trough", null, "P-240117", null, null, null)]
    [InlineData("P-240117", "dose=30mg/d", "P-240117", "30", null, null)]
    [InlineData("P-3 trough", "Dose: 45 mg daily; sex=F; age=54", "P-3", "45", "F", "54")]
    [InlineData("P-4", "dose = 7,5 mg/day", "P-4", "7.5", null, null)]
    [InlineData("QC 3", "sex=W", null, null, "F", null)]
    [InlineData("trough sample", null, null, null, null, null)]
    public void ShippedPatterns_FindPatientDoseSexAndAge(string name, string? comment, string? patient, string? dose, string? sex, string? age)
    {
        var row = Patient(name, "Mirtazapine", "46.3", comment);
        var metadata = SampleMetadataRule.Extract(row, TestRules.Default.SampleMetadataRules);
        Assert.Equal(patient, metadata.PatientId);
        Assert.Equal(dose is null ? null : Dec(dose), metadata.DoseMgPerDay);
        Assert.Equal(sex, metadata.Sex);
        Assert.Equal(age is null ? null : Dec(age), metadata.AgeYears);
    }
}

public sealed class MetabolicRatioTests
{
    // N-desmethylmirtazapine / mirtazapine, expected 0.2–1.2 (AGNP 2017 as applied in Eur J Clin Pharmacol 2025).
    [Theory]
    [InlineData("46.3", "25.1", "0.54", "")]
    [InlineData("46.3", "9.3", "0.20", "")]
    [InlineData("46.3", "4.0", "0.09", "L")]
    [InlineData("40.0", "48.0", "1.20", "")]
    [InlineData("40.0", "60.0", "1.50", "H")]
    public void Ratio_IsComputedPerSample_AndFlaggedOutsideItsRange(string parent, string metabolite, string ratio, string flag)
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", parent)).Append(Patient("P-1 trough", "N-desmethylmirtazapine", metabolite)));
        var derived = run.Result("P-1 trough", "mirtazapine-metabolic-ratio");
        Assert.Equal(Dec(ratio), derived.Value.Number);
        Assert.Equal("1", derived.Unit!.Code);
        Assert.Equal(flag, string.Join(' ', derived.Flags.Select(f => f.Code)));
        Assert.Equal(2, derived.DerivedFrom.Count);
        Assert.True(derived.IsPatientResult);
    }

    [Fact]
    public void RatioOutsideItsRange_HoldsParentAndMetabolite_ForReview()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "46.3")).Append(Patient("P-1 trough", "N-desmethylmirtazapine", "4.0")));
        var parent = run.Result("P-1 trough", "mirtazapine");
        Assert.Empty(parent.Flags);
        Assert.Equal(ResultStatus.Preliminary, parent.Status);
        Assert.Contains(parent.HoldReasons, h => h.StartsWith("consistency:mirtazapine-metabolic-ratio", StringComparison.Ordinal));
        Assert.Equal(ResultStatus.Preliminary, run.Result("P-1 trough", "n-desmethylmirtazapine").Status);
    }

    [Fact]
    public void RatioInRange_LeavesTheComponentsAsTheyWere()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "46.3")).Append(Patient("P-1 trough", "N-desmethylmirtazapine", "25.1")));
        Assert.Equal(ResultStatus.Final, run.Result("P-1 trough", "mirtazapine").Status);
        Assert.Equal(ResultStatus.Final, run.Result("P-1 trough", "mirtazapine-metabolic-ratio").Status);
    }

    [Theory]
    [InlineData("46.3", null)]
    [InlineData("0.5", "12.0")]
    [InlineData(null, "12.0")]
    public void Ratio_IsNotComputedWithoutTwoNumbers(string? parent, string? metabolite)
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", parent)).Append(Patient("P-1 trough", "N-desmethylmirtazapine", metabolite)));
        Assert.Null(run.Find("P-1 trough", "mirtazapine-metabolic-ratio"));
    }

    [Fact]
    public void Ratio_IsComputedFromTheUnroundedComponents_AndRoundedOnceWhenReported()
    {
        // Rounded first, 5.9 / 30.0 = 0.1967 would print 0.20 in range; the measured 5.8549 / 30.04 = 0.1949 is below 0.2.
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "30.04")).Append(Patient("P-1 trough", "N-desmethylmirtazapine", "5.8549")));
        var derived = run.Result("P-1 trough", "mirtazapine-metabolic-ratio");
        Assert.Equal(0.19m, derived.Value.Number);
        Assert.Equal("0.19", derived.Display);
        Assert.Equal(5.8549m / 30.04m, derived.UnroundedNumber);
        Assert.Equal(["L"], derived.Flags.Select(f => f.Code));
        Assert.Equal(ResultStatus.Preliminary, derived.Status);
        Assert.Equal(ResultStatus.Preliminary, run.Result("P-1 trough", "mirtazapine").Status);
    }

    [Theory]
    [InlineData("0.96")]
    [InlineData("200.04")]
    public void ComponentOutsideTheReportableRange_ThatRoundsIntoIt_GivesNoRatio(string metabolite)
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "46.3")).Append(Patient("P-1 trough", "N-desmethylmirtazapine", metabolite)));
        Assert.NotEqual(ValueKind.Number, run.Result("P-1 trough", "n-desmethylmirtazapine").Value.Kind);
        Assert.Null(run.Find("P-1 trough", "mirtazapine-metabolic-ratio"));
    }

    [Fact]
    public void RatiosOfTwoSamples_AreNotMixed()
    {
        var run = Evaluate(AcceptedCurves()
            .Append(Patient("P-1 trough", "Mirtazapine", "46.3")).Append(Patient("P-1 trough", "N-desmethylmirtazapine", "25.1"))
            .Append(Patient("P-2 trough", "Mirtazapine", "20.0")).Append(Patient("P-2 trough", "N-desmethylmirtazapine", "20.0")));
        Assert.Equal(0.54m, run.Result("P-1 trough", "mirtazapine-metabolic-ratio").Value.Number);
        Assert.Equal(1.00m, run.Result("P-2 trough", "mirtazapine-metabolic-ratio").Value.Number);
    }
}

public sealed class DoseNormalisedTests
{
    [Theory]
    [InlineData("dose=15mg/d", "21.4", "1.43", "")]
    [InlineData("dose=30mg/d", "39.7", "1.32", "")]
    [InlineData("dose=45 mg/day", "58.2", "1.29", "")]
    [InlineData("dose=30mg/d", "12.0", "0.40", "L")]
    [InlineData("dose=15mg/d", "36.0", "2.40", "H")]
    public void ConcentrationPerDose_IsComputedWhenTheDoseIsKnown(string comment, string level, string ratio, string flag)
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", level, comment)));
        var cd = run.Result("P-1 trough", "mirtazapine-cd-ratio");
        Assert.Equal(Dec(ratio), cd.Value.Number);
        Assert.Equal("ng/mL/(mg/d)", cd.Unit!.Code);
        Assert.Equal(flag, string.Join(' ', cd.Flags.Select(f => f.Code)));
        Assert.NotNull(cd.DoseMgPerDay);
    }

    [Fact]
    public void ConcentrationPerDose_IsComputedFromTheUnroundedLevel()
    {
        // 30.07 is reported as 30.1: 30.1 / 15 would give 2.01, the measured 30.07 / 15 = 2.0047 gives 2.00.
        var cd = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "30.07", "dose=15mg/d"))).Result("P-1 trough", "mirtazapine-cd-ratio");
        Assert.Equal(30.07m / 15m, cd.UnroundedNumber);
        Assert.Equal(2.00m, cd.Value.Number);
    }

    [Fact]
    public void LevelBelowTheLloq_GivesNoConcentrationPerDose()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "0.96", "dose=30mg/d")));
        Assert.Null(run.Find("P-1 trough", "mirtazapine-cd-ratio"));
    }

    [Fact]
    public void LowLevelForTheDose_GetsItsInterpretiveComment()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "12.0", "dose=30mg/d")));
        Assert.Contains(run.Result("P-1 trough", "mirtazapine-cd-ratio").Comments, c => c.RuleId == "mirtazapine.cd-ratio.interpretation");
    }

    [Fact]
    public void WithoutADose_NoConcentrationPerDoseIsComputed()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "39.7")));
        Assert.Null(run.Find("P-1 trough", "mirtazapine-cd-ratio"));
    }

    [Fact]
    public void ActiveMoiety_IsOffByDefault_AndSumsWhenEnabled()
    {
        Assert.False(TestRules.Default.Catalog.TryGetByCode("mirtazapine-active-moiety", out _));
        var rules = TestRules.Load("""
            { "version": "t", "analytes": [
              { "code": "mirtazapine", "name": "Mirtazapine", "unit": "ng/mL", "decimals": 1, "requireRange": false },
              { "code": "n-desmethylmirtazapine", "name": "N-desmethylmirtazapine", "unit": "ng/mL", "decimals": 1, "requireRange": false },
              { "code": "mirtazapine-active-moiety", "name": "Active moiety", "unit": "ng/mL", "decimals": 1, "requireRange": false,
                "derived": { "sum": [ "mirtazapine", "n-desmethylmirtazapine" ] } } ] }
            """).RuleSet!;
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1", "Mirtazapine", "46.3")).Append(Patient("P-1", "N-desmethylmirtazapine", "25.1")), rules);
        Assert.Equal(71.4m, run.Result("P-1", "mirtazapine-active-moiety").Value.Number);
    }
}

public sealed class DeltaCheckTests
{
    private static readonly DateTimeOffset Earlier = new(2026, 10, 1, 7, 0, 0, TimeSpan.Zero);

    // Mirtazapine delta: |change| > 15 ng/mL and > 50% within 180 days.
    [Theory]
    [InlineData("40.0", "85.0", "U")]
    [InlineData("100.0", "45.0", "D")]
    [InlineData("40.0", "50.0", "")]
    [InlineData("40.0", "24.0", "")]
    [InlineData("10.0", "24.0", "")]
    [InlineData("46.3", "46.3", "")]
    public void ChangeFromThePreviousResult_IsFlaggedOnlyBeyondEveryLimit(string previous, string current, string flag)
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-7 trough", "Mirtazapine", current)), context: Previous("P-7", Dec(previous), Earlier));
        var result = run.Result("P-7 trough", "mirtazapine");
        Assert.Equal(flag, string.Join(' ', result.Flags.Where(f => f.RuleId.StartsWith("delta:", StringComparison.Ordinal)).Select(f => f.Code)));
        if (flag.Length > 0)
        {
            Assert.Equal(ResultStatus.Preliminary, result.Status);
            Assert.Contains(previous, result.Flags.Single(f => f.Code == flag).Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PreviousResultOlderThanTheWindow_IsNotCompared()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-7 trough", "Mirtazapine", "85.0")), context: Previous("P-7", 40m, new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));
        Assert.DoesNotContain(run.Result("P-7 trough", "mirtazapine").Flags, f => f.Code == "U");
    }

    [Fact]
    public void LookupFailure_HoldsTheResultAndSaysWhy()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-7 trough", "Mirtazapine", "46.3")), context: new RunContext { PreviousResultsUnavailable = "LIS unreachable" });
        var result = run.Result("P-7 trough", "mirtazapine");
        Assert.Equal(ResultStatus.Preliminary, result.Status);
        Assert.Contains(result.HoldReasons, h => h.Contains("LIS unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public void DeltaLookups_NameEachPatientAndAnalyteWithADeltaRule()
    {
        var rows = AcceptedCurves().Append(Patient("P-7 trough", "Mirtazapine", "46.3")).Append(Patient("P-7 trough", "N-desmethylmirtazapine", "20")).Append(Patient("no id", "Mirtazapine", "40")).ToList();
        var input = new RunInput(new RunIdentity(Sha, "p.txt", "f", "tq5500"), new RunInfo(), rows, TimeZoneInfo.Utc, []);
        Assert.Equal([("P-7", "mirtazapine")], RunEvaluator.DeltaLookups(input, TestRules.Default));
    }

    private static RunContext Previous(string patient, decimal value, DateTimeOffset when) => new()
    {
        PreviousResults = new Dictionary<(string, string), PreviousResult> { [(patient, "mirtazapine")] = new PreviousResult(value, when, "0123456789abcdef0123456789abcdef") },
    };
}

public sealed class InterpretiveCommentTests
{
    [Theory]
    [InlineData("35.0", "remission low-response targets")]
    [InlineData("46.3", "remission targets")]
    [InlineData("52.6", "targets")]
    [InlineData("60.0", "adverse-effects targets")]
    [InlineData("78.0", "adverse-effects upper targets")]
    public void MirtazapineComments_FollowTheStudyThresholds(string value, string expected)
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", value)));
        var ids = run.Result("P-1 trough", "mirtazapine").Comments.Select(c => c.RuleId.Replace("mirtazapine.study2026.", string.Empty, StringComparison.Ordinal));
        Assert.Equal(expected, string.Join(' ', ids));
    }

    [Fact]
    public void Comments_NeverChangeAFlagOrTheStatus()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "46.3")));
        var result = run.Result("P-1 trough", "mirtazapine");
        Assert.NotEmpty(result.Comments);
        Assert.Empty(result.Flags);
        Assert.Equal(ResultStatus.Final, result.Status);
        Assert.All(result.Comments, c => Assert.Equal(TestRules.Default.Version, c.ConfigVersion));
    }

    [Fact]
    public void ValueBelowTheLloq_GetsNoComment()
    {
        var run = Evaluate(AcceptedCurves().Append(Patient("P-1 trough", "Mirtazapine", "0.4")));
        Assert.Empty(run.Result("P-1 trough", "mirtazapine").Comments);
    }
}

public sealed class ClinicalRuleConfigurationTests
{
    [Theory]
    [InlineData("""{ "code": "r", "name": "R", "unit": "1", "derived": { "ratio": { "numerator": "a", "denominator": "zz" } } }""", "'zz' is not a measured analyte")]
    [InlineData("""{ "code": "r", "name": "R", "unit": "ng/mL", "derived": { "ratio": { "numerator": "a", "denominator": "b" } } }""", "a ratio is dimensionless")]
    [InlineData("""{ "code": "r", "name": "R", "unit": "ng/mL/(mg/d)", "derived": { "perDose": "b" } }""", "'b' must be in ng/mL")]
    [InlineData("""{ "code": "r", "name": "R", "unit": "1", "derived": { "ratio": { "numerator": "a", "denominator": "b" }, "sum": [ "a", "b" ] } }""", "exactly one of ratio, sum or perDose")]
    [InlineData("""{ "code": "r", "name": "R", "unit": "nmol/L", "molarMass": 100, "derived": { "sum": [ "a", "b" ] } }""", "cannot be added")]
    [InlineData("""{ "code": "r", "name": "R", "unit": "ng/mL", "delta": { "maxAgeDays": 10 } }""", "set absolute, relativePercent or both")]
    public void BadDerivedOrDeltaConfiguration_IsRefused(string entry, string expected)
    {
        var result = TestRules.Load($$"""
            { "version": "t", "analytes": [
              { "code": "a", "name": "A", "unit": "ng/mL" },
              { "code": "b", "name": "B", "unit": "pg/mL" },
              {{entry}} ] }
            """);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void CommentForAnUnknownAnalyte_AndPatternWithoutGroups_AreRefused()
    {
        var result = TestRules.Load("""
            { "version": "t", "analytes": [ { "code": "a", "name": "A", "unit": "ng/mL" } ],
              "sampleMetadata": [ { "field": "comment", "pattern": "dose=(\\d+)" }, { "field": "barcode", "pattern": "(?<patient>.*)" } ],
              "comments": [ { "id": "c1", "analyte": "zz", "text": "x" }, { "id": "c2", "analyte": "a", "atOrAbove": 5, "below": 5, "text": "x" } ] }
            """);
        Assert.Contains(result.Errors, e => e.StartsWith("sampleMetadata[0].pattern: name at least one group", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("sampleMetadata[1].field", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("comments[0].analyte", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("comments[1]: atOrAbove 5 must be below", StringComparison.Ordinal));
    }
}
