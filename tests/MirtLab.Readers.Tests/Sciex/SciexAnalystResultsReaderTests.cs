using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers.Sciex;
using static MirtLab.Readers.Tests.Sciex.SciexTestFiles;

namespace MirtLab.Readers.Tests.Sciex;

public sealed class SciexAnalystResultsReaderTests
{
    private static readonly SciexAnalystResultsReader Reader = new();

    // The seven weightings of the SCIEX knowledge-base article "Analyst Regression Equations", in the spelling
    // Analyst exports (two spaces after the 1 in the corpus files) and as users retype them.
    [Theory]
    [InlineData("None", Weighting.None)]
    [InlineData("1  / x", Weighting.OneOverX)]
    [InlineData("1 / x", Weighting.OneOverX)]
    [InlineData("1  / (x * x)", Weighting.OneOverXSquared)]
    [InlineData("1/x^2", Weighting.OneOverXSquared)]
    [InlineData("1  / y", Weighting.OneOverY)]
    [InlineData("1  / (y * y)", Weighting.OneOverYSquared)]
    [InlineData("ln x", Weighting.LnX)]
    [InlineData("ln y", Weighting.LnY)]
    public void AnalystReader_EachDocumentedWeighting_BecomesItsVendorCalibrationWeighting(string text, Weighting expected)
    {
        var output = Read(Reader, Analyst("Linear", text, "Intercept\t0.00213", "Slope\t0.0198", "Correlation coefficient\t0.9991"));

        Assert.False(output.HasErrors, string.Join("\n", output.Diagnostics));
        var calibration = Assert.Single(output.RunInfo.Calibrations);
        Assert.Equal(expected, calibration.Weighting);
        Assert.Equal(FitModel.Linear, calibration.Fit);
        Assert.Equal([0.00213, 0.0198], calibration.Coefficients);
    }

