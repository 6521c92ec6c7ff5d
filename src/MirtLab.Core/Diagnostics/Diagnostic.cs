namespace MirtLab.Core.Diagnostics;

/// <summary>How much a diagnostic matters: an error rejects the whole input, a warning holds the results it touches.</summary>
public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One finding about an input, located so a technician can open the file at the place it names.
/// </summary>
/// <param name="Code">Stable code from <see cref="DiagnosticCodes"/>; operators filter and count by it.</param>
/// <param name="Severity">Error rejects the input as a whole; warning holds what it touches.</param>
/// <param name="Message">What was found and what was expected.</param>
/// <param name="File">Path relative to the dropped item (a .D folder holds several files); null for a single file.</param>
/// <param name="Line">1-based line, null when the finding is not about one line.</param>
/// <param name="Column">1-based column (field index for delimited text, character for fixed width), null when unknown.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    string? File = null,
    int? Line = null,
    int? Column = null)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        var where = (File, Line, Column) switch
        {
            (null, null, _) => string.Empty,
            (null, int l, null) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {l}: "),
            (null, int l, int c) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {l}, column {c}: "),
            (string f, null, _) => $"{f}: ",
            (string f, int l, null) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f} line {l}: "),
            (string f, int l, int c) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f} line {l}, column {c}: "),
        };
        return $"{Code} {Severity.ToString().ToUpperInvariant()} {where}{Message}";
    }
}
