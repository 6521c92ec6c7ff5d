using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Hosting;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Tests;

/// <summary>The real service, composed exactly as <c>mirtlab</c> composes it, started on a test's temp folders.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, MirtLabSettings settings)
    {
        App = app;
        Settings = settings;
    }

    public WebApplication App { get; }

    public MirtLabSettings Settings { get; }

    public MirtLabStore Store => App.Services.GetRequiredService<MirtLabStore>();

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<RunningHost> StartAsync(TestConfig config)
    {
        var settings = config.Load();
        var app = MirtLabHost.Build(settings, SettingsLoader.BuildConfiguration(config.ConfigFile));
        await MirtLabHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new RunningHost(app, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
