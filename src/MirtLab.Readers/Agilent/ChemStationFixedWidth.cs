using System.Text.RegularExpressions;

namespace MirtLab.Readers.Agilent;

/// <summary>A column of a fixed-width ChemStation table: its name (both header lines), unit, and character span.</summary>
internal readonly record struct FixedWidthColumn(string Name, string? Unit, int Start, int End)
{
    public static FixedWidthColumn None => new(string.Empty, null, -1, -1);

    public bool Exists => Start >= 0;
}

/// <summary>Where a value runs across a column boundary, so that cutting at the boundary would split it.</summary>
internal readonly record struct ColumnCrossing(string Text, string Left, string Right, int Position);

/// <summary>
/// The columns of a Report.TXT table, from its <c>----|-------|------|</c> ruler: every pipe starts a new column, and
/// the pipe's own position belongs to the column on its right (numbers are right-aligned and may use it; names start
/// after it). The two header lines above the ruler name the columns; a bracketed second line is the unit
/// (<c>[min]</c>, <c>[ng/ml]</c>), any other second line completes the name (<c>Peak #</c>, <c>ISTD used</c>, <c>Area %</c>).
/// </summary>
internal sealed partial class FixedWidthColumns
{
    private FixedWidthColumns(List<FixedWidthColumn> columns)
    {
        Columns = columns;
    }

    public IReadOnlyList<FixedWidthColumn> Columns { get; }

    public static FixedWidthColumns FromRuler(string ruler, string header1, string header2)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < ruler.Length; i++)
        {
            // A pipe at the very end closes the last column instead of opening a new one.
            if (ruler[i] == '|' && i < ruler.TrimEnd().Length - 1)
            {
                starts.Add(i);
            }
        }

        var spans = starts.Select((start, k) => (Start: start, End: k + 1 < starts.Count ? starts[k + 1] : int.MaxValue)).ToList();
        var names = spans.Select(_ => new List<string>()).ToList();
        var subs = spans.Select(_ => new List<string>()).ToList();
        Assign(header1, names);
        Assign(header2, subs);

        var columns = new List<FixedWidthColumn>(spans.Count);
        for (var k = 0; k < spans.Count; k++)
        {
            var name = string.Join(' ', names[k]);
            var sub = string.Join(' ', subs[k]);
            string? unit = null;
            if (sub.StartsWith('[') && sub.EndsWith(']'))
            {
                unit = sub[1..^1].Trim();
            }
            else if (sub.Length > 0)
            {
                name = name.Length == 0 ? sub : $"{name} {sub}";
            }

            columns.Add(new FixedWidthColumn(name, unit, spans[k].Start, spans[k].End));
        }

        return new FixedWidthColumns(columns);

        void Assign(string header, List<List<string>> into)
        {
            foreach (Match token in HeaderToken().Matches(header))
            {
                var best = 0;
                var bestOverlap = -1;
                for (var k = 0; k < spans.Count; k++)
                {
                    var overlap = Math.Min(token.Index + token.Length, spans[k].End) - Math.Max(token.Index, spans[k].Start);
                    if (overlap > bestOverlap)
                    {
                        best = k;
                        bestOverlap = overlap;
                    }
                }

                into[best].Add(token.Value);
            }
        }
    }

    /// <summary>The first column whose name is one of <paramref name="names"/> (case-insensitive), tried in order.</summary>
    public FixedWidthColumn Find(params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var column in Columns)
            {
                if (string.Equals(column.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return column;
                }
            }
        }

        return FixedWidthColumn.None;
    }

    /// <summary>The trimmed text of <paramref name="column"/> in <paramref name="line"/>.</summary>
    public static string Cell(string line, FixedWidthColumn column)
    {
        if (!column.Exists || column.Start >= line.Length)
        {
            return string.Empty;
        }

        var end = Math.Min(column.End, line.Length);
        return line[column.Start..end].Trim();
    }

    /// <summary>The first value that runs across a column boundary, or null when every value sits inside its column.</summary>
    public ColumnCrossing? Crossing(string line)
    {
        for (var k = 1; k < Columns.Count; k++)
        {
            var boundary = Columns[k].Start;
            if (boundary >= line.Length || line[boundary - 1] == ' ' || line[boundary] == ' ')
            {
                continue;
            }

            var start = boundary - 1;
            while (start > 0 && line[start - 1] != ' ')
            {
                start--;
            }

            var end = boundary;
            while (end < line.Length && line[end] != ' ')
            {
                end++;
            }

            return new ColumnCrossing(line[start..end], Columns[k - 1].Name, Columns[k].Name, start);
        }

        return null;
    }

    [GeneratedRegex(@"\[[^\]]*\]|\S+", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderToken();
}
