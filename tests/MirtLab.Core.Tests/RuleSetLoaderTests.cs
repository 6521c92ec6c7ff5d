namespace MirtLab.Core.Tests;

public sealed class RuleSetLoaderTests
{
    [Fact]
    public void ShippedRuleSet_LoadsWithEveryDefaultAnalyte()
    {
        var rules = TestRules.Default;
        foreach (var code in new[] { "mirtazapine", "n-desmethylmirtazapine", "serotonin", "norepinephrine", "dopamine", "mirtazapine-d3" })
        {
            Assert.True(rules.Catalog.TryGetByCode(code, out _), code);
        }

        Assert.Matches("^2026-11-21\\.2\\+[0-9a-f]{12}$", rules.Version);
        Assert.True(rules.Catalog.TryGetByCode("norepinephrine", out var ne));
        Assert.Equal("pg/mL", ne!.Unit.Code);
    }

    [Theory]
    [InlineData("Mirtazapine", "mirtazapine")]
    [InlineData("  mirtazapine  ", "mirtazapine")]
    [InlineData("Normirtazapine", "n-desmethylmirtazapine")]
    [InlineData("Mirtazapine-d3", "mirtazapine-d3")]
    [InlineData("5-HT", "serotonin")]
    [InlineData("Noradrenaline", "norepinephrine")]
    public void Catalog_ResolvesInstrumentNames(string raw, string code)
    {
        Assert.True(TestRules.Default.Catalog.TryResolve(raw, "tq5500", out var analyte));
        Assert.Equal(code, analyte!.Code);
    }

    [Fact]
    public void InstrumentAlias_AppliesOnlyToItsInstrument()
    {
        var result = TestRules.Load(Wrap("""{ "code": "mirtazapine", "name": "Mirtazapine", "unit": "ng/mL", "instrumentAliases": { "tq5500": [ "MIR 266>195" ] } }"""));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.RuleSet!.Catalog.TryResolve("MIR 266>195", "tq5500", out _));
        Assert.False(result.RuleSet.Catalog.TryResolve("MIR 266>195", "hplc1", out _));
    }

    [Theory]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/dl" }""", "analytes[0] (x).unit: 'ng/dl' is not a UCUM code")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "nmol/L" }""", "molarMass: the canonical unit nmol/L is molar, so the molar mass is required")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "r", "kind": "reference", "low": 1, "high": 5, "unit": "nmol/L" } ] }""", "needs the analyte's molar mass")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "r", "kind": "reference", "low": 9, "high": 5 } ] }""", "low 9 is above high 5")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "a", "kind": "reference", "low": 1, "high": 5 }, { "id": "b", "kind": "therapeutic", "low": 2, "high": 6 } ] }""", "'b' overlaps 'a'")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "a", "kind": "sometimes", "low": 1 } ] }""", "kind: 'sometimes' must be")]
    [InlineData("""{ "code": "X", "name": "X", "unit": "ng/mL" }""", "must be lower-case")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "decimals": 1, "significantFigures": 3 }""", "either decimals or significantFigures")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "internalStandards": [ "nope" ] }""", "'nope' is not an analyte marked internalStandard")]
    [InlineData("""{ "code": "x", "name": "X", "unit": "ng/mL", "untis": "ng/mL" }""", "untis")]
    public void Misconfiguration_IsRefusedWithAMessageNamingTheKey(string analyteJson, string expected)
    {
        var result = TestRules.Load(Wrap(analyteJson));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void RangesForDifferentSpecimens_DoNotOverlap()
    {
        var result = TestRules.Load(Wrap("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "a", "kind": "reference", "low": 1, "high": 5, "specimen": "serum" }, { "id": "b", "kind": "reference", "low": 2, "high": 6, "specimen": "plasma" } ] }"""));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void RangesForAdjacentAgeBands_DoNotOverlap_ButOverlappingBandsDo()
    {
        var adjacent = TestRules.Load(Wrap("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "a", "kind": "reference", "low": 1, "high": 5, "ageMaxYears": 18 }, { "id": "b", "kind": "reference", "low": 2, "high": 6, "ageMinYears": 18 } ] }"""));
        var overlapping = TestRules.Load(Wrap("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "a", "kind": "reference", "low": 1, "high": 5, "ageMaxYears": 20 }, { "id": "b", "kind": "reference", "low": 2, "high": 6, "ageMinYears": 18 } ] }"""));
        Assert.True(adjacent.Succeeded, string.Join("\n", adjacent.Errors));
        Assert.False(overlapping.Succeeded);
    }

    [Fact]
    public void RangeInAnotherUnit_IsConvertedToTheCanonicalUnit()
    {
        var result = TestRules.Load(Wrap("""{ "code": "x", "name": "X", "unit": "ng/mL", "ranges": [ { "id": "a", "kind": "reference", "high": 30, "unit": "pg/mL" } ] }"""));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.RuleSet!.Catalog.TryGetByCode("x", out var x));
        Assert.Equal(0.03m, x!.Ranges[0].High);
    }

    [Fact]
    public void SameAliasForTwoAnalytes_IsRefused()
    {
        var result = TestRules.Load("""{ "version": "t", "analytes": [ { "code": "a", "name": "A", "unit": "ng/mL", "aliases": [ "MIR" ] }, { "code": "b", "name": "B", "unit": "ng/mL", "aliases": [ "mir" ] } ] }""");
        Assert.Contains(result.Errors, e => e.Contains("already names 'a'", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var result = TestRules.Load("""{ "analytes": [ { "code": "x", "name": "X", "unit": "ng/dl" }, { "code": "y", "name": "Y", "unit": "nmol/L" } ], "acceptance": { "calibratorTolerancePercent": 0 } }""");
        Assert.True(result.Errors.Count >= 4, string.Join("\n", result.Errors));
        Assert.Contains(result.Errors, e => e.StartsWith("version", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("acceptance.calibratorTolerancePercent", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidSampleTypePattern_IsRefused()
    {
        var result = TestRules.Load("""{ "version": "t", "sampleTypes": { "namePatterns": [ { "pattern": "(", "type": "blank" }, { "pattern": "x", "type": "patient" } ] }, "analytes": [ { "code": "a", "name": "A", "unit": "ng/mL" } ] }""");
        Assert.Equal(2, result.Errors.Count(e => e.StartsWith("sampleTypes.namePatterns", StringComparison.Ordinal)));
    }

    [Fact]
    public void ContentHash_ChangesWithTheFile()
    {
        var a = TestRules.Load(Wrap("""{ "code": "x", "name": "X", "unit": "ng/mL" }"""));
        var b = TestRules.Load(Wrap("""{ "code": "x", "name": "X", "unit": "ng/mL", "decimals": 2 }"""));
        Assert.NotEqual(a.RuleSet!.Version, b.RuleSet!.Version);
    }

    private static string Wrap(string analyte) => $$"""{ "version": "test", "analytes": [ {{analyte}} ] }""";
}
