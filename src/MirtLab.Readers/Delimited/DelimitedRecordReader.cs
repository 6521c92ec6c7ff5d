using System.Text;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Delimited;

/// <summary>What became of the last record read.</summary>
internal enum RecordStatus
{
    Ok,

    /// <summary>The record is longer than <see cref="ReaderContext.MaxLineLength"/>; its fields are not usable.</summary>
    TooLong,

    /// <summary>A quoted field opened and the file ended before it closed.</summary>
    UnterminatedQuote,
}

/// <summary>
/// Reads delimited records, not lines: a quoted field may hold line breaks (MassHunter writes a multi-line
/// quantitation message as one quoted cell), so physical lines are joined while a quote is open. The
/// record's line is the line it starts on.
/// </summary>
internal sealed class DelimitedRecordReader
{
    private readonly LineReader _lines;
    private readonly char _delimiter;
    private readonly int _maxLength;
    private readonly StringBuilder _record = new();

    public DelimitedRecordReader(LineReader lines, char delimiter, int maxLength)
    {
        _lines = lines;
        _delimiter = delimiter;
        _maxLength = maxLength;
    }

    /// <summary>The 1-based line the last record started on.</summary>
    public int Line { get; private set; }

    /// <summary>The last physical line read (the record's last line).</summary>
    public int LastLine => _lines.LineNumber;

    /// <summary>Reads the next record into <paramref name="fields"/> (trimmed); false at the end of the file.</summary>
    public bool TryRead(List<string> fields, out RecordStatus status)
    {
        fields.Clear();
        status = RecordStatus.Ok;
        if (!_lines.TryReadLine(out var line, out var tooLong))
        {
            return false;
        }

        Line = _lines.LineNumber;
        if (tooLong)
        {
            status = RecordStatus.TooLong;
            return true;
        }

        if (!EndsInsideQuotes(line, _delimiter))
        {
            Fields.Split(line, _delimiter, fields);
            return true;
        }

        _record.Clear().Append(line);
        while (true)
        {
            if (!_lines.TryReadLine(out var next, out tooLong))
            {
                status = RecordStatus.UnterminatedQuote;
                return true;
            }

            if (tooLong || _record.Length + 1 + next.Length > _maxLength)
            {
                status = RecordStatus.TooLong;
                return true;
            }

            _record.Append('\n').Append(next);
            var text = _record.ToString();
            if (!EndsInsideQuotes(text, _delimiter))
            {
                Fields.Split(text, _delimiter, fields);
                return true;
            }
        }
    }

    /// <summary>
    /// True when a quoted field is still open at the end of the text. A quote opens a field only at its
    /// start (after spaces), as <see cref="Fields.Split"/> reads it; a quote inside a bare field is text.
    /// </summary>
    public static bool EndsInsideQuotes(string text, char delimiter)
    {
        var inQuotes = false;
        var atFieldStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }

                continue;
            }

            if (c == delimiter)
            {
                atFieldStart = true;
            }
            else if (c == '"' && atFieldStart)
            {
                inQuotes = true;
                atFieldStart = false;
            }
            else if (c != ' ')
            {
                atFieldStart = false;
            }
        }

        return inQuotes;
    }
}
