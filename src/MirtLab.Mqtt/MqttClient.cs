using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt;

/// <summary>
/// MQTT 3.1.1 / 5.0 client: QoS 0 and 1, pipelined publishes within a bounded in-flight window, automatic
/// reconnect with jittered backoff, and unacknowledged QoS 1 messages resent (DUP) in order after reconnect.
/// </summary>
/// <remarks>
/// Threading: one lock guards the session state (queues, packet ids, pending requests); network I/O happens
/// on each connection's single reader and single writer loops, never under the lock. A supervisor task per
/// <see cref="ConnectAsync"/> watches the connection and reconnects.
/// </remarks>
public sealed class MqttClient : IMqttClient
{
    private static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(5);

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _broker;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly PacketIdentifierPool _packetIds = new();
    private readonly LinkedList<OutgoingPublish> _waiting = new();
    private readonly LinkedList<OutgoingPublish> _inflight = new();
    private readonly Dictionary<ushort, OutgoingPublish> _inflightById = [];
    private readonly Dictionary<ushort, PendingRequest> _requests = [];
    private readonly Dictionary<string, MqttQualityOfService> _subscriptions = new(StringComparer.Ordinal);
    private readonly Channel<IncomingMessage> _incoming = Channel.CreateUnbounded<IncomingMessage>();

    private MqttConnection? _connection;
    private MqttConnectionState _state;
    private DateTimeOffset _stateSince;
    private Exception? _lastError;
    private MqttProtocolVersion? _negotiatedVersion;
    private uint? _brokerMaximumPacketSize;
    private bool _brokerAcceptsQoS1 = true;
    private bool _brokerAcceptsRetain = true;
    private int _window;
    private CancellationTokenSource? _lifetime;
    private Task? _supervisor;
    private bool _disposed;

    public MqttClient(MqttClientOptions options, ILogger<MqttClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _broker = options.BrokerName;
        _stateSince = _time.GetUtcNow();
        Messages = new AcknowledgingReader(_incoming.Reader);
    }

    public event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    public bool IsConnected => State == MqttConnectionState.Connected;

    public MqttConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public DateTimeOffset StateSince
    {
        get
        {
            lock (_gate)
            {
                return _stateSince;
            }
        }
    }

    public Exception? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>The version in use, once connected (with Auto: 5.0, or 3.1.1 after fallback).</summary>
    public MqttProtocolVersion? ProtocolVersion
    {
        get
        {
            lock (_gate)
            {
                return _negotiatedVersion;
            }
        }
    }

    public ChannelReader<MqttApplicationMessage> Messages { get; }

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (State == MqttConnectionState.Disconnected && _lifetime is not null)
            {
                // Lost with AutoReconnect off: finish that session before starting anew.
                await DisconnectCoreAsync(cancellationToken);
            }

            if (State != MqttConnectionState.Disconnected)
            {
                throw new InvalidOperationException($"The MQTT client for {_broker} is already {State}; call DisconnectAsync first.");
            }

            Raise(ChangeState(MqttConnectionState.Connecting, null));
            MqttConnection connection;
            ConnAckPacket connAck;
            try
            {
                (connection, connAck) = await EstablishAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                if (ex is not OperationCanceledException)
                {
                    Log.ConnectFailed(_logger, _broker, ex);
                }

                Raise(ChangeState(MqttConnectionState.Disconnected, ex as MqttException));
                throw;
            }

            var lifetime = new CancellationTokenSource();
            _lifetime = lifetime;
            Activate(connection, connAck, lifetime.Token);
            _supervisor = SuperviseAsync(connection, lifetime.Token);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        MqttTopic.ValidateMessage(message, nameof(message));
        var properties = MqttProperties.FromMessage(message);
        CheckPacketSize(message, properties);
        if (UnsupportedByBroker(message) is { } unsupported)
        {
            throw new MqttPublishException(message.Topic, unsupported, "the broker announced this in CONNACK");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        return message.QualityOfService == MqttQualityOfService.AtMostOnce
            ? PublishAtMostOnce(message, properties, cancellationToken)
            : PublishAtLeastOnce(message, properties, cancellationToken);
    }

