using MirtLab.Worker.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MirtLab.Worker.Operations;

/// <summary>
/// Exports the <c>MirtLab</c> meter over OTLP while the service runs, when <c>Telemetry:OtlpEndpoint</c> is set
/// (OpenTelemetry.Extensions.Hosting is absent here, so the meter provider is built and disposed by hand; disposing
/// it flushes the last figures).
/// </summary>
public sealed class OtlpMetricsExporter : IHostedService, IDisposable
{
    private readonly MirtLabSettings _settings;
    private readonly ILogger<OtlpMetricsExporter> _logger;
    private MeterProvider? _provider;

    public OtlpMetricsExporter(MirtLabSettings settings, ILogger<OtlpMetricsExporter> logger)
    {
        _settings = settings;
        _logger = logger;
    }

    /// <summary>The endpoint metrics go to: for HTTP, a bare collector address gets the standard <c>/v1/metrics</c> path.</summary>
    public static Uri Endpoint(TelemetryOptions telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var uri = new Uri(telemetry.OtlpEndpoint!, UriKind.Absolute);
        return IsHttp(telemetry) && uri.AbsolutePath is "/" or "" ? new Uri(uri, "v1/metrics") : uri;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var telemetry = _settings.Telemetry;
        if (string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint))
        {
            return Task.CompletedTask;
        }

        var endpoint = Endpoint(telemetry);
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("mirtlab", serviceInstanceId: _settings.Node.Name, serviceVersion: typeof(OtlpMetricsExporter).Assembly.GetName().Version?.ToString()))
            .AddMeter(MirtLabMetrics.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = IsHttp(telemetry) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                if (!string.IsNullOrWhiteSpace(telemetry.OtlpHeaders))
                {
                    exporter.Headers = telemetry.OtlpHeaders;
                }

                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(telemetry.ExportIntervalSeconds * 1000);
            })
            .Build();
        Log.OtlpExporting(_logger, IsHttp(telemetry) ? "http/protobuf" : "grpc", endpoint.ToString(), telemetry.ExportIntervalSeconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _provider = null;
    }

    private static bool IsHttp(TelemetryOptions telemetry) => string.Equals(telemetry.OtlpProtocol, "HttpProtobuf", StringComparison.OrdinalIgnoreCase);
}
