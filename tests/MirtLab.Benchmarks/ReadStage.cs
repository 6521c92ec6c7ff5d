using System.Diagnostics;
using CsvHelper;
using MirtLab.Core.Diagnostics;
using MirtLab.Core.Results;
using MirtLab.Core.Runs;
using MirtLab.Readers;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Processing;

namespace MirtLab.Benchmarks;

/// <summary>
/// Stage 1. MirtLab reading a file (detect, parse; then with normalising, judging and flagging as the ingest does)
/// against CsvHelper 34's tokenizer enumerating every field of the same file as UTF-8 spans, converting nothing.
/// </summary>
internal static class ReadStage
{
    public static async Task<IReadOnlyList<Comparison>> RunAsync(IReadOnlyList<GeneratedExport> exports, int runs, Action<string> log)
    {
        using var config = new BenchConfig();
        var settings = config.Load();
        var results = new List<Comparison>();
        foreach (var export in exports)
        {
            var instrument = settings.Instruments.Single(i => i.Id == BenchConfig.InstrumentFor(export.Format));
            var separator = export.Format == ExportFormat.SciexAnalyst ? '\t' : ',';
            var rows = export.DataLines;

            log($"read (parse only): {export.Label}");
            var parse = await Harness.InterleaveAsync(runs, () => ParseOnly(settings, instrument, export), () => Tokenize(export, separator), log);
            results.Add(new Comparison("1. Read: parse", export.Label, "rows", rows, export.Bytes, parse.MirtLab, parse.Ceiling,
                "MirtLab reader (detect + parse)", "CsvHelper 34 tokenizer (fields as UTF-8 spans)", double.NaN));

            log($"read (parse + normalise + judge + flag): {export.Label}");
            var full = await Harness.InterleaveAsync(runs, () => ParseAndEvaluate(settings, instrument, export), () => Tokenize(export, separator), log);
            results.Add(new Comparison("1. Read: parse + normalise + flag", export.Label, "rows", rows, export.Bytes, full.MirtLab, full.Ceiling,
                "MirtLab reader + evaluator (as the ingest reads)", "CsvHelper 34 tokenizer (fields as UTF-8 spans)", 0.8));
        }

        return results;
    }

    /// <summary>Detection and the reader alone, into a sink that counts.</summary>
    private static Task<Sample> ParseOnly(MirtLabSettings settings, InstrumentSettings instrument, GeneratedExport export)
    {
        var stopwatch = Stopwatch.StartNew();
        var source = ReadSource.FromFile(export.Path);
        var detection = new FormatDetector(settings.Readers).Detect(source, instrument.Formats);
        var sink = new CountingSink();
        detection.Reader!.Read(source, instrument.ReaderContext(null, CancellationToken.None), sink);
        stopwatch.Stop();
        if (sink.ErrorCount > 0 || sink.Rows == 0)
        {
            throw new InvalidOperationException($"{export.Path}: {sink.FirstError}");
        }

        return Task.FromResult(new Sample(stopwatch.Elapsed, sink.Rows));
    }

    /// <summary>
    /// What the ingest does between the hash and the store: read, normalise, judge the run, flag and release or hold
    /// each result, derive ratios.
    /// </summary>
    private static async Task<Sample> ParseAndEvaluate(MirtLabSettings settings, InstrumentSettings instrument, GeneratedExport export)
    {
        var processor = new InputProcessor(settings.Rules, settings.Readers);
        var source = ReadSource.FromFile(export.Path);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(export.Path)));
        var stopwatch = Stopwatch.StartNew();
        var processed = await processor.ProcessAsync(source, sha, instrument, NoHistory.Instance);
        stopwatch.Stop();
        if (processed.IsRejected)
        {
            throw new InvalidOperationException($"{export.Path}: {processed.Diagnostics.FirstOrDefault(d => d.IsError)}");
        }

        return new Sample(stopwatch.Elapsed, export.DataLines);
    }

    /// <summary>The ceiling: every field of every record, as CsvHelper's SIMD tokenizer finds it; nothing converted.</summary>
    private static Task<Sample> Tokenize(GeneratedExport export, char separator)
    {
        var stopwatch = Stopwatch.StartNew();
        long fields = 0;
        long bytes = 0;
        using (var reader = CsvReader.FromFile(export.Path, new CsvReaderOptions { Separator = separator, HasHeader = false }))
        {
            while (reader.Read())
            {
                var count = reader.FieldCount;
                for (var i = 0; i < count; i++)
                {
                    bytes += reader.GetSpan(i).Length;
                }

                fields += count;
            }
        }

        stopwatch.Stop();
        if (fields == 0 || bytes == 0)
        {
            throw new InvalidOperationException("the tokenizer found nothing");
        }

        return Task.FromResult(new Sample(stopwatch.Elapsed, fields));
    }

    private sealed class CountingSink : IReadSink
    {
        public long Rows { get; private set; }

        public int ErrorCount { get; private set; }

        public Diagnostic? FirstError { get; private set; }

        public void OnRunInfo(RunInfo info)
        {
        }

        public void OnResult(InstrumentResult result) => Rows++;

        public void OnDiagnostic(Diagnostic diagnostic)
        {
            if (diagnostic.IsError)
            {
                FirstError ??= diagnostic;
                ErrorCount++;
            }
        }
    }
}
