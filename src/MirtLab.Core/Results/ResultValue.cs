using System.Globalization;

namespace MirtLab.Core.Results;

/// <summary>What kind of value a result holds. Only <see cref="Number"/> carries a measured number.</summary>
public enum ValueKind
{
    /// <summary>A measured number.</summary>
    Number,

    /// <summary>Below a limit, reported as "&lt;limit" (below the LLOQ).</summary>
    BelowLimit,

    /// <summary>Above a limit, reported as "&gt;limit" (above the ULOQ: dilute and repeat).</summary>
    AboveLimit,

    /// <summary>The instrument found no peak (<c>No Peak</c>, <c>ND</c>).</summary>
    NotDetected,

    /// <summary>The instrument gave no value (<c>N/A</c>, <c>#DIV/0!</c>, empty, <c>?</c>).</summary>
    NoValue,

    /// <summary>The instrument gave something that cannot be reported (<c>Infinity</c>).</summary>
    NotReportable,
}

/// <summary>
/// A result's value: a number, a limit it lies beyond, or the reason there is no number.
/// There is deliberately no way to make "no value" into 0.
/// </summary>
public readonly record struct ResultValue
{
    private ResultValue(ValueKind kind, decimal? number, decimal? limit, string? token)
    {
        Kind = kind;
        Number = number;
        Limit = limit;
        Token = token;
    }

    public ValueKind Kind { get; }

    /// <summary>The measured number; null unless <see cref="Kind"/> is <see cref="ValueKind.Number"/>.</summary>
    public decimal? Number { get; }

    /// <summary>The limit of a <see cref="ValueKind.BelowLimit"/> or <see cref="ValueKind.AboveLimit"/> value.</summary>
    public decimal? Limit { get; }

    /// <summary>The instrument's token for a value that is not a number (<c>No Peak</c>), kept for the audit.</summary>
    public string? Token { get; }

    public bool IsNumber => Kind == ValueKind.Number;

    /// <summary>The qualifier as MirtLab's JSON writes it: null for a number, <c>&lt;</c>, <c>&gt;</c>, <c>not-detected</c>, <c>no-value</c>, <c>not-reportable</c>.</summary>
    public string? Qualifier => Kind switch
    {
        ValueKind.Number => null,
        ValueKind.BelowLimit => "<",
        ValueKind.AboveLimit => ">",
        ValueKind.NotDetected => "not-detected",
        ValueKind.NoValue => "no-value",
        ValueKind.NotReportable => "not-reportable",
        _ => throw new InvalidOperationException($"Unknown value kind {Kind}."),
    };

    public static ResultValue FromNumber(decimal number) => new(ValueKind.Number, number, null, null);

    public static ResultValue Below(decimal limit) => new(ValueKind.BelowLimit, null, limit, null);

    public static ResultValue Above(decimal limit) => new(ValueKind.AboveLimit, null, limit, null);

    public static ResultValue NotDetected(string token) => new(ValueKind.NotDetected, null, null, token);

    public static ResultValue NoValue(string token) => new(ValueKind.NoValue, null, null, token);

    public static ResultValue NotReportable(string token) => new(ValueKind.NotReportable, null, null, token);

    /// <summary>Parses a qualifier written by <see cref="Qualifier"/> back, for stored documents.</summary>
    public static ResultValue FromParts(string? qualifier, decimal? number, decimal? limit, string? token) => qualifier switch
    {
        null => FromNumber(number ?? throw new FormatException("A value without qualifier needs a number.")),
        "<" => Below(limit ?? throw new FormatException("A '<' value needs a limit.")),
        ">" => Above(limit ?? throw new FormatException("A '>' value needs a limit.")),
        "not-detected" => NotDetected(token ?? string.Empty),
        "no-value" => NoValue(token ?? string.Empty),
        "not-reportable" => NotReportable(token ?? string.Empty),
        _ => throw new FormatException($"Unknown qualifier '{qualifier}'."),
    };

    /// <summary>The value as a report shows it, with <paramref name="format"/> applied to numbers and limits.</summary>
    public string Display(Func<decimal, string> format) => Kind switch
    {
        ValueKind.Number => format(Number!.Value),
        ValueKind.BelowLimit => "<" + format(Limit!.Value),
        ValueKind.AboveLimit => ">" + format(Limit!.Value),
        ValueKind.NotDetected => "Not detected",
        ValueKind.NoValue => "No value",
        ValueKind.NotReportable => "Not reportable",
        _ => throw new InvalidOperationException($"Unknown value kind {Kind}."),
    };

    public override string ToString() => Display(n => n.ToString(CultureInfo.InvariantCulture));
}
