using System.Globalization;

namespace MirtLab.Readers.Text;

/// <summary>
/// Parses acquisition times as instruments write them: local, without offset, in the PC's locale
/// (<c>22-Sep-2022 19:06:11</c>, <c>4/19/2018 6:37 PM</c>, <c>27.06.2022 11:01</c>, <c>13-Jan-15, 11:16:49</c>).
/// Configured formats are tried first; then vendor formats in the culture's own day/month order,
/// so 4/5/2018 is never read in the order the culture does not use.
/// </summary>
public static class InstrumentDate
{
    private static readonly string[] MonthNameFormats =
    [
        "d-MMM-yyyy H:mm:ss", "d-MMM-yyyy H:mm", "d-MMM-yy, H:mm:ss", "d-MMM-yy H:mm:ss", "dd-MMM-yyyy HH:mm:ss",
        "d MMM yyyy H:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] DayFirstFormats =
    [
        "d/M/yyyy h:mm tt", "d/M/yyyy h:mm:ss tt", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss",
        "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss", "d.M.yy H:mm", "d-M-yyyy H:mm:ss",
    ];

    private static readonly string[] MonthFirstFormats =
    [
        "M/d/yyyy h:mm tt", "M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "M/d/yy h:mm tt",
    ];

    // The rows of one injection repeat its acquisition time: the last text parsed is answered again without parsing.
    [ThreadStatic]
    private static (string Text, ReaderContext Context, bool Parsed, DateTime? Value)? t_last;

    /// <summary>Parses a local acquisition time; null with false when the text is no date in any accepted form.</summary>
    public static bool TryParse(string text, ReaderContext context, out DateTime? value)
    {
        if (t_last is { } last && ReferenceEquals(last.Context, context) && string.Equals(last.Text, text, StringComparison.Ordinal))
        {
            value = last.Value;
            return last.Parsed;
        }

        var parsed = TryParseUncached(text, context, out value);
        t_last = (text, context, parsed, value);
        return parsed;
    }

    private static bool TryParseUncached(string text, ReaderContext context, out DateTime? value)
    {
        value = null;
        var trimmed = text.Trim().Trim('"').Trim();
        if (trimmed.Length == 0)
        {
            return true;
        }

        var culture = context.Culture;
        var styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault;
        if (context.DateFormats.Count > 0
            && DateTime.TryParseExact(trimmed, [.. context.DateFormats], culture, styles, out var configured))
        {
            value = NullIfPlaceholder(configured);
            return true;
        }

        var dayFirst = IsDayFirst(culture);
        string[] formats = [.. MonthNameFormats, .. dayFirst ? DayFirstFormats : MonthFirstFormats];
        // English month names and AM/PM appear on non-English PCs too (Analyst writes "Sep" everywhere).
        foreach (var c in new[] { culture, CultureInfo.InvariantCulture })
        {
            if (DateTime.TryParseExact(trimmed, formats, c, styles, out var parsed))
            {
                value = NullIfPlaceholder(parsed);
                return true;
            }
        }

        return false;
    }

    private static bool IsDayFirst(CultureInfo culture)
    {
        var pattern = culture.DateTimeFormat.ShortDatePattern;
        var d = pattern.IndexOf('d', StringComparison.Ordinal);
        var m = pattern.IndexOf('M', StringComparison.Ordinal);
        return d >= 0 && m >= 0 && d < m;
    }

    // MassHunter writes 1/1/0001 12:00:00 AM for "no date".
    private static DateTime? NullIfPlaceholder(DateTime parsed) => parsed.Year <= 1 ? null : DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
}
