using System.Xml.Linq;
using MirtLab.Core.Diagnostics;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// ChemStation's XML export <c>Result.xml</c> (UTF-16, root <c>ChemStationResult</c>): <c>SampleInformation</c>,
/// then <c>Results</c> with <c>QuantCalc</c> (<c>Percent</c>, <c>ESTD</c>, <c>ISTD</c>) and one <c>ResultsGroup</c>
/// per signal holding <c>Peak</c> elements (<c>Name</c>, <c>PeakType</c>, <c>MeasRetTime</c>, <c>Area Unit="…"</c>,
/// <c>Amount Unit="…"</c>). Every peak carries its own amount unit.
/// </summary>
internal static class ChemStationXmlResult
{
    public const string Kind = "Result.xml";

    /// <summary>True when a file's decoded start is a ChemStation XML export.</summary>
    public static bool Looks(ProbedFile file) => file.Head.Contains("<ChemStationResult", StringComparison.Ordinal);

    public static ChemStationInjection? Read(SourceFile source, ReaderContext context, IReadSink sink)
    {
        var file = source.RelativePath;
        var document = ChemStationXml.Load(source, file, "Result.xml", context, sink);
        if (document?.Root is not { } root)
        {
            return null;
        }

        if (root.Name.LocalName != "ChemStationResult")
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MalformedXml, DiagnosticSeverity.Error,
                $"the root element is '{root.Name.LocalName}', not 'ChemStationResult'", file, ChemStationXml.Line(root)));
            return null;
        }

        var errorsAtStart = sink.ErrorCount;
        var injection = new ChemStationInjection { File = file, Kind = Kind };
        var info = root.Element("SampleInformation");
        if (info is null)
        {
            sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.MissingHeader, DiagnosticSeverity.Error,
                "Result.xml has no SampleInformation element: the sample is unknown", file, ChemStationXml.Line(root)));
            return null;
        }

        injection.SampleName = ChemStationXml.Located(info.Element("SampleName"));
        injection.Comment = ChemStationXml.Located(info.Element("SampleInfo"));
        injection.SampleId = ChemStationXml.Located(info.Element("LimsID"));
        injection.SampleType = ChemStationXml.Located(info.Element("SampleType"));
        injection.Level = ChemStationXml.Located(info.Element("CalibLevel") ?? info.Element("CalibrationLevel") ?? info.Element("Level"));
        injection.InjectionDate = ChemStationXml.Located(info.Element("InjectionDateTime"));
        injection.Operator = ChemStationXml.Located(info.Element("Operator"));
        injection.Instrument = ChemStationXml.Text(info.Element("AcqInstName")) ?? ChemStationXml.Text(root.Element("Acquisition")?.Element("InstrumentName"));
        injection.Method = ChemStationXml.Text(info.Element("Method"));
        injection.Sequence = ChemStationXml.Text(info.Element("SequencePath")) is { } sequence ? sequence[(sequence.LastIndexOf('\\') + 1)..] : null;
        injection.Dilution = ChemStationXml.Located(info.Element("Dilution"));
        foreach (var element in info.Elements())
        {
            if (ChemStationXml.Text(element) is { } text)
            {
                injection.AddProperty(element.Name.LocalName, text);
            }
        }

        if (ChemStationXml.Text(root.Element("Acquisition")?.Element("Version")) is { } version)
        {
            injection.AddProperty("Software", version);
        }

        var results = root.Element("Results");
        var quantitation = ChemStationXml.Text(results?.Element("QuantCalc"));
        if (quantitation is not null)
        {
            injection.AddProperty("QuantCalc", quantitation);
        }

        if (ChemStationXml.Text(results?.Element("QuantBase")) is { } quantBase)
        {
            injection.AddProperty("QuantBase", quantBase);
        }

        foreach (var group in results?.Elements("ResultsGroup") ?? [])
        {
            var groupSignal = ChemStationXml.Text(group.Element("ResultsGroupDescription"));
            foreach (var peak in group.Elements("Peak"))
            {
                if (ChemStationLines.TooManyErrors(context, sink, file, ChemStationXml.Line(peak) ?? 0))
                {
                    return null;
                }

                var name = ChemStationXml.Text(peak.Element("Name")) ?? string.Empty;
                var amount = peak.Element("Amount");
                var amountUnit = amount?.Attribute("Unit")?.Value.Trim();
                if (amount is not null && !string.Equals(amountUnit, "%", StringComparison.Ordinal) && !IsPercent(quantitation))
                {
                    injection.HasAmounts = true;
                }

                var errors = sink.ErrorCount;
                var row = new ChemStationPeak
                {
                    File = file,
                    Line = ChemStationXml.Line(peak) ?? 0,
                    Signal = ChemStationXml.Text(peak.Element("SignalDesc")) ?? groupSignal,
                    Compound = name,
                    State = name is "" or "?" ? PeakState.Unidentified : PeakState.Identified,
                    PeakType = peak.Element("PeakType")?.Value.Trim(),
                    RetentionTime = Number(peak.Element("MeasRetTime"), "retention time"),
                    Area = Number(peak.Element("Area"), "area"),
                    Height = Number(peak.Element("Height"), "height"),
                    AmountText = IsPercent(quantitation) ? null : amount?.Value.Trim(),
                    AmountColumn = ChemStationXml.Column(amount),
                    AmountUnit = string.IsNullOrEmpty(amountUnit) ? null : amountUnit,
                };
                if (sink.ErrorCount == errors)
                {
                    injection.Peaks.Add(row);
                }
            }
        }

        return sink.ErrorCount > errorsAtStart ? null : injection;

        double? Number(XElement? element, string what) => ChemStationXml.Double(element, element?.Value, what, file, sink);
    }

    // An area-percent (or normalised-percent) calculation gives shares of the total area, not concentrations.
    private static bool IsPercent(string? quantitation) =>
        quantitation is not null && (quantitation.StartsWith("Percent", StringComparison.OrdinalIgnoreCase) || quantitation.StartsWith("Norm", StringComparison.OrdinalIgnoreCase));
}
