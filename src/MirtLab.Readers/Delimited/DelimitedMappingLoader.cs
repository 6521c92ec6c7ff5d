using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MirtLab.Core.Results;
using MirtLab.Core.Units;

namespace MirtLab.Readers.Delimited;

/// <summary>The outcome of loading a mapping: the mapping, or every error found (all at once, each naming its key).</summary>
public sealed record DelimitedMappingLoadResult(DelimitedMapping? Mapping, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Mapping is not null && Errors.Count == 0;
}

/// <summary>
/// Reads and validates a delimited-export mapping (JSON, comments allowed). Every problem is reported at
/// once as <c>&lt;source&gt;: &lt;key&gt;: &lt;what is wrong and what is expected&gt;</c>; a mapping with any error is refused.
/// </summary>
/// <example>
/// <code>
/// {
///   "name": "openlab-cds2-custom",
///   "signature": { "requiredColumns": [ "Sample Name", "Compound", "Amount" ] },
///   "delimiter": ",", "encoding": "auto", "culture": "en-US", "headerRow": 1,
///   "columns": { "sampleName": "Sample Name", "sampleType": "Sample Type", "analyte": "Compound",
///                "value": "Amount", "unit": "Amount Unit", "date": "Injection Date" },
///   "sampleTypes": { "Calibration": "standard", "Control": "qc" },
///   "missingValues": [ "n.a." ]
/// }
/// </code>
/// </example>
public static partial class DelimitedMappingLoader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly string[] RootKeys =
        ["name", "description", "signature", "delimiter", "encoding", "culture", "headerRow", "columns", "fixedUnit", "dateFormats", "sampleTypes", "missingValues"];

    private static readonly string[] SignatureKeys = ["firstLinePrefix", "requiredColumns"];

    private static readonly string[] ColumnKeys = ["sampleName", "sampleId", "sampleType", "analyte", "value", "unit", "nominal", "date"];

    public static DelimitedMappingLoadResult Load(byte[] json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is long line
                ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, position {ex.BytePositionInLine + 1})")
                : string.Empty;
            return new DelimitedMappingLoadResult(null, [$"{sourceName}: $: the file is not valid JSON{where}: {ex.Message}"]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new DelimitedMappingLoadResult(null, [$"{sourceName}: $: a mapping is a JSON object, not {Describe(root.ValueKind)}"]);
            }

            var reader = new Reader(sourceName, errors);
            reader.UnknownKeys(root, RootKeys, string.Empty);

            var name = reader.String(root, "name", required: true);
            if (name is not null && !NamePattern().IsMatch(name))
            {
                errors.Add($"{sourceName}: name: '{name}' must be lower-case letters, digits and dashes (it becomes the format id 'delimited:{name}')");
            }

            var description = reader.String(root, "description", required: false);

            string? prefix = null;
            IReadOnlyList<string> required = [];
            if (reader.Object(root, "signature", required: false) is { } signature)
            {
                reader.UnknownKeys(signature, SignatureKeys, "signature.");
                prefix = reader.String(signature, "firstLinePrefix", required: false, path: "signature.firstLinePrefix");
                required = reader.Strings(signature, "requiredColumns", "signature.requiredColumns") ?? [];
            }

            var delimiter = ReadDelimiter(reader, root, errors, sourceName);
            var encoding = ReadEncoding(reader, root, errors, sourceName);
            var culture = ReadCulture(reader, root, errors, sourceName);
            var headerRow = ReadHeaderRow(root, errors, sourceName);

            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            if (reader.Object(root, "columns", required: true) is { } columnsElement)
            {
                reader.UnknownKeys(columnsElement, ColumnKeys, "columns.");
                foreach (var key in ColumnKeys)
                {
                    if (reader.String(columnsElement, key, required: key is "sampleName" or "analyte" or "value", path: "columns." + key) is { } column)
                    {
                        var taken = columns.FirstOrDefault(c => string.Equals(c.Value.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase));
                        if (taken.Key is not null)
                        {
                            errors.Add($"{sourceName}: columns.{key}: column '{column}' is already mapped as columns.{taken.Key}; one column has one role");
                        }

                        columns[key] = column;
                    }
                }
            }

            var fixedUnit = reader.String(root, "fixedUnit", required: false);
            if (fixedUnit is not null)
            {
                if (columns.ContainsKey("unit"))
                {
                    errors.Add($"{sourceName}: fixedUnit: give either columns.unit (a unit per row) or fixedUnit (one unit for all), not both");
                }
                else if (!UnitSpellings.TryResolve(fixedUnit, out _))
                {
                    errors.Add($"{sourceName}: fixedUnit: '{fixedUnit}' is not a concentration unit MirtLab knows (expected one of {string.Join(", ", UcumUnit.All.Select(u => u.Code))} or a spelling of one)");
                }
            }

            var dateFormats = reader.Strings(root, "dateFormats", "dateFormats") ?? [];
            if (dateFormats.Count > 0 && !columns.ContainsKey("date"))
            {
                errors.Add($"{sourceName}: dateFormats: date formats are given but columns.date names no date column");
            }

            foreach (var (format, i) in dateFormats.Select((f, i) => (f, i)))
            {
                if (!IsValidDateFormat(format))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{sourceName}: dateFormats[{i}]: '{format}' is not a .NET custom date format (e.g. 'dd.MM.yyyy HH:mm')"));
                }
            }

            var sampleTypes = ReadSampleTypes(reader, root, columns.ContainsKey("sampleType"), errors, sourceName);
            var missing = reader.Strings(root, "missingValues", "missingValues", allowEmpty: false) ?? [];

            if (errors.Count > 0)
            {
                return new DelimitedMappingLoadResult(null, errors);
            }

            return new DelimitedMappingLoadResult(
                new DelimitedMapping
                {
                    Name = name!,
                    Description = description,
                    SourceName = sourceName,
                    RequiredColumns = required,
                    FirstLinePrefix = prefix,
                    Delimiter = delimiter,
                    Encoding = encoding,
                    Culture = culture,
                    HeaderRow = headerRow,
                    SampleNameColumn = columns["sampleName"],
                    SampleIdColumn = columns.GetValueOrDefault("sampleId"),
                    SampleTypeColumn = columns.GetValueOrDefault("sampleType"),
                    SampleTypes = sampleTypes,
                    AnalyteColumn = columns["analyte"],
                    ValueColumn = columns["value"],
                    UnitColumn = columns.GetValueOrDefault("unit"),
                    FixedUnit = fixedUnit,
                    NominalColumn = columns.GetValueOrDefault("nominal"),
                    DateColumn = columns.GetValueOrDefault("date"),
                    DateFormats = dateFormats,
                    MissingValues = missing.Select(m => m.Trim()).ToHashSet(StringComparer.Ordinal),
                },
                []);
        }
    }

    private static char ReadDelimiter(Reader reader, JsonElement root, List<string> errors, string source)
    {
        var text = reader.String(root, "delimiter", required: false, trim: false);
        switch (text)
        {
            case null:
                return ',';
            case "tab":
                return '\t';
            case { Length: 1 } when text[0] is not ('"' or '\r' or '\n'):
                return text[0];
            default:
                errors.Add($"{source}: delimiter: '{text}' must be one character (',', ';', '\\t' or \"tab\") and not a quote or line break");
                return ',';
        }
    }

    private static DelimitedEncoding ReadEncoding(Reader reader, JsonElement root, List<string> errors, string source)
    {
        var text = reader.String(root, "encoding", required: false);
        switch (text?.ToLowerInvariant())
        {
            case null or "auto":
                return DelimitedEncoding.Auto;
            case "utf-8" or "utf8":
                return DelimitedEncoding.Utf8;
            case "utf-16" or "utf16":
                return DelimitedEncoding.Utf16;
            case "windows-1252" or "cp1252":
                return DelimitedEncoding.Windows1252;
            default:
                errors.Add($"{source}: encoding: '{text}' is not one of auto, utf-8, utf-16, windows-1252");
                return DelimitedEncoding.Auto;
        }
    }

    private static CultureInfo? ReadCulture(Reader reader, JsonElement root, List<string> errors, string source)
    {
        var text = reader.String(root, "culture", required: false);
        if (text is null)
        {
            return null;
        }

        if (string.Equals(text, "invariant", StringComparison.OrdinalIgnoreCase))
        {
            return CultureInfo.InvariantCulture;
        }

        try
        {
            return CultureInfo.GetCultureInfo(text, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            errors.Add($"{source}: culture: '{text}' is not a culture this system knows (e.g. 'en-US', 'de-DE', or 'invariant')");
            return null;
        }
    }

    private static int ReadHeaderRow(JsonElement root, List<string> errors, string source)
    {
        if (!root.TryGetProperty("headerRow", out var element))
        {
            return 1;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var row) && row is >= 1 and <= 1000)
        {
            return row;
        }

        errors.Add($"{source}: headerRow: {element.GetRawText()} must be a whole number from 1 to 1000 (the 1-based line with the column names)");
        return 1;
    }

    private static Dictionary<string, SampleType> ReadSampleTypes(Reader reader, JsonElement root, bool hasColumn, List<string> errors, string source)
    {
        var map = new Dictionary<string, SampleType>(StringComparer.OrdinalIgnoreCase);
        if (reader.Object(root, "sampleTypes", required: false) is not { } element)
        {
            return map;
        }

        if (!hasColumn)
        {
            errors.Add($"{source}: sampleTypes: a sample-type map is given but columns.sampleType names no column");
        }

        var codes = string.Join(", ", Enum.GetValues<SampleType>().Select(t => t.ToCode()));
        foreach (var property in element.EnumerateObject())
        {
            var word = property.Name.Trim();
            if (word.Length == 0)
            {
                errors.Add($"{source}: sampleTypes: an empty word cannot be mapped");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.String || !SampleTypeNames.TryParseCode(property.Value.GetString(), out var type))
            {
                errors.Add($"{source}: sampleTypes.{property.Name}: {property.Value.GetRawText()} is not a MirtLab sample type ({codes})");
                continue;
            }

            if (!map.TryAdd(word, type))
            {
                errors.Add($"{source}: sampleTypes.{property.Name}: the word is mapped twice (words are compared ignoring case)");
            }
        }

        return map;
    }

    private static bool IsValidDateFormat(string format)
    {
        try
        {
            var probe = new DateTime(2026, 11, 21, 8, 15, 30, DateTimeKind.Unspecified);
            var text = probe.ToString(format, CultureInfo.InvariantCulture);
            return DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>Typed access to the JSON that records an error, naming the key, for anything of the wrong shape.</summary>
    private sealed class Reader(string source, List<string> errors)
    {
        public void UnknownKeys(JsonElement element, string[] known, string prefix)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    var suggestion = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                    errors.Add(suggestion is null
                        ? $"{source}: {prefix}{property.Name}: unknown key; expected one of {string.Join(", ", known)}"
                        : $"{source}: {prefix}{property.Name}: unknown key; did you mean '{suggestion}'? (keys are case-sensitive)");
                }
            }
        }

        public string? String(JsonElement parent, string key, bool required, string? path = null, bool trim = true)
        {
            path ??= key;
            if (!parent.TryGetProperty(key, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    errors.Add($"{source}: {path}: required");
                }

                return null;
            }

            if (element.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{source}: {path}: expected a string, not {Describe(element.ValueKind)}");
                return null;
            }

            var text = element.GetString()!;
            if ((trim ? text.Trim() : text).Length == 0)
            {
                errors.Add($"{source}: {path}: must not be empty");
                return null;
            }

            return trim ? text.Trim() : text;
        }

        public JsonElement? Object(JsonElement parent, string key, bool required)
        {
            if (!parent.TryGetProperty(key, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    errors.Add($"{source}: {key}: required");
                }

                return null;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{source}: {key}: expected an object, not {Describe(element.ValueKind)}");
                return null;
            }

            return element;
        }

        public List<string>? Strings(JsonElement parent, string key, string path, bool allowEmpty = false)
        {
            if (!parent.TryGetProperty(key, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{source}: {path}: expected an array of strings, not {Describe(element.ValueKind)}");
                return null;
            }

            var list = new List<string>();
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || (!allowEmpty && item.GetString()!.Trim().Length == 0))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{source}: {path}[{i}]: expected a non-empty string, not {item.GetRawText()}"));
                }
                else
                {
                    list.Add(item.GetString()!.Trim());
                }

                i++;
            }

            return list;
        }
    }
}
