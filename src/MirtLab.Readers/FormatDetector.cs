using System.Globalization;
using MirtLab.Core.Diagnostics;

namespace MirtLab.Readers;

/// <summary>The reader chosen for a source, or why none could be.</summary>
public sealed record FormatDetection(IInstrumentReader? Reader, Diagnostic? Problem);

/// <summary>
/// Chooses the reader for a dropped item by content. The highest-scoring reader wins; a tie between
/// different readers is ambiguous and refused rather than guessed.
/// </summary>
public sealed class FormatDetector
{
    private readonly IReadOnlyList<IInstrumentReader> _readers;

    public FormatDetector(IReadOnlyList<IInstrumentReader> readers)
    {
        _readers = readers;
    }

    public IReadOnlyList<IInstrumentReader> Readers => _readers;

    /// <param name="source">The dropped item.</param>
    /// <param name="allowedFormats">Reader hints: when not empty, only these format ids are considered.</param>
    public FormatDetection Detect(ReadSource source, IReadOnlyCollection<string>? allowedFormats = null)
    {
        if (source.Files.Count == 0 || source.TotalLength == 0)
        {
            return new FormatDetection(null, new Diagnostic(DiagnosticCodes.EmptyInput, DiagnosticSeverity.Error,
                source.IsFolder ? "the folder holds no files, or only empty ones" : "the file is empty (0 bytes)"));
        }

        var probe = SourceProbe.Create(source);
        if (!source.IsFolder && probe.Files[0].LooksBinary)
        {
            return new FormatDetection(null, new Diagnostic(DiagnosticCodes.BinaryInput, DiagnosticSeverity.Error,
                "the file is binary (it contains NUL bytes and no UTF-16 byte-order mark); export the results as text", Line: 1));
        }

        var candidates = _readers
            .Where(r => allowedFormats is null || allowedFormats.Count == 0 || allowedFormats.Contains(r.FormatId, StringComparer.OrdinalIgnoreCase))
            .Select(r => (Reader: r, Score: SafeProbe(r, probe)))
            .Where(c => c.Score > 0)
            .OrderByDescending(c => c.Score)
            .ToList();

        if (candidates.Count == 0)
        {
            var first = probe.Files.FirstOrDefault(f => !f.LooksBinary && f.Head.Length > 0);
            var excerpt = first is null ? "no text" : Excerpt(first.Lines.FirstOrDefault(l => l.Trim().Length > 0) ?? string.Empty);
            return new FormatDetection(null, new Diagnostic(DiagnosticCodes.UnknownFormat, DiagnosticSeverity.Error,
                $"no reader recognises this {(source.IsFolder ? "folder" : "file")} (first line: \"{excerpt}\"); known formats: " +
                string.Join(", ", _readers.Select(r => r.FormatId)),
                first?.File.RelativePath == source.Name ? null : first?.File.RelativePath,
                first is null ? null : 1));
        }

        if (candidates.Count > 1 && candidates[1].Score == candidates[0].Score)
        {
            return new FormatDetection(null, new Diagnostic(DiagnosticCodes.AmbiguousFormat, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"the content matches {candidates[0].Reader.FormatId} and {candidates[1].Reader.FormatId} equally; set the instrument's formats to choose")));
        }

        return new FormatDetection(candidates[0].Reader, null);
    }

    private static int SafeProbe(IInstrumentReader reader, SourceProbe probe)
    {
        try
        {
            return reader.Probe(probe);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A probe is a guess about someone else's format; its failure means "not mine".
            return 0;
        }
    }

    private static string Excerpt(string line)
    {
        var clean = new string(line.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return clean.Length <= 60 ? clean : clean[..60] + "…";
    }
}