    [Fact]
    public void AnalystReader_UnknownWeighting_KeepsTheCurveAsTextInsteadOfClaimingNone()
    {
        var output = Read(Reader, Analyst("Linear", "1 / sqrt(x)", "Intercept\t0.00213", "Slope\t0.0198"));

        Assert.Empty(output.RunInfo.Calibrations);
        var warning = Assert.Single(output.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnmodelledRegression, warning.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(9, warning.Line);
        Assert.Equal("Fit: Linear; Weighting: 1 / sqrt(x); Iterate: No; Intercept: 0.00213; Slope: 0.0198; Use Area", output.RunInfo.Properties["Regression Mirtazapine"]);
        Assert.Single(output.Results);
    }

    [Theory]
    [InlineData("Linear Through Zero", "Slope\t0.0201")]
    [InlineData("Mean Response Factor", "Mean Response Factor\t0.0199")]
    [InlineData("Power", "a0\t0.0184")]
    public void AnalystReader_FitMirtLabDoesNotModel_IsKeptAsTextWithAWarningAndTheResultsStillRead(string fit, string coefficient)
    {
        var output = Read(Reader, Analyst(fit, "1  / x", coefficient));

        Assert.Empty(output.RunInfo.Calibrations);
        var warning = Assert.Single(output.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnmodelledRegression, warning.Code);
        Assert.Contains($"fit '{fit}'", warning.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Fit: {fit}; Weighting: 1  / x;", output.RunInfo.Properties["Regression Mirtazapine"], StringComparison.Ordinal);
        var result = Assert.Single(output.Results);
        Assert.Equal(39.7m, result.Value.Number);
    }

    [Fact]
    public void AnalystReader_FullLabelHeaderWithTwoDifferentUnits_IsRejectedAtTheHeader()
    {
        var output = Read(Reader, Source(
            Row("Sample Name", "Sample Type", "Analyte Peak Name", "Analyte Concentration (pg/mL)", "Calculated Concentration (ng/mL)", string.Empty),
            Row("P-26-0412", "Unknown", "Mirtazapine", "N/A", "39.7", string.Empty)));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal(DiagnosticCodes.ConflictingUnit, error.Code);
        Assert.Equal((1, 4), (error.Line, error.Column));
        Assert.Empty(output.Results);
    }

    [Fact]
    public void AnalystReader_UnitInTheColumnName_IsTheRawUnitWhenNoUnitsColumnExists()
    {
        var output = Read(Reader, Source(
            Row("Sample Name", "Sample Type", "Analyte Peak Name", "Calculated Concentration (ng/mL)", string.Empty),
            Row("P-26-0412", "Unknown", "Mirtazapine", "39.7", string.Empty)));

        Assert.Equal("ng/mL", Assert.Single(output.Results).RawUnit);
    }

    [Theory]
    [InlineData("No Peak", ValueKind.NotDetected)]
    [InlineData("N/A", ValueKind.NoValue)]
    [InlineData("#DIV/0!", ValueKind.NoValue)]
    [InlineData("< 0", ValueKind.NoValue)]
    [InlineData("", ValueKind.NoValue)]
    [InlineData("Infinity", ValueKind.NotReportable)]
    public void AnalystReader_NoValueToken_NeverBecomesANumber(string token, ValueKind kind)
    {
        var output = Read(Reader, Source(
            Row("Sample Name", "Filetype", "Peak Name", "Calc.Conc.", string.Empty),
            Row("P-26-0412", "Unknown", "Mirtazapine", token, string.Empty)));

        var result = Assert.Single(output.Results);
        Assert.Equal(kind, result.Value.Kind);
        Assert.Null(result.Value.Number);
        Assert.Equal(token, result.RawValueText);
    }

    [Fact]
    public void AnalystReader_EmptyPeakName_IsAnErrorAtItsCell()
    {
        var output = Read(Reader, Source(
            Row("Sample Name", "Filetype", "Peak Name", "Calc.Conc.", string.Empty),
            Row("P-26-0412", "Unknown", string.Empty, "39.7", string.Empty)));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal(DiagnosticCodes.MissingSampleOrCompound, error.Code);
        Assert.Equal((2, 3), (error.Line, error.Column));
    }

    [Fact]
    public void AnalystReader_ComponentTableHeader_IsNotClaimed()
    {
        var source = Source(
            Row("Sample Name", "Sample Type", "Component Name", "Peak Name", "Calculated Concentration"),
            Row("P-26-0412", "Unknown", "Mirtazapine", "Mirtazapine", "39.7"));

        Assert.Equal(0, Reader.Probe(SourceProbe.Create(source)));
    }

    [Fact]
    public void AnalystReader_BlanksSharingAName_AreDifferentInjections_NotDuplicates()
    {
        var output = Read(Reader, Source(
            Row("Sample Name", "Filetype", "Peak Name", "Calc.Conc.", "Date Of Acq.", string.Empty),
            Row("Blank", "Unknown", "Mirtazapine", "No Peak", "21-Nov-2026 08:21:07", string.Empty),
            Row("Blank", "Unknown", "Mirtazapine", "No Peak", "21-Nov-2026 09:45:12", string.Empty)));

        Assert.Empty(output.Diagnostics);
        Assert.Equal(2, output.Results.Count);
    }

    [Fact]
    public void AnalystReader_SameInjectionTwice_IsADuplicateAtTheSecondLine()
    {
        var output = Read(Reader, Source(
            Row("Sample Name", "Filetype", "Peak Name", "Calc.Conc.", "Date Of Acq.", string.Empty),
            Row("Blank", "Unknown", "Mirtazapine", "No Peak", "21-Nov-2026 08:21:07", string.Empty),
            Row("Blank", "Unknown", "Mirtazapine", "No Peak", "21-Nov-2026 08:21:07", string.Empty)));

        var error = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticCodes.DuplicateRow, 3), (error.Code, error.Line));
    }
}
