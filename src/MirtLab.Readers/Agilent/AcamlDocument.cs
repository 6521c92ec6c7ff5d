using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MirtLab.Core.Diagnostics;

namespace MirtLab.Readers.Agilent;

/// <summary>
/// An ACAML export (Agilent Common Analytical Markup Language; <c>sample.acaml</c>, UTF-8 with BOM, namespace
/// <c>urn:schemas-agilent-com:acaml13</c>/<c>14</c>/<c>15</c>) of one injection. Values stand in <c>val</c> attributes,
/// where <c>-1</c> means "not set". The sample (<c>SampleParams/IdentParam</c>, <c>DAParam/Type</c>) and the injection
/// (<c>Injections/MeasData</c>, <c>Injections/Result</c>) are linked by <c>id</c> references; quantitation stands under
/// <c>InjectionCompound</c> (<c>CompoundName</c>, <c>Type</c>, <c>Amount val unit</c>, <c>IsInternalStandard</c>), each
/// linked to its peak (<c>Peak_ID</c>) and the peak to its signal (<c>Signal_ID</c>).
/// </summary>
internal static partial class AcamlDocument
{
    public const string Kind = "ACAML export";

    private static readonly int[] SupportedVersions = [13, 14, 15];

    /// <summary>True when a file's decoded start is an ACAML document (any version; unsupported ones are refused in <see cref="Read"/>).</summary>
    public static bool Looks(ProbedFile file) =>
        file.Head.Contains("<ACAML", StringComparison.Ordinal) && file.Head.Contains("urn:schemas-agilent-com:acaml", StringComparison.Ordinal);

    /// <summary>True when the document holds an injection result (a method or sequence ACAML does not).</summary>
    public static bool HasInjectionResult(XDocument document) =>
        document.Descendants().Any(e => e.Name.LocalName == "Result" && e.Parent?.Name.LocalName == "Injections");

