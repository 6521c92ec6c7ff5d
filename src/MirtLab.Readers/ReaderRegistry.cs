using MirtLab.Readers.Sciex;

namespace MirtLab.Readers;

/// <summary>The readers MirtLab ships with.</summary>
public static class ReaderRegistry
{
    public static IReadOnlyList<IInstrumentReader> BuiltIn() =>
    [
        new SciexAnalystResultsReader(),
    ];
}