    public async Task<MqttQualityOfService> SubscribeAsync(
        string topicFilter,
        MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce,
        CancellationToken cancellationToken = default)
    {
        MqttTopic.ValidateTopicFilter(topicFilter, nameof(topicFilter));
        MqttTopic.ValidateQualityOfService(qualityOfService, nameof(qualityOfService));
        var response = await SendRequestAsync(
            id => new SubscribePacket { PacketId = id, Subscriptions = [new MqttSubscription(topicFilter, qualityOfService)] },
            onlyOn: null,
            cancellationToken);
        var code = ((SubAckPacket)response).ReasonCodes[0];
        if (code.IsFailure())
        {
            throw new MqttSubscribeException("subscribe to", topicFilter, code, response.Properties?.ReasonString);
        }

        return code == MqttReasonCode.Success ? MqttQualityOfService.AtMostOnce : MqttQualityOfService.AtLeastOnce;
    }

    public async Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        MqttTopic.ValidateTopicFilter(topicFilter, nameof(topicFilter));
        var response = (UnsubAckPacket)await SendRequestAsync(
            id => new UnsubscribePacket { PacketId = id, TopicFilters = [topicFilter] },
            onlyOn: null,
            cancellationToken);
        if (response.ReasonCodes.Count > 0 && response.ReasonCodes[0].IsFailure())
        {
            throw new MqttSubscribeException("unsubscribe from", topicFilter, response.ReasonCodes[0], response.Properties?.ReasonString);
        }
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(CancellationToken.None);
        try
        {
            await DisconnectCoreAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync(CancellationToken.None);
        try
        {
            if (_disposed)
            {
                return;
            }

            await DisconnectCoreAsync(CancellationToken.None);
            lock (_gate)
            {
                _disposed = true;
            }

            _incoming.Writer.TryComplete();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task<(MqttConnection Connection, ConnAckPacket ConnAck)> EstablishAsync(CancellationToken cancellationToken)
    {
        var version = ProtocolVersion ?? (_options.ProtocolVersion == MqttProtocolVersion.Auto ? MqttProtocolVersion.V500 : _options.ProtocolVersion);
        Log.Connecting(_logger, _broker, version, _options.Tls.Enabled);
        try
        {
            return await MqttConnector.ConnectAsync(_options, version, _logger, cancellationToken);
        }
        catch (MqttConnectException ex) when (_options.ProtocolVersion == MqttProtocolVersion.Auto
            && version == MqttProtocolVersion.V500
            && ex.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion)
        {
            Log.FallingBackToV311(_logger, _broker);
            return await MqttConnector.ConnectAsync(_options, MqttProtocolVersion.V311, _logger, cancellationToken);
        }
    }

    /// <summary>Makes a fresh connection the current one: resends in-flight messages, then starts its loops.</summary>
    private bool Activate(MqttConnection connection, ConnAckPacket connAck, CancellationToken lifetime)
    {
        var properties = connAck.Properties;
        MqttConnectionStateChangedEventArgs args;
        KeyValuePair<string, MqttQualityOfService>[]? resubscribe = null;
        int resent;
        lock (_gate)
        {
            if (lifetime.IsCancellationRequested)
            {
                return false;
            }

            _connection = connection;
            _negotiatedVersion = connection.Version;
            _brokerMaximumPacketSize = properties?.MaximumPacketSize;
            _brokerAcceptsQoS1 = properties?.MaximumQoS is not 0;
            _brokerAcceptsRetain = properties?.RetainAvailable is not 0;
            _window = Math.Min(_options.MaxInflightMessages, properties?.ReceiveMaximum ?? ushort.MaxValue);

            // A smaller Receive Maximum than last time: the newest in-flight messages go back to the queue.
            while (_inflight.Count > _window && _inflight.Last is { } last)
            {
                _inflight.RemoveLast();
                var op = last.Value;
                _inflightById.Remove(op.PacketId);
                _packetIds.Release(op.PacketId);
                op.PacketId = 0;
                op.State = OutgoingPublishState.Waiting;
                _waiting.AddFirst(last);
            }

            // MQTT-4.4.0-1: resend unacknowledged PUBLISH packets, in order, with DUP set.
            // Without a session the broker has forgotten them, but the application still waits: send them anyway.
            for (var node = _inflight.First; node is not null;)
            {
                var op = node.Value;
                node = node.Next;
                if (UnsupportedByBrokerLocked(op.Message) is { } unsupported)
                {
                    _inflight.Remove(op.Node);
                    _inflightById.Remove(op.PacketId);
                    _packetIds.Release(op.PacketId);
                    FailLocked(op, new MqttPublishException(op.Message.Topic, unsupported, "the broker announced this in CONNACK"));
                }
                else
                {
                    connection.TryEnqueue(op.CreatePacket(dup: true));
                }
            }

            resent = _inflight.Count;
            PumpLocked(connection);
            if (!connAck.SessionPresent && _subscriptions.Count > 0)
            {
                resubscribe = [.. _subscriptions];
            }

            args = ChangeStateLocked(MqttConnectionState.Connected, null);
        }

        Log.Connected(_logger, _broker, connection.Version, connAck.SessionPresent);
        if (resent > 0)
        {
            Log.Resending(_logger, resent, _broker, connAck.SessionPresent);
        }

        var keepAlive = properties?.ServerKeepAlive is { } serverKeepAlive ? TimeSpan.FromSeconds(serverKeepAlive) : _options.KeepAlive;
        connection.Start(OnPacket, keepAlive, _options.PingResponseTimeout ?? keepAlive);
        Raise(args);
        if (resubscribe is not null)
        {
            _ = ResubscribeAsync(connection, resubscribe);
        }

        return true;
    }

    private async Task SuperviseAsync(MqttConnection connection, CancellationToken lifetime)
    {
        while (true)
        {
            var error = await connection.Closed;
            await connection.DisposeAsync();
            List<PendingRequest> lostRequests;
            List<OutgoingPublish>? failed = null;
            MqttConnectionStateChangedEventArgs? args = null;
            int pending;
            lock (_gate)
            {
                if (_connection == connection)
                {
                    _connection = null;
                }

                lostRequests = TakeRequestsLocked(connection);
                pending = _inflight.Count + _waiting.Count;
                if (!lifetime.IsCancellationRequested)
                {
                    if (_options.AutoReconnect)
                    {
                        args = ChangeStateLocked(MqttConnectionState.Reconnecting, error);
                    }
                    else
                    {
                        failed = TakePublishesLocked();
                        args = ChangeStateLocked(MqttConnectionState.Disconnected, error);
                    }
                }
            }

            var lost = new MqttCommunicationException($"The connection to {_broker} was lost before the broker answered.", error);
            foreach (var request in lostRequests)
            {
                request.Completion.TrySetException(lost);
            }

            if (args is null)
            {
                return;
            }

            Log.ConnectionLost(_logger, _broker, pending, error);
            if (failed is not null)
            {
                Fail(failed, new MqttCommunicationException($"The connection to {_broker} was lost and AutoReconnect is off.", error));
            }

            Raise(args);
            if (failed is not null || await ReconnectAsync(lifetime) is not { } next)
            {
                return;
            }

            connection = next;
        }
    }

    private async Task<MqttConnection?> ReconnectAsync(CancellationToken lifetime)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delay = Backoff(attempt);
            Log.Reconnecting(_logger, _broker, attempt, delay);
            try
            {
                await Task.Delay(delay, _time, lifetime);
                var (connection, connAck) = await EstablishAsync(lifetime);
                if (Activate(connection, connAck, lifetime))
                {
                    return connection;
                }

                await connection.DisposeAsync();
                return null;
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex)
            {
                Log.ConnectFailed(_logger, _broker, ex);
                lock (_gate)
                {
                    _lastError = ex;
                }
            }
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half the ceiling fixed, half random, so clients do not reconnect in step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var min = _options.ReconnectDelayMin.TotalMilliseconds;
        var ceiling = Math.Min(_options.ReconnectDelayMax.TotalMilliseconds, min * Math.Pow(2, Math.Min(attempt - 1, 30)));
        var jitter = RandomNumberGenerator.GetInt32(0, 1_000_001) / 1_000_000.0;
        return TimeSpan.FromMilliseconds((ceiling / 2) + (ceiling / 2 * jitter));
    }

    private async Task DisconnectCoreAsync(CancellationToken cancellationToken)
    {
        if (_lifetime is not { } lifetime)
        {
            return;
        }

        _lifetime = null;
        await lifetime.CancelAsync();
        MqttConnection? connection;
        lock (_gate)
        {
            connection = _connection;
        }

        if (connection is not null)
        {
            await connection.CloseAsync(new DisconnectPacket(), DisconnectTimeout, cancellationToken);
            Log.Disconnected(_logger, _broker);
        }

        if (_supervisor is { } supervisor)
        {
            await supervisor;
            _supervisor = null;
        }

        lifetime.Dispose();
        List<OutgoingPublish> failed;
        List<PendingRequest> requests;
        MqttConnectionStateChangedEventArgs? args = null;
        lock (_gate)
        {
            _connection = null;
            failed = TakePublishesLocked();
            requests = [.. _requests.Values];
            foreach (var id in _requests.Keys)
            {
                _packetIds.Release(id);
            }

            _requests.Clear();
            if (_state != MqttConnectionState.Disconnected)
            {
                args = ChangeStateLocked(MqttConnectionState.Disconnected, null);
            }
        }

        var disconnected = new MqttNotConnectedException($"The client was disconnected from {_broker} by the application before the broker answered.");
        Fail(failed, disconnected);
        foreach (var request in requests)
        {
            request.Completion.TrySetException(disconnected);
        }

        if (args is not null)
        {
            Raise(args);
        }
    }

    private Task PublishAtMostOnce(MqttApplicationMessage message, MqttProperties? properties, CancellationToken cancellationToken)
    {
        MqttConnection? connection;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = _connection;
        }

        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var packet = new PublishPacket
        {
            Topic = message.Topic,
            QualityOfService = MqttQualityOfService.AtMostOnce,
            Retain = message.Retain,
            Payload = message.Payload,
            Properties = properties,
        };
        if (connection is null || !connection.TryEnqueue(packet, written))
        {
            return Task.FromException(NotConnected("QoS 0 messages are not queued while disconnected"));
        }

        return cancellationToken.CanBeCanceled ? written.Task.WaitAsync(cancellationToken) : written.Task;
    }

