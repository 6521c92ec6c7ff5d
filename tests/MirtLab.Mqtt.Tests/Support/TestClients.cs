using System.Text;
using MirtLab.Testing;

namespace MirtLab.Mqtt.Tests.Support;

/// <summary>Client options and message helpers shared by the tests against Mosquitto.</summary>
internal static class TestClients
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static MqttClientOptions For(MosquittoBroker broker, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ClientId = clientId + "-" + Guid.NewGuid().ToString("N")[..6],
        ProtocolVersion = version,
        KeepAlive = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
    };

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClient(options);
        try
        {
            await client.ConnectAsync(TestContext.Current.CancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static MqttApplicationMessage Message(string topic, string payload, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce, bool retain = false) => new()
    {
        Topic = topic,
        Payload = Encoding.UTF8.GetBytes(payload),
        QualityOfService = qos,
        Retain = retain,
    };

    public static string Text(this MqttApplicationMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    /// <summary>Reads exactly <paramref name="count"/> messages or fails after <see cref="Patience"/>.</summary>
    public static async Task<List<MqttApplicationMessage>> ReceiveAsync(this MqttClient client, int count, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? Patience);
        var messages = new List<MqttApplicationMessage>(count);
        try
        {
            while (messages.Count < count)
            {
                messages.Add(await client.Messages.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"Received {messages.Count} of {count} messages; last: {messages.LastOrDefault()?.Topic} {messages.LastOrDefault()?.Text()}", ex);
        }

        return messages;
    }

    /// <summary>Waits for the client to reach a state (observed through its event, not by sleeping).</summary>
    public static async Task WaitForStateAsync(this MqttClient client, MqttConnectionState state, TimeSpan? timeout = null)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, MqttConnectionStateChangedEventArgs e)
        {
            if (e.State == state)
            {
                reached.TrySetResult();
            }
        }

        client.ConnectionStateChanged += OnChanged;
        try
        {
            if (client.State == state)
            {
                return;
            }

            await reached.Task.WaitAsync(timeout ?? Patience, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The client stayed {client.State} instead of {state}; last error: {client.LastError}", ex);
        }
        finally
        {
            client.ConnectionStateChanged -= OnChanged;
        }
    }
}
