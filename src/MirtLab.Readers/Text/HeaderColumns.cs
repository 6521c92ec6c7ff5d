using System.Text.RegularExpressions;
using MirtLab.Core.Catalog;

namespace MirtLab.Readers.Text;

/// <summary>A column found by name: its 0-based index and the unit its header carried in brackets, if any.</summary>
public readonly record struct Column(int Index, string Header, string? Unit)
{
    public static Column None => new(-1, string.Empty, null);

    public bool Exists => Index >= 0;

    /// <summary>The 1-based column number diagnostics report.</summary>
    public int Number => Index + 1;

    public string Get(IReadOnlyList<string> fields) => Index >= 0 && Index < fields.Count ? fields[Index] : string.Empty;
}

/// <summary>
/// Finds columns by name, never by position: headers repeat, change between exports and pad with spaces.
/// A unit in brackets at the end of a header (<c>Calculated Concentration (ng/mL)</c>) is split off and
/// kept; names are compared trimmed, whitespace-collapsed and case-insensitive. The first match wins.
/// </summary>
public sealed partial class HeaderColumns
{
    private readonly List<(string Key, string Header, string? Unit)> _columns;

    public HeaderColumns(IReadOnlyList<string> headers)
    {
        Headers = headers;
        _columns = headers.Select(h =>
        {
            var match = UnitSuffix().Match(h);
            return match.Success
                ? (AnalyteCatalog.Key(match.Groups["name"].Value), h, (string?)match.Groups["unit"].Value.Trim())
                : (AnalyteCatalog.Key(h), h, (string?)null);
        }).ToList();
    }

    public IReadOnlyList<string> Headers { get; }

    public int Count => _columns.Count;

    /// <summary>The first column whose name (without its bracketed unit) is one of <paramref name="names"/>, tried in order.</summary>
    public Column Find(params string[] names)
    {
        foreach (var name in names)
        {
            var key = AnalyteCatalog.Key(name);
            for (var i = 0; i < _columns.Count; i++)
            {
                if (string.Equals(_columns[i].Key, key, StringComparison.Ordinal))
                {
                    return new Column(i, _columns[i].Header, _columns[i].Unit);
                }
            }

            // A header written with its unit in full ("Calc.Conc. (ng/mL)") must match the name with the unit too.
            for (var i = 0; i < Headers.Count; i++)
            {
                if (string.Equals(AnalyteCatalog.Key(Headers[i]), key, StringComparison.Ordinal))
                {
                    return new Column(i, Headers[i], null);
                }
            }
        }

        return Column.None;
    }

    [GeneratedRegex(@"^(?<name>.*?)\s*\((?<unit>[^()]*)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitSuffix();
}
