using System.Globalization;
using System.Text.Json;
using MirtLab.Core;
using MirtLab.Mqtt;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Delivery;

/// <summary>
/// Publishes a batch to MQTT at QoS 1: one message per patient result on
/// <c>{prefix}/results/{instrument}/{analyte}</c> (the <c>mirtlab.result.v1</c> document, carrying its result
/// key and revision so consumers de-duplicate), then one run message on <c>{prefix}/runs/{instrument}</c>.
/// The batch counts as delivered only when the broker acknowledged every message.
/// </summary>
public sealed class MqttDestination : IDeliveryDestination
{
    private readonly MqttConnectionService _connection;
    private readonly string _prefix;

    public MqttDestination(MqttConnectionService connection, MirtLabSettings settings)
    {
        _connection = connection;
        _prefix = settings.Mqtt.TopicPrefix;
    }

    public string Name => "mqtt";

    public async Task DeliverAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        EnsureConnected();
        var client = _connection.Client;
        var publishes = batch.Results
            .Where(r => r.Analyte is not null)
            .Select(r => client.PublishAsync(
                new MqttApplicationMessage
                {
                    Topic = ResultTopic(r.Instrument, r.Analyte!),
                    Payload = JsonSerializer.SerializeToUtf8Bytes(r, MirtLabJson.Default.ResultDocument),
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                    ContentType = "application/json",
                    UserProperties =
                    [
                        new MqttUserProperty("schema", r.Schema),
                        new MqttUserProperty("resultKey", r.ResultKey),
                        new MqttUserProperty("revision", r.Revision.ToString(CultureInfo.InvariantCulture)),
                    ],
                },
                cancellationToken))
            .ToList();
        await Task.WhenAll(publishes);
        await client.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = $"{_prefix}/runs/{batch.Run.Instrument}",
                Payload = JsonSerializer.SerializeToUtf8Bytes(batch.Run, MirtLabJson.Default.RunDocument),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ContentType = "application/json",
                UserProperties = [new MqttUserProperty("schema", batch.Run.Schema), new MqttUserProperty("runKey", batch.Run.RunKey)],
            },
            cancellationToken);
    }

    public string ResultTopic(string instrument, string analyte) => $"{_prefix}/results/{instrument}/{analyte}";

    /// <summary>Only a broker that refuses a message for a reason that will not pass by itself (not authorised, bad topic) is permanent.</summary>
    public bool IsTransient(Exception exception) => exception switch
    {
        MqttPublishException { ReasonCode: { } code } => !IsPermanent(code),
        _ => true,
    };

    public Task ProbeAsync(CancellationToken cancellationToken)
    {
        EnsureConnected();
        return Task.CompletedTask;
    }

    private void EnsureConnected()
    {
        var client = _connection.Client;
        if (!client.IsConnected)
        {
            var since = client.StateSince.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            throw new MqttCommunicationException($"the broker is not connected ({client.State} since {since} UTC{(client.LastError is { } e ? ": " + e.Message : string.Empty)})");
        }
    }

    private static bool IsPermanent(MqttReasonCode code) => code is MqttReasonCode.NotAuthorized or MqttReasonCode.TopicNameInvalid or MqttReasonCode.PayloadFormatInvalid or MqttReasonCode.PacketTooLarge;
}
