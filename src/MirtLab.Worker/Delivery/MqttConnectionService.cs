using System.Text;
using System.Text.Json.Nodes;
using MirtLab.Mqtt;
using MirtLab.Worker.Configuration;

namespace MirtLab.Worker.Delivery;

/// <summary>
/// Owns the service's one MQTT connection: connects at start and keeps trying while the broker is
/// unreachable (the client reconnects by itself once it has connected), and keeps the retained status
/// topic <c>{prefix}/status/{node}</c> true: <c>online</c> after every (re)connect, <c>offline</c> on a
/// clean stop, and the broker's last-will <c>offline</c> when MirtLab dies.
/// </summary>
public sealed class MqttConnectionService : BackgroundService, IAsyncDisposable
{
    private readonly MirtLabSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttConnectionService> _logger;

    public MqttConnectionService(MirtLabSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        _settings = settings;
        _time = time;
        _logger = loggers.CreateLogger<MqttConnectionService>();
        Client = new MqttClient(CreateOptions(settings, time), loggers.CreateLogger<MqttClient>());
        Client.ConnectionStateChanged += OnStateChanged;
    }

    public MqttClient Client { get; }

    public string StatusTopic => $"{_settings.Mqtt.TopicPrefix}/status/{_settings.Node.Name}";

    public static MqttClientOptions CreateOptions(MirtLabSettings settings, TimeProvider time)
    {
        var mqtt = settings.Mqtt;
        var configFolder = Path.GetDirectoryName(settings.ConfigFile)!;
        return new MqttClientOptions
        {
            Host = mqtt.Host,
            Port = mqtt.Port,
            ClientId = mqtt.ClientId ?? $"mirtlab-{settings.Node.Name}",
            Username = mqtt.Username,
            Password = mqtt.Password,
            KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
            ProtocolVersion = Enum.Parse<MqttProtocolVersion>(mqtt.ProtocolVersion, ignoreCase: true),
            MaxInflightMessages = mqtt.MaxInFlight,
            PersistentSession = true,
            AutoReconnect = true,
            ReconnectDelayMin = TimeSpan.FromSeconds(Math.Min(1, mqtt.ReconnectMaxSeconds)),
            ReconnectDelayMax = TimeSpan.FromSeconds(mqtt.ReconnectMaxSeconds),
            TimeProvider = time,
            Tls = new MqttTlsOptions
            {
                Enabled = mqtt.UseTls,
                CaFile = mqtt.CaFile is null ? null : Path.Combine(configFolder, mqtt.CaFile),
                ClientCertificateFile = mqtt.ClientCertificateFile is null ? null : Path.Combine(configFolder, mqtt.ClientCertificateFile),
                ClientKeyFile = mqtt.ClientKeyFile is null ? null : Path.Combine(configFolder, mqtt.ClientKeyFile),
            },
            LastWill = new MqttApplicationMessage
            {
                Topic = $"{mqtt.TopicPrefix}/status/{settings.Node.Name}",
                Payload = Encoding.UTF8.GetBytes(StatusJson("offline", null, "connection lost")),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                ContentType = "application/json",
            },
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested && Client.State is MqttConnectionState.Disconnected or MqttConnectionState.Connecting)
        {
            try
            {
                await Client.ConnectAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.MqttUnreachable(_logger, _settings.Mqtt.Host, _settings.Mqtt.Port, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, _time, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(_settings.Mqtt.ReconnectMaxSeconds, delay.TotalSeconds * 2));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Client.IsConnected)
        {
            try
            {
                await Client.PublishAsync(Status("offline", "stopped"), cancellationToken);
                await Client.DisconnectAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is MqttException or OperationCanceledException or IOException)
            {
                // The last-will reports us offline if the clean goodbye did not make it.
                Log.MqttStopFailed(_logger, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.ConnectionStateChanged -= OnStateChanged;
        await Client.DisposeAsync();
    }

    public override void Dispose()
    {
        base.Dispose();
    }

    private void OnStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        Log.MqttState(_logger, e.State.ToString(), _settings.Mqtt.Host, _settings.Mqtt.Port, e.Error?.Message);
        if (e.State == MqttConnectionState.Connected)
        {
            _ = PublishOnlineAsync();
        }
    }

    private async Task PublishOnlineAsync()
    {
        try
        {
            await Client.PublishAsync(Status("online", null));
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Log.MqttStopFailed(_logger, ex.Message);
        }
    }

    private MqttApplicationMessage Status(string state, string? reason) => new()
    {
        Topic = StatusTopic,
        Payload = Encoding.UTF8.GetBytes(StatusJson(state, _time.GetUtcNow(), reason)),
        QualityOfService = MqttQualityOfService.AtLeastOnce,
        Retain = true,
        ContentType = "application/json",
    };

    private static string StatusJson(string state, DateTimeOffset? since, string? reason) => new JsonObject
    {
        ["schema"] = "mirtlab.status.v1",
        ["state"] = state,
        ["since"] = since?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["reason"] = reason,
    }.ToJsonString();
}
