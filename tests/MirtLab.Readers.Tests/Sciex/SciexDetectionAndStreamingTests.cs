using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers.Sciex;
using MirtLab.Testing;
using static MirtLab.Readers.Tests.Sciex.SciexTestFiles;

namespace MirtLab.Readers.Tests.Sciex;

public sealed class SciexDetectionAndStreamingTests
{
    private static readonly IInstrumentReader[] SciexReaders = [new SciexAnalystResultsReader(), new SciexMultiQuantResultsReader(), new SciexOsResultsReader()];

    public static TheoryData<string, string> GoldenInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (group, format) in new[]
        {
            ("sciex-analyst", SciexAnalystResultsReader.Id),
            ("sciex-multiquant", SciexMultiQuantResultsReader.Id),
            ("sciex-os", SciexOsResultsReader.Id),
        })
        {
            foreach (var name in Golden.Cases("MirtLab.Readers.Tests", group))
            {
                data.Add($"{group}/{name}", format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenInputs))]
    public void SciexProbes_EachGoldenInput_IsClaimedByItsOwnReaderAloneWithEveryOtherSciexReaderAtZero(string @case, string format)
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", @case);
        var probe = SourceProbe.Create(ReadSource.FromPath(Golden.Input(folder)));

        foreach (var reader in SciexReaders)
        {
            var score = reader.Probe(probe);
            Assert.True(reader.FormatId == format ? score > 0 : score == 0, $"{reader.FormatId} scores {score} for {@case}");
        }

        Assert.Equal(format, new FormatDetector(ReaderRegistry.BuiltIn()).Detect(ReadSource.FromPath(Golden.Input(folder))).Reader?.FormatId);
    }

    [Fact]
    public void SciexProbes_MultiQuantStyleHeaderWithOneSciexOsColumn_GoesToSciexOsOnly()
    {
        var probe = SourceProbe.Create(Source(Row("Sample Name", "Component Name", "Calculated Concentration", "Reportable"), Row("A", "B", "1", "TRUE")));

        Assert.Equal([0, 0, 95], SciexReaders.Select(r => r.Probe(probe)));
    }

    [Fact]
    public void SciexProbes_CommaSeparatedComponentTable_IsNotClaimed()
    {
        var probe = SourceProbe.Create(Source("Sample Name,Component Name,Calculated Concentration", "A,B,1"));

        Assert.All(SciexReaders, r => Assert.Equal(0, r.Probe(probe)));
    }

    [Fact]
    public void SciexOsReader_LargeExport_PushesResultsLongBeforeTheEndOfTheFile()
    {
        var text = new StringBuilder(Row("Sample Name", "Sample Index", "Sample Type", "Component Name", "Component Type", "Calculated Concentration", "Reportable")).Append('\n');
        for (var i = 1; i <= 20_000; i++)
        {
            text.Append(Row($"P-{i}", $"{i}", "Unknown", "Mirtazapine", "Quantifiers", "39.7", "TRUE")).Append('\n');
        }

        AssertStreams(new SciexOsResultsReader(), Encoding.UTF8.GetBytes(text.ToString()), 20_000);
    }

    [Fact]
    public void AnalystReader_LargeExport_PushesResultsLongBeforeTheEndOfTheFile()
    {
        var text = new StringBuilder(Row("Sample Name", "Filetype", "Peak Name", "Calc.Conc.", string.Empty)).Append("\r\n");
        for (var i = 1; i <= 20_000; i++)
        {
            text.Append(Row($"P-{i}", "Unknown", "Mirtazapine", "39.7", string.Empty)).Append("\r\n");
        }

        AssertStreams(new SciexAnalystResultsReader(), Encoding.ASCII.GetBytes(text.ToString()), 20_000);
    }

    private static void AssertStreams(IInstrumentReader reader, byte[] bytes, int rows)
    {
        var opened = new List<CountingStream>();
        var source = new ReadSource("big.txt", false, [new SourceFile("big.txt", bytes.Length, () =>
        {
            var stream = new CountingStream(bytes);
            opened.Add(stream);
            return stream;
        })]);
        var sink = new FirstResultSink(() => opened[^1].BytesRead);

        reader.Read(source, Context(), sink);

        Assert.Equal(rows, sink.Results);
        Assert.Equal(0, sink.ErrorCount);
        // The encoding check reads the file once; the reading pass must not have reached the end when the first result is out.
        Assert.True(sink.BytesReadAtFirstResult < bytes.Length / 4, $"{sink.BytesReadAtFirstResult} of {bytes.Length} bytes read before the first result");
    }

    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = base.Read(buffer);
            BytesRead += n;
            return n;
        }
    }

    private sealed class FirstResultSink(Func<long> bytesRead) : IReadSink
    {
        public int Results { get; private set; }

        public long BytesReadAtFirstResult { get; private set; } = -1;

        public int ErrorCount { get; private set; }

        public void OnRunInfo(RunInfo info)
        {
        }

        public void OnResult(InstrumentResult result)
        {
            if (Results++ == 0)
            {
                BytesReadAtFirstResult = bytesRead();
            }
        }

        public void OnDiagnostic(Diagnostic diagnostic)
        {
            if (diagnostic.IsError)
            {
                ErrorCount++;
            }
        }
    }
}
