using MirtLab.Core.Rules;
using MirtLab.Core.Runs;

namespace MirtLab.Core.Tests;

public sealed class CalibrationRegressionTests
{
    /// <summary>
    /// Ordinary least squares, by hand: x = 1..5, y = 2.1, 3.9, 6.2, 7.8, 10.1. x̄ = 3, ȳ = 6.02, Sxx = 10,
    /// Sxy = (−2)(−3.92) + (−1)(−2.12) + 0 + (1)(1.78) + (2)(4.08) = 19.9, so slope = 1.99 and intercept =
    /// 6.02 − 3 × 1.99 = 0.05. Residuals 0.06, −0.13, 0.18, −0.21, 0.10: SSres = 0.107; SStot = 39.708;
    /// r² = 1 − 0.107 / 39.708 = 0.997305.
    /// </summary>
    [Fact]
    public void LinearUnweighted_ReproducesTheHandComputedFit()
    {
        var (curve, problem) = CalibrationRegression.Fit([(1, 2.1), (2, 3.9), (3, 6.2), (4, 7.8), (5, 10.1)], new CalibrationModel(FitModel.Linear, Weighting.None));
        Assert.Null(problem);
        Assert.Equal(0.05, curve!.Coefficients[0], 1e-12);
        Assert.Equal(1.99, curve.Coefficients[1], 1e-12);
        Assert.Equal(1 - (0.107 / 39.708), curve.RSquared!.Value, 1e-12);
    }

    /// <summary>
    /// 1/x² weighted least squares, by hand: x = 1, 2, 5, 10, 20; y = 0.12, 0.21, 0.55, 0.98, 2.05; w = 1/x².
    /// Σw = 1 + 1/4 + 1/25 + 1/100 + 1/400 = 1.3025; Σwx = Σ1/x = 1.85; Σwx² = 5;
    /// Σwy = Σy/x² = 0.12 + 0.0525 + 0.022 + 0.0098 + 0.005125 = 0.209425; Σwxy = Σy/x = 0.12 + 0.105 + 0.11 + 0.098 + 0.1025 = 0.5355.
    /// D = Σw·Σwx² − (Σwx)² = 6.5125 − 3.4225 = 3.09.
    /// slope = (Σw·Σwxy − Σwx·Σwy) / D = (0.69748875 − 0.38743625) / 3.09 = 0.3100525 / 3.09 = 0.1003406149 (124021/1236000).
    /// intercept = (Σwy − slope·Σwx) / Σw = (0.209425 − 0.1856301375) / 1.3025 = 0.0182686084 (1129/61800).
    /// The weighted r² (weighted mean ȳw = Σwy/Σw, as Analyst computes it) is 0.996789.
    /// </summary>
    [Fact]
    public void LinearOneOverXSquared_ReproducesTheHandComputedFit()
    {
        var (curve, _) = CalibrationRegression.Fit(WeightedData, new CalibrationModel(FitModel.Linear, Weighting.OneOverXSquared));
        Assert.Equal(1129d / 61800d, curve!.Coefficients[0], 1e-12);
        Assert.Equal(124021d / 1236000d, curve.Coefficients[1], 1e-12);
        Assert.Equal(0.996789, curve.RSquared!.Value, 1e-6);
    }

    /// <summary>
    /// The same data unweighted gives intercept 0.0139967 and slope 0.1010531: the LLOQ back-calculates to 104.9%
    /// instead of 101.4% with 1/x². The weighting matters most where the tolerance is widest.
    /// </summary>
    [Fact]
    public void Weighting_ChangesTheLloqBackCalculation()
    {
        var weighted = CalibrationRegression.Fit(WeightedData, new CalibrationModel(FitModel.Linear, Weighting.OneOverXSquared)).Curve!;
        var unweighted = CalibrationRegression.Fit(WeightedData, new CalibrationModel(FitModel.Linear, Weighting.None)).Curve!;
        Assert.Equal(1.01386, CalibrationRegression.BackCalculate(weighted.Coefficients, 0.12, 1, 20)!.Value, 5);
        Assert.Equal(1.04899, CalibrationRegression.BackCalculate(unweighted.Coefficients, 0.12, 1, 20)!.Value, 5);
    }

