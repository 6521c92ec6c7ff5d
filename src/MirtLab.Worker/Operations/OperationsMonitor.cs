using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MirtLab.Mqtt;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Delivery;

namespace MirtLab.Worker.Operations;

/// <summary>
/// Evaluates the alerts every <c>Alerts:EvaluateIntervalSeconds</c> (and at once after a quarantine) and tells
/// people when something changes: a log event (9001 set, 9002 cleared), the <c>mirtlab.alerts.*</c> metrics, and a
/// retained MQTT message per alert on <c>{prefix}/alerts/{node}/{kind}/{subject}</c> whose <c>state</c> is
/// <c>set</c> or <c>cleared</c>. At start and after every reconnect the state of every alert this configuration
/// can raise is published again, so a broker never keeps a stale <c>set</c>.
/// </summary>
public sealed class OperationsMonitor : BackgroundService
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private readonly MirtLabSettings _settings;
    private readonly StatusBuilder _builder;
    private readonly OperationsState _state;
    private readonly MirtLabMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttConnectionService? _mqtt;
    private readonly DeliverySignal _wake = new();
    private readonly Dictionary<(string Kind, string Subject), Alert> _active = [];
    private readonly Dictionary<(string Kind, string Subject), string> _desired = [];
    private readonly Dictionary<(string Kind, string Subject), string> _published = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _republish = true;

    public OperationsMonitor(MirtLabSettings settings, StatusBuilder builder, OperationsState state, MirtLabMetrics metrics, TimeProvider time, ILogger<OperationsMonitor> logger, MqttConnectionService? mqtt = null)
    {
        _settings = settings;
        _builder = builder;
        _state = state;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _mqtt = settings.Mqtt.Enabled && settings.Alerts.Mqtt ? mqtt : null;
        if (_mqtt is not null)
        {
            _mqtt.Client.ConnectionStateChanged += OnConnectionChanged;
        }
    }

    /// <summary>Alerts set at the last evaluation.</summary>
    public IReadOnlyList<Alert> Active
    {
        get
        {
            lock (_active)
            {
                return [.. _active.Values];
            }
        }
    }

    /// <summary>Evaluate now instead of at the next interval (a quarantine happened).</summary>
    public void Wake() => _wake.Notify();

    public string Topic(string kind, string subject) => $"{_settings.Mqtt.TopicPrefix}/alerts/{_settings.Node.Name}/{kind}/{subject}";

    /// <summary>One evaluation: build the report, log and count the changes, publish what MQTT does not know yet.</summary>
    public async Task<StatusReport> EvaluateOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var report = await _builder.BuildAsync(cancellationToken);
            _state.Latest = report;
            var now = report.GeneratedUtc;
            var current = report.Alerts.ToDictionary(a => a.Key);
            lock (_active)
            {
                foreach (var alert in current.Values.Where(a => !_active.ContainsKey(a.Key)))
                {
                    Log.AlertRaised(_logger, alert.Kind, alert.Subject, alert.SinceUtc, alert.Message);
                    _metrics.AlertRaised(alert.Kind);
                }

                foreach (var gone in _active.Values.Where(a => !current.ContainsKey(a.Key)))
                {
                    Log.AlertCleared(_logger, gone.Kind, gone.Subject, StatusBuilder.Ago(now - gone.SinceUtc));
                }

                foreach (var key in _builder.PossibleAlerts().Concat(current.Keys).Distinct())
                {
                    var was = _active.GetValueOrDefault(key);
                    var @is = current.GetValueOrDefault(key);
                    if (!_desired.ContainsKey(key) || (was is null) != (@is is null) || (@is is not null && @is.SinceUtc != was!.SinceUtc))
                    {
                        _desired[key] = Payload(key, @is, now);
                    }
                }

                _active.Clear();
                foreach (var (key, alert) in current)
                {
                    _active[key] = alert;
                }
            }

            await PublishAsync(cancellationToken);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        if (_mqtt is not null)
        {
            _mqtt.Client.ConnectionStateChanged -= OnConnectionChanged;
        }

        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(_settings.Alerts.EvaluateIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EvaluateOnceAsync(stoppingToken);
                await _wake.WaitAsync(interval, _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unreachable or a disk probe failed: nothing to alert from; try again next interval.
                Log.MonitorFailed(_logger, ex, interval.TotalSeconds);
                await Task.Delay(interval, _time, stoppingToken);
            }
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (_mqtt is null || !_mqtt.Client.IsConnected)
        {
            return;
        }

        if (_republish)
        {
            _republish = false;
            _published.Clear();
        }

        List<KeyValuePair<(string Kind, string Subject), string>> due;
        lock (_active)
        {
            due = _desired.Where(d => !_published.TryGetValue(d.Key, out var sent) || sent != d.Value).ToList();
        }

        foreach (var (key, payload) in due)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PublishTimeout);
            try
            {
                await _mqtt.Client.PublishAsync(
                    new MqttApplicationMessage
                    {
                        Topic = Topic(key.Kind, key.Subject),
                        Payload = Encoding.UTF8.GetBytes(payload),
                        QualityOfService = MqttQualityOfService.AtLeastOnce,
                        Retain = true,
                        ContentType = "application/json",
                        UserProperties = [new MqttUserProperty("schema", "mirtlab.alert.v1")],
                    },
                    timeout.Token);
                _published[key] = payload;
            }
            catch (Exception ex) when (ex is MqttException or IOException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Log.AlertPublishFailed(_logger, key.Kind, key.Subject, ex.Message);
                return;
            }
        }
    }

    private string Payload((string Kind, string Subject) key, Alert? alert, DateTimeOffset now) => new JsonObject
    {
        ["schema"] = "mirtlab.alert.v1",
        ["node"] = _settings.Node.Name,
        ["kind"] = key.Kind,
        ["subject"] = key.Subject,
        ["state"] = alert is null ? "cleared" : "set",
        ["severity"] = alert?.Severity,
        ["since"] = Iso(alert?.SinceUtc ?? now),
        ["message"] = alert?.Message,
    }.ToJsonString();

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void OnConnectionChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        if (e.State == MqttConnectionState.Connected)
        {
            // The broker may have lost its retained messages (restarted without persistence): send every state again.
            _republish = true;
            _wake.Notify();
        }
    }
}
