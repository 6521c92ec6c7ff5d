using System.Globalization;

namespace MirtLab.Worker.Web;

/// <summary>How the pages print numbers and times: invariant culture, whatever the server's locale.</summary>
public static class Fmt
{
    public static string Number(decimal? value) => value is decimal v ? v.ToString("G29", CultureInfo.InvariantCulture) : "—";

    public static string Number(double? value, string format = "G6") => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    public static string Percent(decimal? value) => value is decimal v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An ISO-8601 UTC text from the store as <c>2026-11-21 08:21 UTC</c>.</summary>
    public static string Utc(string? iso) =>
        iso is not null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
            : "—";

    public static string Utc(DateTimeOffset? time) =>
        time is DateTimeOffset t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";

    /// <summary>Sort key of check outcomes: failing first, then review, then passing.</summary>
    public static int CheckOrder(MirtLab.Core.Runs.CheckOutcome outcome) => outcome switch
    {
        MirtLab.Core.Runs.CheckOutcome.Fail => 0,
        MirtLab.Core.Runs.CheckOutcome.Review => 1,
        _ => 2,
    };

    public static string Code(MirtLab.Core.Runs.CheckOutcome outcome) => outcome.ToString().ToLowerInvariant();
}
