using System.Text;

namespace MirtLab.Readers.Text;

/// <summary>What the bytes of a file turned out to be.</summary>
public enum TextKind
{
    Text,
    Empty,
    Binary,
}

/// <summary>The detected encoding of a file and how many preamble (BOM) bytes precede the text.</summary>
public sealed record TextEncodingInfo(TextKind Kind, Encoding? Encoding, int PreambleLength, string Name);

/// <summary>
/// Decides how to decode an export (FORMATS.md "General rules"): the BOM first (UTF-16LE for ChemStation,
/// UTF-8 for ACAML), then strict UTF-8 over the whole file, then Windows-1252. NUL bytes without a
/// UTF-16 BOM mean binary, which no reader takes.
/// </summary>
public static class TextDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TextDecoder()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    public static Encoding Windows1252 { get; }

    /// <summary>Detects the encoding, reading the whole stream (strict UTF-8 must hold to the last byte).</summary>
    public static TextEncodingInfo Detect(Stream stream)
    {
        Span<byte> bom = stackalloc byte[3];
        var read = ReadAtLeast(stream, bom);
        if (read >= 2 && bom[0] == 0xFF && bom[1] == 0xFE)
        {
            return OnlyPreamble(stream, read, 2, new TextEncodingInfo(TextKind.Text, new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true), 2, "UTF-16LE"));
        }

        if (read >= 2 && bom[0] == 0xFE && bom[1] == 0xFF)
        {
            return OnlyPreamble(stream, read, 2, new TextEncodingInfo(TextKind.Text, new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true), 2, "UTF-16BE"));
        }

        if (read == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
        {
            return OnlyPreamble(stream, read, 3, new TextEncodingInfo(TextKind.Text, StrictUtf8, 3, "UTF-8 (BOM)"));
        }

        if (read == 0)
        {
            return new TextEncodingInfo(TextKind.Empty, null, 0, "empty");
        }

        var decoder = StrictUtf8.GetDecoder();
        var validUtf8 = true;
        var sawNul = false;
        var buffer = new byte[1 << 16];
        bom[..read].CopyTo(buffer);
        var count = read;
        while (true)
        {
            count += stream.Read(buffer, count, buffer.Length - count);
            if (count == 0)
            {
                break;
            }

            var chunk = buffer.AsSpan(0, count);
            sawNul |= chunk.Contains((byte)0);
            if (validUtf8)
            {
                try
                {
                    decoder.GetCharCount(chunk, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    validUtf8 = false;
                }
            }

            count = 0;
        }

        if (validUtf8)
        {
            try
            {
                decoder.GetCharCount([], flush: true);
            }
            catch (DecoderFallbackException)
            {
                validUtf8 = false;
            }
        }

        if (sawNul)
        {
            return new TextEncodingInfo(TextKind.Binary, null, 0, "binary");
        }

        return validUtf8
            ? new TextEncodingInfo(TextKind.Text, StrictUtf8, 0, "UTF-8")
            : new TextEncodingInfo(TextKind.Text, Windows1252, 0, "Windows-1252");
    }

    /// <summary>Opens a file of the source as text with its detected encoding; the BOM is skipped.</summary>
    public static (TextReader? Reader, TextEncodingInfo Info) OpenText(SourceFile file)
    {
        TextEncodingInfo info;
        using (var probe = file.Open())
        {
            info = Detect(probe);
        }

        if (info.Kind != TextKind.Text)
        {
            return (null, info);
        }

        var stream = file.Open();
        stream.Seek(info.PreambleLength, SeekOrigin.Begin);
        return (new StreamReader(stream, info.Encoding!, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16), info);
    }

    private static TextEncodingInfo OnlyPreamble(Stream stream, int read, int preamble, TextEncodingInfo info)
    {
        // A BOM and nothing else is how ChemStation writes a signal without peaks.
        if (read > preamble || stream.ReadByte() >= 0)
        {
            return info;
        }

        return info with { Kind = TextKind.Empty };
    }

    private static int ReadAtLeast(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
