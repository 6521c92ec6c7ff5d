using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using MirtLab.Worker.Operations;

namespace MirtLab.Worker.Tests.Operations;

/// <summary>The Prometheus text format written by hand, read back by a parser written from the specification.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Writer_EscapesLabelsAndHelp_AndAParserReadsBackTheSameValues()
    {
        var nasty = "C:\\exports\\\"tq\"\nline two";
        var families = new[]
        {
            new MetricFamily("demo_total", "counter", "Help with a back\\slash\nand a newline.", [new MetricSample("demo_total", [new("path", nasty), new("code", "ML1001")], 3)]),
            new MetricFamily("demo_gauge", "gauge", "A gauge.", [new MetricSample("demo_gauge", [], double.NaN), new MetricSample("demo_gauge", [new("k", "v")], 0.1 + 0.2)]),
        };
        var writer = new StringWriter();
        PrometheusText.Write(writer, families);
        var text = writer.ToString();

        Assert.Contains("path=\"C:\\\\exports\\\\\\\"tq\\\"\\nline two\"", text, StringComparison.Ordinal);
        Assert.Contains("# HELP demo_total Help with a back\\\\slash\\nand a newline.\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var parsed = PrometheusParser.Parse(text);
        var sample = Assert.Single(parsed["demo_total"].Samples);
        Assert.Equal(nasty, sample.Labels["path"]);
        Assert.Equal(3, sample.Value);
        Assert.Equal("Help with a back\\slash\nand a newline.", parsed["demo_total"].Help);
        Assert.True(double.IsNaN(parsed["demo_gauge"].Samples[0].Value));
        Assert.Equal(0.1 + 0.2, parsed["demo_gauge"].Samples[1].Value);
    }

    [Theory]
    [InlineData("mirtlab.files.received", "{file}", true, "mirtlab_files_received_total")]
    [InlineData("mirtlab.delivery.latency", "s", false, "mirtlab_delivery_latency_seconds")]
    [InlineData("mirtlab.disk.free", "By", false, "mirtlab_disk_free_bytes")]
    [InlineData("mirtlab.outbox.oldest_age", "s", false, "mirtlab_outbox_oldest_age_seconds")]
    [InlineData("9lives-total", null, true, "_9lives_total")]
    [InlineData("already_total", null, true, "already_total")]
    public void OpenTelemetryNames_BecomePrometheusNames(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusText.MetricName(name, unit, counter));

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(42.0, "42")]
    [InlineData(0.25, "0.25")]
    [InlineData(1e20, "1E+20")]
    public void Numbers_AreWrittenAsGoReadsThem(double value, string expected) => Assert.Equal(expected, PrometheusText.Number(value));

    [Fact]
    public void Collector_Histograms_HaveCumulativeBuckets_EndingInInfEqualToCount_AndOnlyItsOwnMeter()
    {
        using var meter = new Meter("MirtLab");
        using var other = new Meter("MirtLab");
        using var collector = new PrometheusCollector(meter);
        var histogram = meter.CreateHistogram<double>("test.latency", "s", "Latency.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        var counter = meter.CreateCounter<long>("test.files", "{file}", "Files.");
        other.CreateCounter<long>("test.files", "{file}", "Files of another host.").Add(100);
        foreach (var v in new[] { 0.05, 0.1, 0.5, 5, 50 })
        {
            histogram.Record(v, new KeyValuePair<string, object?>("destination", "lis"));
        }

        counter.Add(2, new KeyValuePair<string, object?>("instrument", "tq5500"));
        counter.Add(1, new KeyValuePair<string, object?>("instrument", "tq5500"));

        var parsed = PrometheusParser.Parse(collector.Scrape());
        var latency = parsed["test_latency_seconds"];
        Assert.Equal("histogram", latency.Type);
        var buckets = latency.Samples.Where(s => s.Name == "test_latency_seconds_bucket").ToDictionary(s => s.Labels["le"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["0.1"] = 2, ["1"] = 3, ["10"] = 4, ["+Inf"] = 5 }, buckets);
        Assert.Equal(5, latency.Samples.Single(s => s.Name == "test_latency_seconds_count").Value);
        Assert.Equal(55.65, latency.Samples.Single(s => s.Name == "test_latency_seconds_sum").Value, 6);
        Assert.Equal(3, Assert.Single(parsed["test_files_total"].Samples).Value);
    }
}

