using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Readers.Sciex;
using static MirtLab.Readers.Tests.Sciex.SciexTestFiles;

namespace MirtLab.Readers.Tests.Sciex;

/// <summary>The component-table logic MultiQuant and SCIEX OS share: qualifiers, internal standards, units, identity.</summary>
public sealed class ComponentTableReaderTests
{
    private static readonly SciexOsResultsReader SciexOs = new();
    private static readonly SciexMultiQuantResultsReader MultiQuant = new();

    private static readonly string OsHeader = Row(
        "Index", "Sample Name", "Sample Index", "Sample ID", "Sample Type", "Component Name", "Calculated Concentration", "Component Type",
        "IS", "IS Name", "Component Group Name", "Conc. Units", "Outlier Reasons", "Ion Ratio", "Expected Ion Ratio", "Integration Acceptance", "Reportable");

    private static string OsRow(int index, string sample, int sampleIndex, string component, string calc, string type, string group,
        string outlier = "", string ionRatio = "N/A", string integration = "Pass", string reportable = "TRUE", string type2 = "Unknown") =>
        Row(index.ToString(System.Globalization.CultureInfo.InvariantCulture), sample, sampleIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            string.Empty, type2, component, calc, type, type == "Internal Standards" ? "TRUE" : "FALSE", type == "Internal Standards" ? "N/A" : "Mirtazapine-d3",
            group, "ng/mL", outlier, ionRatio, "0.343", integration, reportable);

    [Fact]
    public void SciexOsReader_QualifierBeforeItsQuantifier_IsNotAResultButHandsOverItsFailedCheckAndIonRatio()
    {
        var output = Read(SciexOs, Source(
            OsHeader,
            OsRow(1, "P-26-0413", 7, "Mirtazapine 2", "71.2", "Qualifiers", "Mirtazapine", outlier: "Ion Ratio", ionRatio: "0.415"),
            OsRow(2, "P-26-0413", 7, "Mirtazapine", "58.2", "Quantifiers", "Mirtazapine"),
            OsRow(3, "P-26-0413", 7, "Mirtazapine-d3", "N/A", "Internal Standards", "Mirtazapine-d3")));

        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        Assert.Equal(["Mirtazapine", "Mirtazapine-d3"], output.Results.Select(r => r.RawAnalyte));
        var quantifier = output.Results[0];
        Assert.Equal(3, quantifier.Source.Line);
        Assert.Equal(0.415, quantifier.IonRatio);
        Assert.Equal(0.343, quantifier.ExpectedIonRatio);
        Assert.Equal(["qualifier 'Mirtazapine 2': SCIEX OS: outlier reasons: Ion Ratio"], quantifier.VendorFlags);
        Assert.True(output.Results[1].IsInternalStandard);
        Assert.False(quantifier.IsInternalStandard);
    }

