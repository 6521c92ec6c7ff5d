using MirtLab.Lis;
using MirtLab.Lis.Dialects;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Operations;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Store;
using MirtLab.Worker.Web;

namespace MirtLab.Worker.Hosting;

/// <summary>Composes the service: the one place that wires ingest, store, dispatchers and web endpoints together.</summary>
public static class MirtLabHost
{
    /// <summary>How long a stop may take: the file in hand is finished or abandoned (left in work/) within it.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <param name="settings">Validated settings.</param>
    /// <param name="configuration">The configuration they came from (for the Logging section).</param>
    /// <param name="time">The clock; tests may pass a fake one.</param>
    /// <param name="overrides">Replaces services after composition (tests: a source that blocks, to stop the host mid-ingest).</param>
    public static WebApplication Build(MirtLabSettings settings, IConfiguration configuration, TimeProvider? time = null, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.GetDirectoryName(settings.ConfigFile),
            Args = [],
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(settings.Web.Urls);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = ShutdownTimeout);

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
        services.AddMirtLabOperations(settings);
        overrides?.Invoke(services);

        var app = builder.Build();
        app.UseQaWeb();
        app.MapOperations();
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

    /// <summary>Runs one dispatcher per destination as one hosted service.</summary>
    private sealed class DispatcherSet(IReadOnlyList<OutboxDispatcher> dispatchers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.WhenAll(dispatchers.Select(d => d.StartAsync(cancellationToken)));

        public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(dispatchers.Select(d => d.StopAsync(cancellationToken)));
    }
}
