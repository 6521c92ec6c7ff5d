using System.Text;

namespace MirtLab.Readers;

/// <summary>The start of one file, decoded for format detection.</summary>
public sealed record ProbedFile(SourceFile File, string Encoding, bool LooksBinary, string Head)
{
    /// <summary>The head's lines (the last may be cut).</summary>
    public IReadOnlyList<string> Lines => Head.Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
}

/// <summary>
/// The first bytes of every file in a source, decoded so readers can recognise their format by
/// content: a BOM, then a header signature. File names are for .D folder layouts only, never the extension.
/// </summary>
public sealed class SourceProbe
{
    public const int HeadBytes = 1 << 16;

    private SourceProbe(ReadSource source, IReadOnlyList<ProbedFile> files)
    {
        Source = source;
        Files = files;
    }

    public ReadSource Source { get; }

    public IReadOnlyList<ProbedFile> Files { get; }

    public ProbedFile? Find(string fileName) =>
        Files.FirstOrDefault(f => string.Equals(f.File.Name, fileName, StringComparison.OrdinalIgnoreCase));

    public static SourceProbe Create(ReadSource source)
    {
        var files = new List<ProbedFile>(source.Files.Count);
        foreach (var file in source.Files)
        {
            var buffer = new byte[(int)Math.Min(HeadBytes, file.Length)];
            int read;
            using (var stream = file.Open())
            {
                read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            }

            var bytes = buffer.AsSpan(0, read);
            files.Add(Decode(file, bytes));
        }

        return new SourceProbe(source, files);
    }

    private static ProbedFile Decode(SourceFile file, ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new ProbedFile(file, "UTF-16LE", false, Encoding.Unicode.GetString(EvenLength(bytes[2..])));
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new ProbedFile(file, "UTF-16BE", false, Encoding.BigEndianUnicode.GetString(EvenLength(bytes[2..])));
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new ProbedFile(file, "UTF-8 (BOM)", false, Encoding.UTF8.GetString(bytes[3..]));
        }

        var binary = bytes.Contains((byte)0);
        return new ProbedFile(file, binary ? "binary" : "8-bit", binary, binary ? string.Empty : Encoding.UTF8.GetString(bytes));
    }

    private static ReadOnlySpan<byte> EvenLength(ReadOnlySpan<byte> bytes) => bytes[..(bytes.Length & ~1)];
}