    [Fact]
    public void SciexOsReader_QualifierWithoutFailedChecksAndWithoutQuantifier_IsAWarningOnly()
    {
        var output = Read(SciexOs, Source(
            OsHeader,
            OsRow(1, "P-26-0412", 6, "Mirtazapine", "39.7", "Quantifiers", "Mirtazapine"),
            OsRow(2, "P-26-0412", 6, "Mirtazapine 2", "38.3", "Qualifiers", "Mirtazapine (qual)")));

        var warning = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnlinkedQualifier, DiagnosticSeverity.Warning, 3), (warning.Code, warning.Severity, warning.Line));
        Assert.Single(output.Results);
    }

    [Fact]
    public void SciexOsReader_SameSampleNameInjectedTwice_IsTwoSamplesByIndexNotADuplicate()
    {
        var output = Read(SciexOs, Source(
            OsHeader,
            OsRow(1, "Double Blank", 1, "Mirtazapine", "N/A", "Quantifiers", "Mirtazapine", type2: "Double Blank"),
            OsRow(2, "Double Blank", 9, "Mirtazapine", "N/A", "Quantifiers", "Mirtazapine", type2: "Double Blank")));

        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        Assert.Equal(2, output.Results.Count);
    }

    [Fact]
    public void SciexOsReader_SameInjectionAndComponentTwice_IsADuplicateRow()
    {
        var output = Read(SciexOs, Source(
            OsHeader,
            OsRow(1, "P-26-0412", 6, "Mirtazapine", "39.7", "Quantifiers", "Mirtazapine"),
            OsRow(2, "P-26-0412", 6, "Mirtazapine", "39.7", "Quantifiers", "Mirtazapine")));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.DuplicateRow, 3), (error.Code, error.Line));
        Assert.Contains("first at line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("N/A", ValueKind.NoValue)]
    [InlineData("", ValueKind.NoValue)]
    [InlineData("#DIV/0!", ValueKind.NoValue)]
    [InlineData("No Peak", ValueKind.NotDetected)]
    [InlineData("ND", ValueKind.NotDetected)]
    [InlineData("Infinity", ValueKind.NotReportable)]
    public void SciexOsReader_NoValueToken_NeverBecomesANumber(string token, ValueKind kind)
    {
        var output = Read(SciexOs, Source(OsHeader, OsRow(1, "P-26-0412", 6, "Mirtazapine", token, "Quantifiers", "Mirtazapine")));

        var result = Assert.Single(output.Results);
        Assert.Equal(kind, result.Value.Kind);
        Assert.Null(result.Value.Number);
    }

    [Fact]
    public void SciexOsReader_QuotedReasonsWithCommas_StayOneFieldAndOneFlag()
    {
        var output = Read(SciexOs, Source(
            OsHeader,
            OsRow(1, "P-26-0414", 8, "Mirtazapine", "0.214", "Quantifiers", "Mirtazapine", outlier: "\"Integration Quality, Total Width\"", integration: "Fail", reportable: "FALSE")));

        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        Assert.Equal(
            ["SCIEX OS: outlier reasons: Integration Quality, Total Width", "SCIEX OS: Integration Acceptance Fail", "SCIEX OS: marked not reportable (Reportable FALSE)"],
            Assert.Single(output.Results).VendorFlags);
    }

    [Fact]
    public void SciexOsReader_ReportableNeitherTrueNorFalse_IsAnErrorAtItsCell()
    {
        var output = Read(SciexOs, Source(OsHeader, OsRow(1, "P-26-0412", 6, "Mirtazapine", "39.7", "Quantifiers", "Mirtazapine", reportable: "maybe")));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnparsableFlag, 2, 17), (error.Code, error.Line, error.Column));
        Assert.Empty(output.Results);
    }

    [Fact]
    public void MultiQuantReader_UnitsColumnDisagreeingWithTheHeaderUnit_IsAnError()
    {
        var output = Read(MultiQuant, Source(
            Row("Sample Name", "Sample Type", "Component Name", "Calculated Concentration (ng/mL)", "Units"),
            Row("P-26-0412", "Unknown", "Mirtazapine", "39.7", "pg/mL")));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.ConflictingUnit, 2, 5), (error.Code, error.Line, error.Column));
    }

    [Fact]
    public void MultiQuantReader_NoUnitAnywhere_TakesTheConfiguredUnit()
    {
        var output = Read(MultiQuant, Source(
            Row("Sample Name", "Sample Type", "Component Name", "Calculated Concentration"),
            Row("P-26-0412", "Unknown", "Mirtazapine", "39.7")), Context(defaultUnit: "ng/mL"));

        Assert.Equal("ng/mL", Assert.Single(output.Results).RawUnit);
    }

    [Fact]
    public void MultiQuantReader_TwoConcentrationColumns_AreRefusedAsAmbiguous()
    {
        var output = Read(MultiQuant, Source(
            Row("Sample Name", "Sample Type", "Component Name", "Calculated Concentration", "Calculated Concentration"),
            Row("P-26-0412", "Unknown", "Mirtazapine", "39.7", "3.97")));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.DuplicateColumn, 1, 5), (error.Code, error.Line, error.Column));
        Assert.Empty(output.Results);
    }

    [Fact]
    public void MultiQuantReader_ComponentNamedAsAnotherRowsInternalStandard_IsMarkedInternalStandard()
    {
        var output = Read(MultiQuant, Source(
            Row("Sample Name", "Sample Type", "Component Name", "IS Name", "Calculated Concentration"),
            Row("P-26-0412", "Unknown", "Mirtazapine-d3", "N/A", "N/A"),
            Row("P-26-0412", "Unknown", "524.5 / 507.3a", "Mirtazapine-d3", "39.7")));

        Assert.Equal([true, false], output.Results.Select(r => r.IsInternalStandard));
        Assert.Equal("524.5 / 507.3a", output.Results[1].RawAnalyte);
    }

    [Fact]
    public void ComponentTableReaders_ManyBadRows_StopAtTheErrorLimit()
    {
        var lines = new List<string> { Row("Sample Name", "Sample Type", "Component Name", "Calculated Concentration") };
        lines.AddRange(Enumerable.Range(1, 200).Select(i => Row($"P-{i}", "Unknown", "Mirtazapine", "garbage")));

        var output = Read(MultiQuant, Source([.. lines]));

        Assert.Equal(51, output.ErrorCount);
        Assert.Equal(DiagnosticCodes.TruncatedInput, output.Diagnostics[^1].Code);
        Assert.Equal(52, output.Diagnostics[^1].Line);
    }

    [Fact]
    public void ComponentTableReaders_Cancelled_Throw()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var context = new ReaderContext { InstrumentId = "test", CancellationToken = cts.Token };

        Assert.Throws<OperationCanceledException>(() => Read(SciexOs, Source(OsHeader, OsRow(1, "P", 1, "Mirtazapine", "1", "Quantifiers", "Mirtazapine")), context));
    }
}