    [Theory]
    [InlineData(Weighting.None)]
    [InlineData(Weighting.OneOverX)]
    [InlineData(Weighting.OneOverXSquared)]
    [InlineData(Weighting.OneOverY)]
    [InlineData(Weighting.OneOverYSquared)]
    public void ExactQuadraticData_IsRecoveredUnderEveryWeighting(Weighting weighting)
    {
        // y = 0.001 + 0.002x + 9e-8x² over 5–5000: Analyst's Sample_Run2 shape, where a2 is four orders below a1.
        double[] xs = [5, 10, 50, 100, 500, 1000, 2500, 4500, 5000];
        var points = xs.Select(x => (x, 0.001 + (0.002 * x) + (9e-8 * x * x))).ToList();
        var (curve, problem) = CalibrationRegression.Fit(points, new CalibrationModel(FitModel.Quadratic, weighting));
        Assert.Null(problem);
        Assert.Equal(0.001, curve!.Coefficients[0], 1e-12);
        Assert.Equal(0.002, curve.Coefficients[1], 1e-14);
        Assert.Equal(9e-8, curve.Coefficients[2], 1e-18);
        Assert.Equal(1d, curve.RSquared!.Value, 1e-12);
    }

    [Fact]
    public void QuadraticBackCalculation_TakesTheRootOnTheCalibratedBranch()
    {
        // Rising then falling (a2 < 0, vertex at x = 7125): the calibrated range 1–200 is on the rising branch.
        double[] falling = [0.00102, 0.0171, -1.2e-6];
        var y = CalibrationRegression.Predict(falling, 150);
        Assert.Equal(150, CalibrationRegression.BackCalculate(falling, y, 1, 200)!.Value, 9);

        // a2 > 0 with the vertex far below zero: the positive root, without cancellation.
        double[] rising = [0.00117, 0.0021, 9.2e-8];
        Assert.Equal(5, CalibrationRegression.BackCalculate(rising, CalibrationRegression.Predict(rising, 5), 5, 5000)!.Value, 9);
        Assert.False(CalibrationRegression.TurnsWithin(rising, 5, 5000));
        Assert.True(CalibrationRegression.TurnsWithin(falling, 1, 8000));
    }

    [Fact]
    public void ResponseBeyondTheTopOfAFallingQuadratic_HasNoConcentration()
    {
        double[] falling = [0, 1, -0.01];   // peaks at y = 25 (x = 50)
        Assert.Null(CalibrationRegression.BackCalculate(falling, 26, 1, 40));
    }

    [Fact]
    public void OneOverYWeighting_WithAZeroResponse_IsAProblemNotACrash()
    {
        var (curve, problem) = CalibrationRegression.Fit([(1, 0), (2, 2), (3, 3), (4, 4)], new CalibrationModel(FitModel.Linear, Weighting.OneOverY));
        Assert.Null(curve);
        Assert.Contains("positive responses", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewCalibrators_IsAProblem()
    {
        var (curve, problem) = CalibrationRegression.Fit([(1, 1), (2, 2), (3, 3)], new CalibrationModel(FitModel.Quadratic, Weighting.None));
        Assert.Null(curve);
        Assert.Contains("at least 4 calibrators", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Weighting.LnX)]
    [InlineData(Weighting.LnY)]
    public void LogWeightings_AreNotReEvaluated(Weighting weighting)
    {
        var (curve, problem) = CalibrationRegression.Fit(WeightedData, new CalibrationModel(FitModel.Linear, weighting));
        Assert.Null(curve);
        Assert.Contains("not re-evaluated", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1/x2", Weighting.OneOverXSquared)]
    [InlineData("1 / x^2", Weighting.OneOverXSquared)]
    [InlineData("1/x²", Weighting.OneOverXSquared)]
    [InlineData("None", Weighting.None)]
    [InlineData("1/y", Weighting.OneOverY)]
    public void ConfiguredWeightings_AreRead(string text, Weighting expected)
    {
        Assert.True(CalibrationModel.TryParseWeighting(text, out var weighting));
        Assert.Equal(expected, weighting);
    }

    private static readonly List<(double, double)> WeightedData = [(1, 0.12), (2, 0.21), (5, 0.55), (10, 0.98), (20, 2.05)];
}
