using MirtLab.Core.Runs;

namespace MirtLab.Core.Rules;

/// <summary>
/// Weighted least squares for calibration curves: y = a0 + a1·x (+ a2·x²), weights none, 1/x, 1/x², 1/y, 1/y².
/// Double inside (only reported figures become decimal). Solved by Householder QR on the weighted design matrix
/// with x scaled to 0..1, not by the normal equations: a 1/x²-weighted quadratic over 5–5000 ng/mL squares an
/// already poor condition number, and Analyst's coefficients must be reproduced to their printed digits.
/// </summary>
internal static class CalibrationRegression
{
    /// <summary>A fitted curve: coefficients in ascending power, and r² computed as Analyst does for a weighted fit.</summary>
    internal sealed record Curve(IReadOnlyList<double> Coefficients, double? RSquared);

    public static (Curve? Curve, string? Problem) Fit(IReadOnlyList<(double X, double Y)> points, CalibrationModel model)
    {
        var parameters = model.Fit == FitModel.Quadratic ? 3 : 2;
        if (!model.IsSupported)
        {
            return (null, $"weighting {CalibrationModel.Describe(model.Weighting)} is not re-evaluated by MirtLab");
        }

        if (points.Count < parameters + 1 || points.Select(p => p.X).Distinct().Count() < parameters)
        {
            return (null, FormattableString.Invariant($"a {CalibrationModel.Describe(model.Fit)} fit needs at least {parameters + 1} calibrators at {parameters} or more levels; {points.Count} usable"));
        }

        var weights = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y) = points[i];
            double? w = model.Weighting switch
            {
                Weighting.None => 1d,
                Weighting.OneOverX => x > 0 ? 1d / x : null,
                Weighting.OneOverXSquared => x > 0 ? 1d / (x * x) : null,
                Weighting.OneOverY => y > 0 ? 1d / y : null,
                Weighting.OneOverYSquared => y > 0 ? 1d / (y * y) : null,
                _ => null,
            };
            if (w is not double weight || !double.IsFinite(weight))
            {
                return (null, FormattableString.Invariant($"weighting {CalibrationModel.Describe(model.Weighting)} needs positive {(model.Weighting is Weighting.OneOverY or Weighting.OneOverYSquared ? "responses" : "concentrations")}; a calibrator has x {x:G6}, y {y:G6}"));
            }

