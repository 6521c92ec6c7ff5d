using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Readers.Text;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// The lines of one ChemStation text report (UTF-16LE with BOM as ChemStation writes them; other encodings are
/// decoded as <see cref="TextDecoder"/> decides). Reports are small, so they are read whole: the text report needs
/// to look back at its two header lines once it meets a ruler.
/// </summary>
internal static class ChemStationLines
{
    /// <summary>No ChemStation report comes near this; anything larger is not one.</summary>
    private const long MaxReportBytes = 64L << 20;

    /// <summary>
    /// The file's lines (1-based numbers are index + 1), an empty list for a file with nothing but a BOM (a signal
    /// without peaks), or null after an error diagnostic.
    /// </summary>
    public static List<string>? Read(SourceFile file, string? diagnosticFile, ReaderContext context, IReadSink sink)
    {
        if (file.Length > MaxReportBytes)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.InputTooLarge, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"{file.Name} is {file.Length} bytes; a ChemStation report is far smaller, so this is not one"),
                diagnosticFile));
            return null;
        }

        var (text, encoding) = TextDecoder.OpenText(file);
        if (text is null)
        {
            if (encoding.Kind == TextKind.Empty)
            {
                return [];
            }

            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.BinaryInput, DiagnosticSeverity.Error,
                $"{file.Name} is binary (NUL bytes without a UTF-16 byte-order mark), not a ChemStation text report", diagnosticFile));
            return null;
        }

        var lines = new List<string>();
        using var reader = new LineReader(text, context.MaxLineLength);
        try
        {
            while (reader.TryReadLine(out var line, out var tooLong))
            {
                if (tooLong)
                {
                    sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
                        string.Create(CultureInfo.InvariantCulture, $"the line is longer than {context.MaxLineLength} characters; this is not a ChemStation report"),
                        diagnosticFile, reader.LineNumber));
                    return null;
                }

                lines.Add(line);
            }
        }
        catch (DecoderFallbackException ex)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                $"{file.Name} cannot be decoded as {encoding.Name}: {ex.Message}", diagnosticFile, reader.LineNumber + 1));
            return null;
        }

        return lines;
    }

    /// <summary>True once the reader should stop: the file is rejected anyway and the report stays readable.</summary>
    public static bool TooManyErrors(ReaderContext context, IReadSink sink, string? file, int line)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        if (sink.ErrorCount < context.MaxErrors)
        {
            return false;
        }

        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.TruncatedInput, DiagnosticSeverity.Error,
            string.Create(CultureInfo.InvariantCulture, $"stopped reading after {context.MaxErrors} errors"), file, line));
        return true;
    }

    /// <summary>
    /// Parses a number ChemStation wrote into a text or CSV report: with a decimal point, as every known report writes
    /// it (the comma is the CSV separator), so these are read invariantly whatever the instrument's culture. A number
    /// in any other form is refused rather than guessed.
    /// </summary>
    public static bool TryParseNumber(string text, out double value) =>
        InstrumentNumber.TryParseDouble(text, CultureInfo.InvariantCulture, out value);
}