    private Task PublishAtLeastOnce(MqttApplicationMessage message, MqttProperties? properties, CancellationToken cancellationToken)
    {
        var op = new OutgoingPublish(message, properties);
        if (cancellationToken.CanBeCanceled)
        {
            op.Cancellation = cancellationToken.Register(static (state, token) =>
            {
                var (client, op) = ((MqttClient, OutgoingPublish))state!;
                client.CancelPublish(op, token);
            }, (this, op));
        }

        lock (_gate)
        {
            if (_disposed)
            {
                op.Cancellation.Unregister();
                throw new ObjectDisposedException(GetType().FullName);
            }

            if (op.State != OutgoingPublishState.New)
            {
                return op.Completion.Task;
            }

            if (_state is not (MqttConnectionState.Connected or MqttConnectionState.Reconnecting))
            {
                op.State = OutgoingPublishState.Done;
                op.Cancellation.Unregister();
                return Task.FromException(NotConnected("call ConnectAsync first"));
            }

            op.State = OutgoingPublishState.Waiting;
            _waiting.AddLast(op.Node);
            if (_connection is { } connection)
            {
                PumpLocked(connection);
            }
        }

        return op.Completion.Task;
    }

    /// <summary>Cancelling a message that waits for the window withdraws it; one already sent stays in flight (and may arrive).</summary>
    private void CancelPublish(OutgoingPublish op, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (op.State == OutgoingPublishState.Waiting)
            {
                _waiting.Remove(op.Node);
                op.State = OutgoingPublishState.Done;
            }
            else if (op.State == OutgoingPublishState.New)
            {
                op.State = OutgoingPublishState.Done;
            }
        }

