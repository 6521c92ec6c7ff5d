using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using MirtLab.Core.Diagnostics;

namespace MirtLab.Readers.Agilent;

/// <summary>Loads the XML exports of ChemStation (Result.xml in UTF-16, ACAML in UTF-8) safely, with line numbers.</summary>
internal static class ChemStationXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersInDocument = MaxBytes,
    };

    /// <summary>A single-injection export is a few MB; anything far larger is not one, and is refused before parsing.</summary>
    private const long MaxBytes = 1L << 27;

    /// <summary>The document, or null after an error diagnostic at the place the XML breaks.</summary>
    public static XDocument? Load(SourceFile file, string? diagnosticFile, string what, ReaderContext context, IReadSink sink)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        if (file.Length > MaxBytes)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.InputTooLarge, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"the {what} is {file.Length} bytes; a single injection's export is far smaller, so it is not read"),
                diagnosticFile));
            return null;
        }

        try
        {
            using var stream = file.Open();
            using var reader = XmlReader.Create(stream, Settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedXml, DiagnosticSeverity.Error,
                $"the {what} is not well-formed XML: {ex.Message}", diagnosticFile,
                ex.LineNumber > 0 ? ex.LineNumber : null, ex.LinePosition > 0 ? ex.LinePosition : null));
            return null;
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UndecodableText, DiagnosticSeverity.Error,
                $"the {what} cannot be decoded in the encoding it declares: {ex.Message}", diagnosticFile));
            return null;
        }
    }

    public static int? Line(XObject? node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    public static int? Column(XObject? node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LinePosition : null;

    /// <summary>The trimmed text of an element, null when absent or blank.</summary>
    public static string? Text(XElement? element)
    {
        var text = element?.Value.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public static ChemStationText? Located(XElement? element) =>
        Text(element) is { } text ? new ChemStationText(text, Line(element), Column(element)) : null;

    /// <summary>Parses an XML number (always invariant, whatever the PC's locale); reports it when it is not one.</summary>
    public static double? Double(XObject? node, string? text, string what, string? file, IReadSink sink)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.UnparsableNumber, DiagnosticSeverity.Error,
            $"{what} '{text}' is not a number", file, Line(node), Column(node)));
        return null;
    }
}