/// <summary><c>/metrics</c> of the real host after files went through it.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_CountFilesResultsReaderErrorsAndDeliveries_AndParseBack()
    {
        using var config = new TestConfig();
        await using var host = await RunningHost.StartAsync(config);
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
        await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Inbox(), "plate.txt")) == false && IngestLifecycleTests.LisCount(config, "SELECT COUNT(*) FROM mirtlab_results") == Fixtures.PlatePatientResults, "plate delivered");
        File.WriteAllText(Path.Combine(config.Inbox(), "garbage.txt"), "not an export");
        await Fixtures.WaitUntilAsync(() => File.Exists(Path.Combine(config.Quarantine(), "garbage.txt")), "garbage quarantined");
        File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "again.txt"));
        await Fixtures.WaitUntilAsync(() => Directory.EnumerateFiles(config.ArchiveRoot, "again.txt", SearchOption.AllDirectories).Any(), "duplicate archived");

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var metrics = PrometheusParser.Parse(await response.Content.ReadAsStringAsync());

        double Value(string family, params (string Key, string Value)[] labels) =>
            metrics[family].Samples.Where(s => labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

        Assert.Equal(3, Value("mirtlab_files_received_total", ("instrument", "tq5500")));
        Assert.Equal(1, Value("mirtlab_files_accepted_total", ("instrument", "tq5500")));
        Assert.Equal(1, Value("mirtlab_files_rejected_total", ("instrument", "tq5500")));
        Assert.Equal(1, Value("mirtlab_files_duplicate_total", ("instrument", "tq5500")));
        Assert.Equal(1, Value("mirtlab_reader_errors_total", ("code", "ML1001")));
        Assert.Equal(3, Value("mirtlab_results_total", ("analyte", "mirtazapine"), ("flag", "HH")));
        Assert.True(Value("mirtlab_results_total", ("flag", "none"), ("status", "final")) > 0);
        Assert.Equal(1, Value("mirtlab_delivery_attempts_total", ("destination", "lis"), ("outcome", "delivered")));
        var latency = metrics["mirtlab_delivery_latency_seconds"];
        Assert.Equal("histogram", latency.Type);
        Assert.Equal(1, latency.Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
        Assert.Equal(1, latency.Samples.Single(s => s.Labels.GetValueOrDefault("le") == "+Inf").Value);
        Assert.All(metrics.Values, f => Assert.NotNull(f.Help));
        Assert.All(metrics.Values, f => Assert.Contains(f.Type, new[] { "counter", "gauge", "histogram" }));
        Assert.Contains("mirtlab_outbox_backlog", metrics.Keys);
        Assert.Contains("mirtlab_alerts_active", metrics.Keys);
    }

    [Fact]
    public async Task Otlp_ExportsTheMirtLabMeter_ToACollector_WhenAnEndpointIsSet()
    {
        var received = new List<(string Path, string? ContentType, byte[] Body)>();
        var collector = WebApplication.CreateSlimBuilder();
        collector.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = collector.Build();
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (received)
            {
                received.Add((request.Path, request.ContentType, body.ToArray()));
            }

            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Urls.First();

        using var config = new TestConfig(j =>
        {
            j["Telemetry"] = new System.Text.Json.Nodes.JsonObject { ["OtlpEndpoint"] = address, ["OtlpProtocol"] = "HttpProtobuf", ["ExportIntervalSeconds"] = 0.5 };
        });
        await using (var host = await RunningHost.StartAsync(config))
        {
            File.Copy(Fixtures.MirtazapinePlate, Path.Combine(config.Inbox(), "plate.txt"));
            await Fixtures.WaitUntilAsync(() => Bodies(received).Any(b => b.Contains("mirtlab.files.accepted", StringComparison.Ordinal)), "an OTLP export carrying mirtlab.files.accepted", 30);
        }

        Assert.All(received, r => Assert.Equal("/v1/metrics", r.Path));
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        var all = string.Join("\n", Bodies(received));
        Assert.Contains("mirtlab.delivery.latency", all, StringComparison.Ordinal);
        Assert.Contains("tq5500", all, StringComparison.Ordinal);
        Assert.Contains("MirtLab", all, StringComparison.Ordinal);
    }

    /// <summary>Protobuf carries strings as UTF-8 bytes, so names and label values can be found in the body as text.</summary>
    private static List<string> Bodies(List<(string Path, string? ContentType, byte[] Body)> received)
    {
        lock (received)
        {
            return received.Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
        }
    }
}
