using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MirtLab.Core.Catalog;

/// <summary>
/// The analytes MirtLab knows and the names instruments give them. A name is matched after trimming,
/// collapsing inner whitespace and ignoring case; an instrument's own aliases win over global ones.
/// </summary>
public sealed class AnalyteCatalog
{
    private readonly Dictionary<string, Analyte> _byCode;
    private readonly Dictionary<string, Analyte> _byAlias;
    private readonly Dictionary<(string Instrument, string Alias), Analyte> _byInstrumentAlias;

    public AnalyteCatalog(IReadOnlyList<Analyte> analytes)
    {
        Analytes = analytes;
        _byCode = new Dictionary<string, Analyte>(StringComparer.Ordinal);
        _byAlias = new Dictionary<string, Analyte>(StringComparer.Ordinal);
        _byInstrumentAlias = new Dictionary<(string, string), Analyte>();
        foreach (var analyte in analytes)
        {
            _byCode[analyte.Code] = analyte;
            if (analyte.Derivation is not null)
            {
                // Computed by MirtLab: never the name of an instrument's compound.
                continue;
            }

            _byAlias.TryAdd(Key(analyte.Code), analyte);
            _byAlias.TryAdd(Key(analyte.Name), analyte);
            foreach (var alias in analyte.Aliases)
            {
                _byAlias.TryAdd(Key(alias), analyte);
            }

            foreach (var (instrument, aliases) in analyte.InstrumentAliases)
            {
                foreach (var alias in aliases)
                {
                    _byInstrumentAlias.TryAdd((Key(instrument), Key(alias)), analyte);
                }
            }
        }
    }

    public IReadOnlyList<Analyte> Analytes { get; }

    public bool TryGetByCode(string code, [NotNullWhen(true)] out Analyte? analyte) => _byCode.TryGetValue(code, out analyte);

    /// <summary>Finds the analyte an instrument's compound name stands for.</summary>
    public bool TryResolve(string rawName, string? instrumentId, [NotNullWhen(true)] out Analyte? analyte)
    {
        var alias = Key(rawName);
        if (instrumentId is not null && _byInstrumentAlias.TryGetValue((Key(instrumentId), alias), out analyte))
        {
            return true;
        }

        return _byAlias.TryGetValue(alias, out analyte);
    }

    /// <summary>The matching key of a name: trimmed, inner whitespace collapsed to one space, upper case.</summary>
    public static string Key(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingSpace = false;
        foreach (var ch in name.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToUpperInvariant(ch));
        }

        return builder.ToString();
    }
}