            weights[i] = weight;
        }

        var scale = points.Max(p => Math.Abs(p.X));
        var a = new double[points.Count, parameters];
        var b = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var root = Math.Sqrt(weights[i]);
            var t = points[i].X / scale;
            var power = 1d;
            for (var k = 0; k < parameters; k++)
            {
                a[i, k] = root * power;
                power *= t;
            }

            b[i] = root * points[i].Y;
        }

        if (SolveByQr(a, b, parameters) is not { } scaled)
        {
            return (null, $"the calibrators do not determine a {CalibrationModel.Describe(model.Fit)} curve");
        }

        var coefficients = new double[parameters];
        for (var k = 0; k < parameters; k++)
        {
            coefficients[k] = scaled[k] / Math.Pow(scale, k);
        }

        return (new Curve(coefficients, RSquared(points, weights, coefficients)), null);
    }

    public static double Predict(IReadOnlyList<double> c, double x) => c.Count == 3 ? c[0] + (c[1] * x) + (c[2] * x * x) : c[0] + (c[1] * x);

    /// <summary>
    /// The concentration whose response is <paramref name="y"/>. For a quadratic, the root on the same side of the
    /// vertex as the calibrated range <paramref name="low"/>..<paramref name="high"/>: the curve is used only on the
    /// branch the calibrators span. Null when no real concentration gives that response.
    /// </summary>
    public static double? BackCalculate(IReadOnlyList<double> c, double y, double low, double high)
    {
        if (c.Count < 3 || c[2] == 0d)
        {
            return c[1] == 0d ? null : (y - c[0]) / c[1];
        }

        var (a0, a1, a2) = (c[0] - y, c[1], c[2]);
        var discriminant = (a1 * a1) - (4d * a2 * a0);
        if (discriminant < 0d)
        {
            return null;
        }

        // Numerically stable roots: with a2 four orders below a1 (Analyst's 9.2e-8 against 0.0021) the textbook
        // (-b + √d) / 2a cancels to noise.
        var q = -0.5 * (a1 + (Math.Sign(a1 == 0d ? 1d : a1) * Math.Sqrt(discriminant)));
        var roots = new List<double> { q / a2 };
        if (q != 0d)
        {
            roots.Add(a0 / q);
        }

        var vertex = -a1 / (2d * a2);
        var side = Math.Sign(((low + high) / 2d) - vertex);
        var onBranch = roots.Where(r => Math.Sign(r - vertex) == side).ToList();
        return onBranch.Count > 0 ? onBranch[0] : null;
    }

    /// <summary>True when a quadratic turns within the calibrated range, so one response means two concentrations.</summary>
    public static bool TurnsWithin(IReadOnlyList<double> c, double low, double high)
    {
        if (c.Count < 3 || c[2] == 0d)
        {
            return false;
        }

        var vertex = -c[1] / (2d * c[2]);
        return vertex >= low && vertex <= high;
    }

    /// <summary>r² = 1 − Σw(y − ŷ)² / Σw(y − ȳw)², ȳw the weighted mean: Analyst's correlation coefficient is its root.</summary>
    private static double? RSquared(IReadOnlyList<(double X, double Y)> points, double[] weights, double[] coefficients)
    {
        var sumW = weights.Sum();
        var mean = points.Select((p, i) => weights[i] * p.Y).Sum() / sumW;
        double residual = 0d, total = 0d;
        for (var i = 0; i < points.Count; i++)
        {
            var fitted = Predict(coefficients, points[i].X);
            residual += weights[i] * Math.Pow(points[i].Y - fitted, 2);
            total += weights[i] * Math.Pow(points[i].Y - mean, 2);
        }

        return total > 0d ? 1d - (residual / total) : null;
    }

    private static double[]? SolveByQr(double[,] a, double[] b, int p)
    {
        var n = b.Length;
        for (var k = 0; k < p; k++)
        {
            double norm = 0d;
            for (var i = k; i < n; i++)
            {
                norm += a[i, k] * a[i, k];
            }

            norm = Math.Sqrt(norm);
            if (norm == 0d)
            {
                return null;
            }

            var alpha = a[k, k] > 0 ? -norm : norm;
            var v = new double[n - k];
            for (var i = k; i < n; i++)
            {
                v[i - k] = a[i, k];
            }

            v[0] -= alpha;
            var vv = v.Sum(x => x * x);
            if (vv == 0d)
            {
                continue;
            }

            for (var j = k; j < p; j++)
            {
                double dot = 0d;
                for (var i = k; i < n; i++)
                {
                    dot += v[i - k] * a[i, j];
                }

                var f = 2d * dot / vv;
                for (var i = k; i < n; i++)
                {
                    a[i, j] -= f * v[i - k];
                }
            }

            double dotB = 0d;
            for (var i = k; i < n; i++)
            {
                dotB += v[i - k] * b[i];
            }

            var fb = 2d * dotB / vv;
            for (var i = k; i < n; i++)
            {
                b[i] -= fb * v[i - k];
            }
        }

        var largest = Enumerable.Range(0, p).Max(k => Math.Abs(a[k, k]));
        var x = new double[p];
        for (var k = p - 1; k >= 0; k--)
        {
            if (Math.Abs(a[k, k]) <= largest * 1e-13)
            {
                return null;
            }

            var sum = b[k];
            for (var j = k + 1; j < p; j++)
            {
                sum -= a[k, j] * x[j];
            }

            x[k] = sum / a[k, k];
        }

        return x;
    }
}
