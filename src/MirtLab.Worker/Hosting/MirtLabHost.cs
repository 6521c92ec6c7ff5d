using System.Text.Json.Nodes;
using MirtLab.Lis;
using MirtLab.Lis.Dialects;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Store;
using MirtLab.Worker.Web;

namespace MirtLab.Worker.Hosting;

/// <summary>Composes the service: the one place that wires ingest, store, dispatchers and web endpoints together.</summary>
public static class MirtLabHost
{
    /// <param name="settings">Validated settings.</param>
    /// <param name="configuration">The configuration they came from (for the Logging section).</param>
    /// <param name="time">The clock; tests may pass a fake one.</param>
    public static WebApplication Build(MirtLabSettings settings, IConfiguration configuration, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.GetDirectoryName(settings.ConfigFile),
            Args = [],
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(settings.Web.Urls);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(sp => new MirtLabStore(settings.StorePath, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new InputProcessor(settings.Rules, settings.Readers));
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<IRunHistory>(sp => settings.Lis.Enabled
            ? new LisRunHistory(sp.GetRequiredService<LisWriter>(), sp.GetRequiredService<MirtLabStore>())
            : sp.GetRequiredService<MirtLabStore>());
        services.AddSingleton<DestinationStatus>();
        services.AddSingleton(settings.Delivery);
        services.AddHostedService<IngestService>();

        if (settings.Lis.Enabled)
        {
            services.AddSingleton(sp => new LisWriter(
                LisDialect.For(settings.Lis.Provider),
                settings.LisConnectionString,
                sp.GetRequiredService<TimeProvider>(),
                new LisWriterOptions { MigrationConnectionString = settings.LisMigrationConnectionString },
                sp.GetRequiredService<ILogger<LisWriter>>()));
            services.AddSingleton<IDeliveryDestination>(sp => new LisDestination(
                sp.GetRequiredService<LisWriter>(), settings.Node.Name, sp.GetRequiredService<TimeProvider>()));
        }

        if (settings.Mqtt.Enabled)
        {
            services.AddSingleton<MqttConnectionService>();
            services.AddHostedService(sp => sp.GetRequiredService<MqttConnectionService>());
            services.AddSingleton<IDeliveryDestination, MqttDestination>();
        }

        services.AddHostedService(sp => new DispatcherSet(sp.GetServices<IDeliveryDestination>().Select(d => ActivatorUtilities.CreateInstance<OutboxDispatcher>(sp, d)).ToList()));

        services.AddQaWeb(settings);

        var app = builder.Build();
        app.UseQaWeb();
        MapHealth(app);
        return app;
    }

    /// <summary>Prepares what must exist before the service starts (folders, the store); a failure here stops the start.</summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var settings = app.Services.GetRequiredService<MirtLabSettings>();
        foreach (var instrument in settings.Instruments)
        {
            Directory.CreateDirectory(instrument.Inbox);
            Directory.CreateDirectory(Path.Combine(settings.WorkRoot, instrument.Id));
            Directory.CreateDirectory(Path.Combine(settings.ArchiveRoot, instrument.Id));
            Directory.CreateDirectory(Path.Combine(settings.QuarantineRoot, instrument.Id));
        }

        await app.Services.GetRequiredService<MirtLabStore>().InitializeAsync(cancellationToken);
    }

    private static void MapHealth(WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Text("alive")).AllowAnonymous();
        app.MapGet("/health/ready", async (IServiceProvider services, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var checks = new JsonObject();
            var ready = true;
            try
            {
                await services.GetRequiredService<MirtLabStore>().BacklogAsync(cancellationToken);
                checks["store"] = new JsonObject { ["ok"] = true };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ready = false;
                checks["store"] = new JsonObject { ["ok"] = false, ["error"] = ex.Message };
            }

            foreach (var destination in services.GetServices<IDeliveryDestination>())
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await destination.ProbeAsync(timeout.Token);
                    checks[destination.Name] = new JsonObject { ["ok"] = true };
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    ready = false;
                    checks[destination.Name] = new JsonObject { ["ok"] = false, ["error"] = ex.Message };
                }
            }

            var body = new JsonObject { ["ready"] = ready, ["checkedUtc"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["checks"] = checks };
            return Results.Text(body.ToJsonString(), "application/json", statusCode: ready ? 200 : 503);
        }).AllowAnonymous();
    }

    /// <summary>Runs one dispatcher per destination as one hosted service.</summary>
    private sealed class DispatcherSet(IReadOnlyList<OutboxDispatcher> dispatchers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.WhenAll(dispatchers.Select(d => d.StartAsync(cancellationToken)));

        public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(dispatchers.Select(d => d.StopAsync(cancellationToken)));
    }
}
