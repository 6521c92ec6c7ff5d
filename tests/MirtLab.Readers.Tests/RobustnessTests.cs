using System.Diagnostics;
using System.Globalization;
using System.Text;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Rules;
using MirtLab.Core.Runs;
using MirtLab.Testing;

namespace MirtLab.Readers.Tests;

/// <summary>
/// Seeded mutations of every golden input, through detection, the reader and the evaluator: each must end in
/// results or diagnostics, never an exception or a hang. The seeds are fixed, so a failure reproduces.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly Lazy<RuleSet> Rules = new(() =>
        RuleSetLoader.Load(File.ReadAllBytes(Path.Combine(RepoPaths.Config, "rules.json"))).RuleSet!);

    private static readonly string[] Mutations = ["truncate", "drop-column", "duplicate-column", "swap-separators", "swap-decimal-marks", "flip-bytes", "long-line", "shuffle-lines"];

    [Theory]
    [MemberData(nameof(GoldenReaderTests.AllCases), MemberType = typeof(GoldenReaderTests))]
    public void MutatedGoldenInput_EndsInResultsOrDiagnostics_NeverAnException(string group, string name)
    {
        var input = Golden.Input(Golden.CaseFolder("MirtLab.Readers.Tests", group, name));
        var files = Directory.Exists(input)
            ? Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (Path.GetRelativePath(input, f).Replace('\\', '/'), File.ReadAllBytes(f))).ToList()
            : [(Path.GetFileName(input), File.ReadAllBytes(input))];

        var seeds = int.TryParse(Environment.GetEnvironmentVariable("MIRTLAB_TEST_ROBUSTNESS_SEEDS"), CultureInfo.InvariantCulture, out var n) ? n : 3;
        for (var seed = 0; seed < seeds; seed++)
        {
            foreach (var mutation in Mutations)
            {
                // string.GetHashCode is randomised per process; a failure must reproduce, so the seed is derived stably.
                var random = new Random(StableSeed($"{group}/{name}/{mutation}/{seed}"));
                var victim = random.Next(files.Count);
                var mutated = files.Select((f, i) => i == victim ? (f.Item1, Mutate(f.Item2, mutation, random)) : f).ToList();
                var source = new ReadSource(
                    files.Count == 1 && !Directory.Exists(input) ? "input" : "input.D",
                    Directory.Exists(input),
                    mutated.Select(f => new SourceFile(f.Item1, f.Item2.Length, () => new MemoryStream(f.Item2, writable: false))).ToList());
                AssertEndsCleanly(source, $"{group}/{name} {mutation} seed {seed}");
            }
        }
    }

    [Fact]
    public void TwoHundredMegabyteExport_IsReadStreaming_WithoutMemoryGrowingWithTheFile()
    {
        using var folder = new TempFolder("mirtlab-200mb");
        var path = folder.Combine("plate-200mb.txt");
        var rows = WriteLargeAnalystExport(path, 200L * 1024 * 1024);
        var sink = new CountingSink(sampleEvery: 20_000);

        var source = ReadSource.FromFile(path);
        var reader = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(source).Reader!;
        var stopwatch = Stopwatch.StartNew();
        reader.Read(source, new ReaderContext { InstrumentId = "test", Culture = CultureInfo.GetCultureInfo("en-US") }, sink);

        Assert.Equal(0, sink.ErrorCount);
        Assert.Equal(rows, sink.Results);
        // The text alone would be 400 MB as .NET strings: a reader that kept it would blow far past this.
        var growth = sink.PeakHeap - sink.HeapAtFirstSample;
        Assert.True(growth < 96L * 1024 * 1024, FormattableString.Invariant($"managed heap grew by {growth / (1024 * 1024)} MB while streaming {rows} rows ({stopwatch.Elapsed.TotalSeconds:0.0} s)"));
    }

    private static void AssertEndsCleanly(ReadSource source, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var task = Task.Run(() =>
        {
            var detection = new FormatDetector(ReaderRegistry.BuiltIn()).Detect(source);
            if (detection.Reader is null)
            {
                Assert.NotNull(detection.Problem);
                return;
            }

            var output = new ReadOutput { FormatId = detection.Reader.FormatId };
            detection.Reader.Read(source, new ReaderContext { InstrumentId = "test", Culture = CultureInfo.GetCultureInfo("en-US"), CancellationToken = timeout.Token }, output);
            var run = RunEvaluator.Evaluate(
                new RunInput(new RunIdentity(new string('0', 64), source.Name, detection.Reader.FormatId, "test"), output.RunInfo, output.Results, TimeZoneInfo.Utc, output.Diagnostics),
                Rules.Value);
            Assert.True(run.Results.Count > 0 || run.Diagnostics.Count > 0, $"{what}: neither results nor diagnostics");
            Assert.All(run.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message), $"{what}: a diagnostic without a message"));
        }, timeout.Token);
        try
        {
            task.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException ex)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {ex.InnerException}");
        }

        Assert.True(task.IsCompleted, $"{what}: did not finish within 30 s");
    }

    private static byte[] Mutate(byte[] bytes, string mutation, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        switch (mutation)
        {
            case "truncate":
                return bytes[..random.Next(bytes.Length)];
            case "flip-bytes":
                var flipped = (byte[])bytes.Clone();
                for (var i = 0; i < 1 + (bytes.Length / 200); i++)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                return flipped;
            case "long-line":
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], .. Encoding.ASCII.GetBytes(new string('7', (1 << 20) + 10)), .. bytes[at..]];
        }

        // Text-level mutations work on the decoded text and write it back in the same encoding.
        var (encoding, preamble) = Detect(bytes);
        var text = encoding.GetString(bytes, preamble, bytes.Length - preamble);
        var lines = text.Split('\n');
        var delimiter = text.Count(c => c == '\t') >= text.Count(c => c == ',') ? '\t' : ',';
        string result;
        switch (mutation)
        {
            case "drop-column":
            case "duplicate-column":
                var column = random.Next(1, 6);
                result = string.Join('\n', lines.Select(line =>
                {
                    var fields = line.Split(delimiter).ToList();
                    if (fields.Count > column)
                    {
                        if (mutation == "drop-column")
                        {
                            fields.RemoveAt(column);
                        }
                        else
                        {
                            fields.Insert(column, fields[column]);
                        }
                    }

                    return string.Join(delimiter, fields);
                }));
                break;
            case "swap-separators":
                result = text.Replace('\t', '\u0001').Replace(',', '\t').Replace('\u0001', ',').Replace(';', ',');
                break;
            case "swap-decimal-marks":
                result = new string(text.Select(c => c == '.' ? ',' : c == ',' ? '.' : c).ToArray());
                break;
            default:
                var shuffled = lines.ToArray();
                for (var i = 0; i < Math.Min(5, shuffled.Length); i++)
                {
                    var a = random.Next(shuffled.Length);
                    var b = random.Next(shuffled.Length);
                    (shuffled[a], shuffled[b]) = (shuffled[b], shuffled[a]);
                }

                result = string.Join('\n', shuffled);
                break;
        }

        return [.. bytes[..preamble], .. encoding.GetBytes(result)];
    }

    private static int StableSeed(string text) =>
        BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text))) & 0x7fffffff;

    private static (Encoding Encoding, int Preamble) Detect(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? (Encoding.Unicode, 2)
        : bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? (Encoding.UTF8, 3)
        : (Text.TextDecoder.Windows1252, 0);

    /// <summary>Writes the plate export's header and rows again and again (new injection names and times) until the file reaches the size.</summary>
    private static int WriteLargeAnalystExport(string path, long size)
    {
        var plate = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "MirtLab.Readers.Tests", "Golden", "sciex-analyst", "mirtazapine-plate", "input.txt"), Text.TextDecoder.Windows1252);
        var headerIndex = Array.FindIndex(plate, l => l.StartsWith("Sample Name\t", StringComparison.Ordinal));
        var body = plate[(headerIndex + 1)..].Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var dateColumn = Array.IndexOf(plate[headerIndex].Split('\t'), "Date Of Acq.");
        using var writer = new StreamWriter(path, false, Text.TextDecoder.Windows1252, 1 << 20) { NewLine = "\r\n" };
        foreach (var line in plate[..(headerIndex + 1)])
        {
            writer.WriteLine(line);
        }

        var rows = 0;
        var time = new DateTime(2026, 1, 1, 0, 0, 0);
        for (var copy = 0; writer.BaseStream.Length < size; copy++)
        {
            foreach (var fields in body)
            {
                var f = (string[])fields.Clone();
                f[0] = FormattableString.Invariant($"{f[0]} #{copy}");
                f[dateColumn] = time.AddSeconds(rows / 2).ToString("dd-MMM-yyyy H:mm:ss", CultureInfo.InvariantCulture);
                writer.WriteLine(string.Join('\t', f));
                rows++;
            }
        }

        return rows;
    }

    /// <summary>Counts what a reader pushes without keeping it, and samples the managed heap as it goes.</summary>
    private sealed class CountingSink(int sampleEvery) : IReadSink
    {
        public int Results { get; private set; }

        public int ErrorCount { get; private set; }

        public long PeakHeap { get; private set; }

        public long HeapAtFirstSample { get; private set; } = -1;

        public void OnRunInfo(RunInfo info)
        {
        }

        public void OnResult(InstrumentResult result)
        {
            if (++Results % sampleEvery == 0)
            {
                var heap = GC.GetTotalMemory(forceFullCollection: true);
                HeapAtFirstSample = HeapAtFirstSample < 0 ? heap : HeapAtFirstSample;
                PeakHeap = Math.Max(PeakHeap, heap);
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
