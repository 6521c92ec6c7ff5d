using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Operations.Windows;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Operations;

/// <summary>
/// The operations side of the host: metrics, alerts, service-manager notifications, and the endpoints
/// <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c> (open, like a load balancer or Prometheus needs them;
/// no patient data, so no error text for anonymous callers) and <c>/api/status</c> (signed-in users, like the pages).
/// </summary>
public static class OperationsEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IServiceCollection AddMirtLabOperations(this IServiceCollection services, MirtLabSettings settings)
    {
        services.AddSingleton<OperationsState>();
        services.AddSingleton<MirtLabMetrics>();
        services.AddSingleton(sp => new PrometheusCollector(sp.GetRequiredService<MirtLabMetrics>().Meter));
        services.AddSingleton(sp => new StatusBuilder(settings, sp.GetRequiredService<MirtLabStore>(), sp.GetRequiredService<TimeProvider>(), live: sp.GetRequiredService<DestinationStatus>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<OperationsMonitor>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<OperationsMonitor>());
        services.AddSingleton<IngestTelemetry>();
        services.AddHostedService<OtlpMetricsExporter>();

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            services.AddSingleton<IServiceManager>(sp => SystemdNotifier.FromEnvironment(logger: sp.GetRequiredService<ILogger<SystemdNotifier>>())!);
        }

        if (WindowsServiceRunner.Current is { } windows)
        {
            services.AddSingleton<IServiceManager>(windows);
        }

        services.AddHostedService<ServiceManagerLifetime>();
        return services;
    }

    public static void MapOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Listen from the start: a measurement made before the first scrape must be counted.
        _ = app.Services.GetRequiredService<PrometheusCollector>();
        app.MapGet("/health/live", () => Results.Text("alive")).AllowAnonymous();
        app.MapGet("/health/ready", ReadyAsync).AllowAnonymous();
        app.MapGet("/metrics", (MirtLabSettings settings, PrometheusCollector collector) =>
            settings.Telemetry.Prometheus ? Results.Text(collector.Scrape(), PrometheusText.ContentType) : Results.NotFound()).AllowAnonymous();
        app.MapGet("/api/status", async (StatusBuilder builder, CancellationToken cancellationToken) =>
            Results.Json(await builder.BuildAsync(cancellationToken), Json)).RequireAuthorization(QaPolicies.View);
    }

    /// <summary>
    /// 200 only when the store answers and every destination's real delivery path works (a write to the LIS; a live
    /// broker connection), each probe bounded by <c>Health:ProbeTimeoutSeconds</c> even if it ignores cancellation.
    /// Per destination also its state and backlog (waiting, oldest, dead letters), which inform but do not decide.
    /// The error texts only for signed-in users: a database's message can quote the value it refused (a sample name, a
    /// patient id).
    /// </summary>
    private static async Task<IResult> ReadyAsync(HttpContext context, IAuthorizationService authorization, IServiceProvider services, MirtLabSettings settings, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var detail = (await authorization.AuthorizeAsync(context.User, QaPolicies.View)).Succeeded;
        var timeout = TimeSpan.FromSeconds(settings.Health.ProbeTimeoutSeconds);
        var store = services.GetRequiredService<MirtLabStore>();
        var live = services.GetRequiredService<DestinationStatus>().Snapshot();
        var logger = loggers.CreateLogger("MirtLab.Health");
        IReadOnlyList<DestinationBacklog> backlog = [];
        var storeProbe = ProbeAsync("store", async ct => backlog = await store.BacklogAsync(ct), timeout, logger, cancellationToken);
        var destinations = services.GetServices<IDeliveryDestination>().ToList();
        var probes = destinations.Select(d => ProbeAsync(d.Name, d.ProbeAsync, timeout, logger, cancellationToken)).ToList();
        var storeResult = await storeProbe;
        var results = await Task.WhenAll(probes);

        var now = time.GetUtcNow();
        var checks = new JsonObject { ["store"] = storeResult.ToJson(detail) };
        for (var i = 0; i < destinations.Count; i++)
        {
            var name = destinations[i].Name;
            var check = results[i].ToJson(detail);
            var state = live.FirstOrDefault(s => s.Name == name);
            var row = backlog.FirstOrDefault(b => b.Destination == name);
            var oldest = row?.OldestPendingUtc is { } o ? DateTimeOffset.Parse(o, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : (DateTimeOffset?)null;
            check["state"] = !results[i].Ok ? "unreachable" : state is { Healthy: false } ? "failing" : "ok";
            check["pending"] = row?.Pending ?? 0;
            check["oldestPendingUtc"] = oldest is { } x ? Iso(x) : null;
            check["oldestPendingAgeSeconds"] = oldest is { } y ? Math.Round(Math.Max(0, (now - y).TotalSeconds), 1) : null;
            check["dead"] = row?.Dead ?? 0;
            check["lastSuccessUtc"] = state?.LastSuccessUtc is { } s ? Iso(s) : null;
            check["failingSinceUtc"] = state?.FailingSinceUtc is { } f ? Iso(f) : null;
            if (detail)
            {
                check["lastDeliveryError"] = state is { Healthy: false } ? state.LastError : row?.LastError;
            }

            checks[name] = check;
        }

        var ready = storeResult.Ok && results.All(r => r.Ok);
        var body = new JsonObject { ["ready"] = ready, ["node"] = settings.Node.Name, ["checkedUtc"] = Iso(now), ["checks"] = checks };
        return Results.Text(body.ToJsonString(), "application/json", statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<ProbeResult> ProbeAsync(string name, Func<CancellationToken, Task> probe, TimeSpan timeout, ILogger logger, CancellationToken requestAborted)
    {
        var stopwatch = Stopwatch.StartNew();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        bounded.CancelAfter(timeout);
        string? error;
        try
        {
            // WaitAsync bounds a probe that ignores its token (a hung server): the endpoint answers in time regardless.
            await probe(bounded.Token).WaitAsync(timeout, requestAborted);
            return new ProbeResult(true, stopwatch.ElapsedMilliseconds, null);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !requestAborted.IsCancellationRequested))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
        }

        Log.ReadinessFailed(logger, name, stopwatch.ElapsedMilliseconds, error);
        return new ProbeResult(false, stopwatch.ElapsedMilliseconds, error);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private sealed record ProbeResult(bool Ok, long ElapsedMs, string? Error)
    {
        public JsonObject ToJson(bool detail)
        {
            var json = new JsonObject { ["ok"] = Ok, ["elapsedMs"] = ElapsedMs };
            if (detail)
            {
                json["error"] = Error;
            }

            return json;
        }
    }
}