    public static ChemStationInjection? Read(XDocument document, string? file, ReaderContext context, IReadSink sink)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "ACAML")
        {
            return Fail(DiagnosticCodes.MalformedXml, $"the root element is '{root.Name.LocalName}', not 'ACAML'", root);
        }

        var version = AcamlNamespace().Match(root.Name.NamespaceName);
        if (!version.Success || !SupportedVersions.Contains(int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture)))
        {
            return Fail(DiagnosticCodes.UnsupportedAcamlVersion,
                $"the ACAML namespace is '{root.Name.NamespaceName}'; MirtLab reads urn:schemas-agilent-com:acaml13, acaml14 and acaml15, whose result layout it knows",
                root);
        }

        XNamespace ns = root.Name.NamespaceName;
        var doc = root.Element(ns + "Doc");
        var content = doc?.Element(ns + "Content");
        if (content is null)
        {
            return Fail(DiagnosticCodes.MissingHeader, "the ACAML document has no Doc/Content element", root);
        }

        var errorsAtStart = sink.ErrorCount;
        var injection = new ChemStationInjection { File = file, Kind = Kind };
        // Reference elements (IdentParam_ID, Peak_ID, …) carry the id they point to; only their targets are indexed.
        var byId = content.Descendants()
            .Where(e => e.Attribute("id") is not null && !e.Name.LocalName.EndsWith("_ID", StringComparison.Ordinal))
            .GroupBy(e => e.Attribute("id")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var results = content.Element(ns + "Injections")?.Elements(ns + "Result").ToList() ?? [];
        if (results.Count == 0)
        {
            return Fail(DiagnosticCodes.NoResults, "the ACAML document holds no injection result (Injections/Result): it is a method or sequence file, not a sample's results", content);
        }

        if (results.Count > 1)
        {
            return Fail(DiagnosticCodes.SeveralInjections,
                string.Create(CultureInfo.InvariantCulture, $"the ACAML document holds {results.Count} injection results; MirtLab reads one injection per file (export each sample on its own)"),
                results[1]);
        }

        var result = results[0];
        var sampleResults = content.Element(ns + "Samples")?.Elements(ns + "Result").ToList() ?? [];
        if (sampleResults.Count > 1)
        {
            return Fail(DiagnosticCodes.SeveralInjections,
                string.Create(CultureInfo.InvariantCulture, $"the ACAML document holds {sampleResults.Count} samples; MirtLab reads one sample per file"),
                sampleResults[1]);
        }

        var sampleResult = sampleResults.FirstOrDefault();
        var sampleSetup = content.Element(ns + "Samples")?.Element(ns + "Setup");
        var sampleParams = content.Element(ns + "SampleParams");
        var ident = Referenced(sampleResult, "IdentParam_ID") ?? Referenced(sampleSetup, "IdentParam_ID") ?? sampleParams?.Element(ns + "IdentParam");
        var daParam = Referenced(sampleResult, "DAParam_ID") ?? Referenced(sampleSetup, "DAParam_ID") ?? sampleParams?.Element(ns + "DAParam");
        var acqParam = Referenced(sampleSetup, "AcqParam_ID") ?? sampleParams?.Element(ns + "AcqParam");
        var measData = Referenced(result, "InjectionMeasData_ID") ?? content.Element(ns + "Injections")?.Element(ns + "MeasData");

        injection.SampleName = ChemStationXml.Located(ident?.Element(ns + "Name"));
        injection.Comment = ChemStationXml.Located(ident?.Element(ns + "Description"));
        injection.SampleId = ident?.Elements(ns + "LimsID").Select(ChemStationXml.Located).FirstOrDefault(l => l is not null);
        Property("Barcode", ChemStationXml.Text(ident?.Element(ns + "Barcode")));
        injection.SampleType = ChemStationXml.Located(daParam?.Element(ns + "Type"));
        injection.Level = Set(daParam?.Element(ns + "CalibrationLevel"));
        injection.Dilution = daParam?.Elements(ns + "DilutionFactor").Select(d => Set(d.Element(ns + "CorrectionFactor"))).FirstOrDefault(v => v is not null);
        Property("Multiplier", daParam?.Elements(ns + "Multiplier").Select(d => Set(d.Element(ns + "CorrectionFactor"))).FirstOrDefault(v => v is not null)?.Text);
        Property("Sample Amount", Set(daParam?.Element(ns + "SampleAmount"))?.Text);
        Property("Vial", ChemStationXml.Text(acqParam?.Element(ns + "VialNumber")));
        Property("Injection Volume", Set(acqParam?.Element(ns + "InjectionVolume"))?.Text);
        injection.Instrument = ChemStationXml.Text(content.Element(ns + "Resources")?.Element(ns + "Instrument")?.Element(ns + "Name"));
        injection.Operator = ChemStationXml.Located(measData?.Element(ns + "Info")?.Element(ns + "CreatedBy")?.Element(ns + "Username"));
        Property("ACAML", root.Name.NamespaceName);
        Property("Created by", string.Join(' ', doc?.Element(ns + "DocInfo")?.Element(ns + "CreatedByApplication")?.Descendants()
            .Where(e => !e.HasElements).Select(e => e.Value.Trim()).Where(t => t.Length > 0) ?? []));
        Property("Acquisition software", ChemStationXml.Text(measData?.Element(ns + "AcquisitionSoftware")));

        var method = Referenced(Referenced(result, "DAParam_ID"), "Method_ID")
            ?? content.Elements(ns + "Method").FirstOrDefault(m => m.Element(ns + "QuantitationMethod") is not null);
        injection.Method = ChemStationXml.Text(method?.Element(ns + "Name"));
        var quantitation = ChemStationXml.Text(method?.Element(ns + "QuantitationMethod"));
        Property("Quantitation", quantitation);
        var percent = quantitation is not null && quantitation.Contains('%', StringComparison.Ordinal);

        ReadInjectionTime(measData?.Element(ns + "Info")?.Element(ns + "CreatedDate"), doc?.Element(ns + "DocInfo")?.Element(ns + "CreationDate"));

        var signals = measData?.Elements(ns + "Signal")
            .Where(s => s.Attribute("id") is not null)
            .ToDictionary(s => s.Attribute("id")!.Value, s => ChemStationXml.Text(s.Element(ns + "Description")) ?? ChemStationXml.Text(s.Element(ns + "Name")), StringComparer.Ordinal)
            ?? [];
        var peaks = new Dictionary<string, (XElement Peak, string? Signal)>(StringComparer.Ordinal);
        foreach (var signalResult in result.Elements(ns + "SignalResult"))
        {
            var signalId = signalResult.Element(ns + "Signal_ID")?.Attribute("id")?.Value;
            var signal = signalId is not null && signals.TryGetValue(signalId, out var description) ? description : null;
            foreach (var peak in signalResult.Elements(ns + "Peak"))
            {
                if (peak.Attribute("id")?.Value is { } id)
                {
                    peaks[id] = (peak, signal);
                }
            }
        }

        foreach (var compound in result.Elements(ns + "InjectionCompound"))
        {
            if (ChemStationLines.TooManyErrors(context, sink, file, ChemStationXml.Line(compound) ?? 0))
            {
                return null;
            }

            var row = ReadCompound(compound, percent);
            if (row is not null)
            {
                injection.Peaks.Add(row);
                injection.HasAmounts |= row.State == PeakState.Identified && !percent && compound.Element(ns + "Amount") is not null;
            }
        }

        return sink.ErrorCount > errorsAtStart ? null : injection;

        ChemStationPeak? ReadCompound(XElement compound, bool percent)
        {
            var name = ChemStationXml.Text(compound.Element(ns + "IdentifiedCompound")?.Element(ns + "CompoundName")) ?? string.Empty;
            var typeElement = compound.Element(ns + "Type");
            var type = ChemStationXml.Text(typeElement);
            var flags = new List<string>();
            PeakState state;
            switch (type)
            {
                case "Expected":
                    state = PeakState.Identified;
                    break;
                case "ManuallyIdentifiedExpected":
                    state = PeakState.Identified;
                    flags.Add("ACAML: compound identified by hand (ManuallyIdentifiedExpected)");
                    break;
                case "UncalibratedExpected":
                    state = PeakState.Identified;
                    flags.Add("ACAML: compound not calibrated (UncalibratedExpected); its amount is not a calibrated concentration");
                    break;
                case "NotIdentifiedExpected":
                    state = PeakState.NotFound;
                    break;
                case "ManuallyUnidentifiedExpected":
                    state = PeakState.NotFound;
                    flags.Add("ACAML: compound un-identified by hand (ManuallyUnidentifiedExpected)");
                    break;
                case "Unknown":
                    state = PeakState.Unidentified;
                    break;
                case "Group" or "PeakSum":
                    state = PeakState.NotAnAnalyte;
                    break;
                default:
                    Fail(DiagnosticCodes.UnknownCompoundType,
                        $"compound '{name}' has Type '{type}', which MirtLab does not know (Expected, NotIdentifiedExpected, ManuallyIdentifiedExpected, " +
                        "ManuallyUnidentifiedExpected, UncalibratedExpected, Unknown, Group, PeakSum): whether it was found cannot be told",
                        typeElement ?? compound);
                    return null;
            }

            if (state == PeakState.Identified && name.Length == 0)
            {
                state = PeakState.Unidentified;
            }

            var peakId = compound.Element(ns + "Identification")?.Descendants(ns + "Peak_ID").FirstOrDefault()?.Attribute("id")?.Value;
            var (peak, signal) = peakId is not null && peaks.TryGetValue(peakId, out var found) ? found : (null, null);
            var amount = compound.Element(ns + "Amount");
            var amountValue = amount?.Attribute("val")?.Value.Trim();
            string? amountText = null;
            if (!percent && amount is not null && type != "UncalibratedExpected")
            {
                if (amountValue == "-1")
                {
                    flags.Add("ACAML: amount not set (-1)");
                }
                else
                {
                    amountText = amountValue;
                }
            }

            var errors = sink.ErrorCount;
            var row = new ChemStationPeak
            {
                File = file,
                Line = ChemStationXml.Line(compound) ?? 0,
                Signal = signal,
                Compound = name,
                State = state,
                PeakType = ChemStationXml.Text(peak?.Element(ns + "BaselineCode")),
                RetentionTime = Value(peak, "RetentionTime", "retention time"),
                Area = Value(peak, "Area", "area") ?? Value(compound, "Area", "area"),
                Height = Value(peak, "Height", "height") ?? Value(compound, "Height", "height"),
                AmountText = amountText,
                AmountColumn = ChemStationXml.Column(amount),
                AmountUnit = amount?.Attribute("unit")?.Value.Trim() is { Length: > 0 } unit ? unit : null,
                IsInternalStandard = string.Equals(ChemStationXml.Text(compound.Element(ns + "IsInternalStandard")), "true", StringComparison.OrdinalIgnoreCase),
            };
            row.Flags.AddRange(flags);
            return sink.ErrorCount > errors ? null : row;
        }

        double? Value(XElement? parent, string element, string what)
        {
            var e = parent?.Element(ns + element);
            var text = e?.Attribute("val")?.Value;
            return text is null or "-1" ? null : ChemStationXml.Double(e, text, what, file, sink);
        }

        ChemStationText? Set(XElement? element)
        {
            var text = element?.Attribute("val")?.Value.Trim();
            return string.IsNullOrEmpty(text) || text == "-1" ? null : new ChemStationText(text, ChemStationXml.Line(element), ChemStationXml.Column(element));
        }

        XElement? Referenced(XElement? from, string reference) =>
            from?.Element(ns + reference)?.Attribute("id")?.Value is { } id && byId.TryGetValue(id, out var target) ? target : null;

        void Property(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                injection.AddProperty(key, value);
            }
        }

        void ReadInjectionTime(XElement? created, XElement? documentCreated)
        {
            var text = ChemStationXml.Text(created);
            if (text is null)
            {
                return;
            }

            injection.AddProperty("Injection time (as written)", text);
            injection.InjectionDate = new ChemStationText(text, ChemStationXml.Line(created), ChemStationXml.Column(created));
            if (!ZoneDesignator().IsMatch(text))
            {
                if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var unzoned))
                {
                    injection.AcquiredLocal = DateTime.SpecifyKind(unzoned, DateTimeKind.Unspecified);
                }

                return;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                return;
            }

            var exportText = ChemStationXml.Text(documentCreated);
            if (instant.Offset != TimeSpan.Zero)
            {
                injection.AcquiredLocal = instant.DateTime;
            }
            else if (exportText is not null && !exportText.EndsWith('Z') && ZoneDesignator().IsMatch(exportText)
                && DateTimeOffset.TryParse(exportText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exported))
            {
                // ACAML stores the injection in UTC; the export's own time stamp carries the PC's offset ("Z" carries none).
                injection.AcquiredLocal = instant.ToOffset(exported.Offset).DateTime;
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.AcquisitionTimeNote, DiagnosticSeverity.Info,
                    string.Create(CultureInfo.InvariantCulture,
                        $"the injection time {text} is UTC; it is read as {injection.AcquiredLocal:yyyy-MM-dd HH:mm:ss} local time with the offset of the export's CreationDate ({exportText}); a daylight-saving change between injection and export would shift it by an hour"),
                    file, ChemStationXml.Line(created)));
            }
            else
            {
                sink.OnDiagnostic(new Diagnostic(DiagnosticCodes.AcquisitionTimeNote, DiagnosticSeverity.Info,
                    $"the injection time {text} is UTC and the export states no local offset; the acquisition time is left empty (the UTC time is kept in the run properties)",
                    file, ChemStationXml.Line(created)));
            }
        }

        ChemStationInjection? Fail(string code, string message, XObject at)
        {
            sink.OnDiagnostic(new Diagnostic(code, DiagnosticSeverity.Error, message, file, ChemStationXml.Line(at), ChemStationXml.Column(at)));
            return null;
        }
    }

    [GeneratedRegex(@"^urn:schemas-agilent-com:acaml(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex AcamlNamespace();

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneDesignator();
}