        op.Completion.TrySetCanceled(cancellationToken);
    }

    /// <summary>Moves waiting messages into the in-flight window, in order, and queues them for writing.</summary>
    private void PumpLocked(MqttConnection connection)
    {
        while (_inflight.Count < _window && _packetIds.HasFree && _waiting.First is { } node)
        {
            _waiting.RemoveFirst();
            var op = node.Value;

            // Sending what the broker said it does not support gets the connection closed (MQTT-3.2.2-11,
            // -14), and the resend after reconnect would close it again, forever.
            if (UnsupportedByBrokerLocked(op.Message) is { } unsupported)
            {
                FailLocked(op, new MqttPublishException(op.Message.Topic, unsupported, "the broker announced this in CONNACK"));
                continue;
            }
            op.PacketId = _packetIds.Allocate();
            op.State = OutgoingPublishState.InFlight;
            _inflight.AddLast(node);
            _inflightById.Add(op.PacketId, op);
            connection.TryEnqueue(op.CreatePacket(dup: false));
        }
    }

    private void OnPacket(MqttConnection connection, MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                OnPublish(connection, publish);
                break;
            case PubAckPacket ack:
                OnPubAck(connection, ack);
                break;
            case SubAckPacket subAck:
                OnRequestAnswered(connection, subAck.PacketId, packet);
                break;
            case UnsubAckPacket unsubAck:
                OnRequestAnswered(connection, unsubAck.PacketId, packet);
                break;
            case PingRespPacket:
                break;
            case DisconnectPacket disconnect:
                connection.Abort(new MqttDisconnectedByBrokerException(_broker, disconnect.ReasonCode, disconnect.Properties?.ReasonString));
                break;
            default:
                connection.Abort(new MqttProtocolException($"Broker {_broker} sent {packet}, which a broker never sends to a client.", MqttReasonCode.ProtocolError));
                break;
        }
    }

    private void OnPublish(MqttConnection connection, PublishPacket publish)
    {
        var properties = publish.Properties;
        if (properties?.TopicAlias is not null)
        {
            // This client announces no Topic Alias Maximum, i.e. 0 (MQTT-3.2.2-17 mirrored for the client).
            connection.Abort(new MqttProtocolException($"Broker {_broker} used a topic alias although this client allows none.", MqttReasonCode.TopicAliasInvalid));
            return;
        }

        var message = new MqttApplicationMessage
        {
            Topic = publish.Topic,
            Payload = publish.Payload,
            QualityOfService = publish.QualityOfService,
            Retain = publish.Retain,
            Duplicate = publish.Dup,
            ContentType = properties?.ContentType,
            MessageExpiryInterval = properties?.MessageExpiryInterval is { } expiry ? TimeSpan.FromSeconds(expiry) : null,
            UserProperties = properties?.UserProperties ?? (IReadOnlyList<MqttUserProperty>)[],
            ResponseTopic = properties?.ResponseTopic,
            CorrelationData = properties?.CorrelationData,
        };
        if (publish.Dup)
        {
            Log.DuplicateReceived(_logger, publish.Topic, publish.PacketId);
        }

        var acknowledgeOn = publish.QualityOfService == MqttQualityOfService.AtLeastOnce ? connection : null;
        _incoming.Writer.TryWrite(new IncomingMessage(message, acknowledgeOn, publish.PacketId));
    }

    private void OnPubAck(MqttConnection connection, PubAckPacket ack)
    {
        OutgoingPublish? op;
        lock (_gate)
        {
            if (_connection != connection)
            {
                return;
            }

            if (!_inflightById.Remove(ack.PacketId, out op))
            {
                Log.UnknownPacketId(_logger, _broker, ack.PacketId, "PUBACK");
                return;
            }

            _inflight.Remove(op.Node);
            _packetIds.Release(op.PacketId);
            op.State = OutgoingPublishState.Done;
            PumpLocked(connection);
        }

        op.Cancellation.Unregister();
        if (ack.ReasonCode.IsFailure())
        {
            Log.PublishRejected(_logger, _broker, op.Message.Topic, ack.ReasonCode);
            op.Completion.TrySetException(new MqttPublishException(op.Message.Topic, ack.ReasonCode, ack.Properties?.ReasonString));
        }
        else
        {
            op.Completion.TrySetResult();
        }
    }

    private void OnRequestAnswered(MqttConnection connection, ushort packetId, MqttPacket response)
    {
        PendingRequest? request;
        MqttProtocolException? mismatch = null;
        lock (_gate)
        {
            if (!_requests.TryGetValue(packetId, out request) || request.Connection != connection)
            {
                Log.UnknownPacketId(_logger, _broker, packetId, response.ToString());
                return;
            }

            var expectedCount = request.Packet switch
            {
                SubscribePacket subscribe when response is SubAckPacket => subscribe.Subscriptions.Count,
                UnsubscribePacket unsubscribe when response is UnsubAckPacket unsubAck =>
                    unsubAck.ReasonCodes.Count == 0 ? 0 : unsubscribe.TopicFilters.Count,
                _ => -1,
            };
            var actualCount = response switch
            {
                SubAckPacket subAck => subAck.ReasonCodes.Count,
                UnsubAckPacket unsubAck => unsubAck.ReasonCodes.Count,
                _ => -2,
            };
            if (expectedCount != actualCount)
            {
                mismatch = new MqttProtocolException(
                    $"Broker {_broker} answered {request.Packet} with a {response} that does not match it (MQTT-3.9.3-1, MQTT-3.11.3-1).",
                    MqttReasonCode.ProtocolError);
            }
            else
            {
                _requests.Remove(packetId);
                _packetIds.Release(packetId);
                RecordSubscriptionsLocked(request.Packet, response);
            }
        }

        if (mismatch is not null)
        {
            connection.Abort(mismatch);
            return;
        }

        request.Completion.TrySetResult(response);
    }

    /// <summary>Remembers what the broker granted, to subscribe again after a reconnect without session.</summary>
    private void RecordSubscriptionsLocked(MqttPacket request, MqttPacket response)
    {
        if (request is SubscribePacket subscribe && response is SubAckPacket subAck)
        {
            for (var i = 0; i < subAck.ReasonCodes.Count; i++)
            {
                if (!subAck.ReasonCodes[i].IsFailure())
                {
                    _subscriptions[subscribe.Subscriptions[i].TopicFilter] = subscribe.Subscriptions[i].MaximumQoS;
                }
            }
        }
        else if (request is UnsubscribePacket unsubscribe)
        {
            foreach (var filter in unsubscribe.TopicFilters)
            {
                _subscriptions.Remove(filter);
            }
        }
    }

    private async Task<MqttPacket> SendRequestAsync(Func<ushort, MqttPacket> create, MqttConnection? onlyOn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PendingRequest request;
        ushort packetId;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is not { } connection || (onlyOn is not null && onlyOn != connection))
            {
                throw NotConnected("subscriptions need a live connection");
            }

            packetId = _packetIds.Allocate();
            request = new PendingRequest(create(packetId), connection);
            _requests.Add(packetId, request);
        }

        if (!request.Connection.TryEnqueue(request.Packet))
        {
            lock (_gate)
            {
                if (_requests.Remove(packetId))
                {
                    _packetIds.Release(packetId);
                }
            }

            throw NotConnected("the connection was just lost");
        }

        // Cancelling abandons the wait only: the id stays reserved until the broker answers or the connection ends.
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task ResubscribeAsync(MqttConnection connection, KeyValuePair<string, MqttQualityOfService>[] subscriptions)
    {
        Log.Resubscribing(_logger, _broker, subscriptions.Length);
        try
        {
            var response = (SubAckPacket)await SendRequestAsync(
                id => new SubscribePacket { PacketId = id, Subscriptions = [.. subscriptions.Select(s => new MqttSubscription(s.Key, s.Value))] },
                connection,
                CancellationToken.None);
            for (var i = 0; i < response.ReasonCodes.Count; i++)
            {
                if (response.ReasonCodes[i].IsFailure())
                {
                    var filter = subscriptions[i].Key;
                    Log.ResubscribeFailed(_logger, filter, _broker, new MqttSubscribeException("subscribe to", filter, response.ReasonCodes[i], response.Properties?.ReasonString));
                }
            }
        }
        catch (Exception ex)
        {
            // Fire-and-forget: nothing may escape unobserved. Usually the connection went again, and the next
            // reconnect subscribes again.
            Log.ResubscribeFailed(_logger, string.Join(", ", subscriptions.Select(s => s.Key)), _broker, ex);
        }
    }

    private static void Acknowledge(in IncomingMessage incoming)
    {
        // A message from a connection that has since died is not acknowledged: the broker redelivers it.
        incoming.AcknowledgeOn?.TryEnqueue(new PubAckPacket { PacketId = incoming.PacketId });
    }

    private void CheckPacketSize(MqttApplicationMessage message, MqttProperties? properties)
    {
        // Encoding as 5.0 (the larger form) validates every string and length the codec would reject later.
        var size = MqttPacketCodec.GetEncodedLength(
            new PublishPacket { Topic = message.Topic, PacketId = 1, QualityOfService = message.QualityOfService, Payload = message.Payload, Properties = properties },
            MqttProtocolVersion.V500);
        uint? limit;
        lock (_gate)
        {
            limit = _brokerMaximumPacketSize;
        }

        if (size > limit)
        {
            throw new MqttPublishException(message.Topic, MqttReasonCode.PacketTooLarge, string.Create(CultureInfo.InvariantCulture, $"{size} bytes; the broker accepts at most {limit}"));
        }
    }

    private MqttReasonCode? UnsupportedByBroker(MqttApplicationMessage message)
    {
        lock (_gate)
        {
            return UnsupportedByBrokerLocked(message);
        }
    }

    private MqttReasonCode? UnsupportedByBrokerLocked(MqttApplicationMessage message) =>
        message.QualityOfService == MqttQualityOfService.AtLeastOnce && !_brokerAcceptsQoS1 ? MqttReasonCode.QoSNotSupported
        : message.Retain && !_brokerAcceptsRetain ? MqttReasonCode.RetainNotSupported
        : null;

    private List<OutgoingPublish> TakePublishesLocked()
    {
        var taken = new List<OutgoingPublish>(_inflight.Count + _waiting.Count);
        taken.AddRange(_inflight);
        taken.AddRange(_waiting);
        foreach (var op in _inflight)
        {
            _packetIds.Release(op.PacketId);
        }

        foreach (var op in taken)
        {
            op.State = OutgoingPublishState.Done;
        }

        _inflight.Clear();
        _inflightById.Clear();
        _waiting.Clear();
        return taken;
    }

    private List<PendingRequest> TakeRequestsLocked(MqttConnection connection)
    {
        var taken = new List<PendingRequest>();
        foreach (var (id, request) in _requests.Where(r => r.Value.Connection == connection).ToList())
        {
            _requests.Remove(id);
            _packetIds.Release(id);
            taken.Add(request);
        }

        return taken;
    }

    /// <summary>Safe under the lock: Unregister does not wait for a running cancel callback, and continuations run asynchronously.</summary>
    private static void FailLocked(OutgoingPublish op, Exception error)
    {
        op.State = OutgoingPublishState.Done;
        op.Cancellation.Unregister();
        op.Completion.TrySetException(error);
    }

    private static void Fail(List<OutgoingPublish> ops, Exception error)
    {
        foreach (var op in ops)
        {
            op.Cancellation.Unregister();
            op.Completion.TrySetException(error);
        }
    }

    private MqttNotConnectedException NotConnected(string hint)
    {
        var state = State;
        return new MqttNotConnectedException(state == MqttConnectionState.Reconnecting
            ? $"Not connected to {_broker} (reconnecting since {StateSince:O}): {hint}."
            : $"Not connected to {_broker} ({state}): {hint}.");
    }

    private MqttConnectionStateChangedEventArgs ChangeState(MqttConnectionState state, Exception? error)
    {
        lock (_gate)
        {
            return ChangeStateLocked(state, error);
        }
    }

    private MqttConnectionStateChangedEventArgs ChangeStateLocked(MqttConnectionState state, Exception? error)
    {
        _state = state;
        _stateSince = _time.GetUtcNow();
        if (error is not null)
        {
            _lastError = error;
        }

        return new MqttConnectionStateChangedEventArgs(state, _stateSince, error);
    }

    private void Raise(MqttConnectionStateChangedEventArgs args)
    {
        try
        {
            ConnectionStateChanged?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            Log.StateHandlerFailed(_logger, ex);
        }
    }

    private readonly record struct IncomingMessage(MqttApplicationMessage Message, MqttConnection? AcknowledgeOn, ushort PacketId);

    private sealed class PendingRequest(MqttPacket packet, MqttConnection connection)
    {
        public MqttPacket Packet { get; } = packet;

        public MqttConnection Connection { get; } = connection;

        public TaskCompletionSource<MqttPacket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The application's view of incoming messages: reading one is what acknowledges it.</summary>
    private sealed class AcknowledgingReader(ChannelReader<IncomingMessage> inner) : ChannelReader<MqttApplicationMessage>
    {
        private readonly ChannelReader<IncomingMessage> _inner = inner;

        public override Task Completion => _inner.Completion;

        public override bool CanCount => _inner.CanCount;

        public override int Count => _inner.Count;

        public override bool TryRead([MaybeNullWhen(false)] out MqttApplicationMessage item)
        {
            if (_inner.TryRead(out var incoming))
            {
                Acknowledge(incoming);
                item = incoming.Message;
                return true;
            }

            item = null;
            return false;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            _inner.WaitToReadAsync(cancellationToken);
    }
}
