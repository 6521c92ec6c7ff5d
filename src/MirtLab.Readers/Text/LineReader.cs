using System.Text;

namespace MirtLab.Readers.Text;

/// <summary>
/// Reads lines with their 1-based numbers, whatever the line ends (CRLF, LF, a stray CR), and refuses
/// to hold a line longer than a limit: a corrupt or binary file cannot make MirtLab allocate without bound.
/// </summary>
public sealed class LineReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly int _maxLength;
    private readonly char[] _buffer = new char[1 << 15];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;
    private bool _pendingCr;

    public LineReader(TextReader reader, int maxLength)
    {
        _reader = reader;
        _maxLength = maxLength;
    }

    /// <summary>The number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line; false at the end. <paramref name="tooLong"/> is set when the line exceeded the limit (its text is cut).</summary>
    public bool TryReadLine(out string line, out bool tooLong)
    {
        _line.Clear();
        tooLong = false;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = _reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    if (!any)
                    {
                        line = string.Empty;
                        return false;
                    }

                    break;
                }
            }

            if (_pendingCr)
            {
                _pendingCr = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            any = true;
            var span = _buffer.AsSpan(_position, _length - _position);
            var end = span.IndexOfAny('\r', '\n');
            var take = end < 0 ? span.Length : end;
            if (!tooLong)
            {
                var room = _maxLength - _line.Length;
                if (take > room)
                {
                    _line.Append(span[..room]);
                    tooLong = true;
                }
                else
                {
                    _line.Append(span[..take]);
                }
            }

            _position += take;
            if (end >= 0)
            {
                _pendingCr = _buffer[_position] == '\r';
                _position++;
                break;
            }
        }

        LineNumber++;
        line = _line.ToString();
        return true;
    }

    public void Dispose() => _reader.Dispose();
}
