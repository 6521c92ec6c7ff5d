using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Support;

/// <summary>
/// A scripted broker on a loopback port: the test accepts each connection and decides packet by packet what
/// the broker answers, including garbage, silence and abrupt closes that a real broker will not produce.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakeBrokerConnection> _accepted = Channel.CreateUnbounded<FakeBrokerConnection>();
    private readonly List<FakeBrokerConnection> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public FakeBroker()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public MqttClientOptions ClientOptions(MqttProtocolVersion version = MqttProtocolVersion.V500) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        ClientId = "fake-test-client",
        ProtocolVersion = version,
        KeepAlive = TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(20),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>The next client connection (in arrival order).</summary>
    public async Task<FakeBrokerConnection> AcceptAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Accepts a connection, reads its CONNECT and answers with a successful CONNACK.</summary>
    public async Task<(FakeBrokerConnection Connection, ConnectPacket Connect)> AcceptAndConnAckAsync(bool sessionPresent = false, MqttProperties? properties = null)
    {
        var connection = await AcceptAsync();
        var connect = await connection.ReadAsync<ConnectPacket>();
        await connection.SendAsync(new ConnAckPacket { SessionPresent = sessionPresent, ReasonCode = MqttReasonCode.Success, Properties = properties });
        return (connection, connect);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var connection = new FakeBrokerConnection(socket);
                lock (_connections)
                {
                    _connections.Add(connection);
                }

                _accepted.Writer.TryWrite(connection);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }
}

/// <summary>
/// One client connection seen from the broker side. A background loop reads packets as they come and, like
/// a real broker, closes the connection after a DISCONNECT (MQTT-3.14.4-1).
/// </summary>
internal sealed class FakeBrokerConnection : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Channel<MqttPacket> _received = Channel.CreateUnbounded<MqttPacket>();
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public FakeBrokerConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _ = ReadLoopAsync();
    }

    /// <summary>Set from the CONNECT packet; used to decode and encode everything after it.</summary>
    public MqttProtocolVersion Version { get; private set; } = MqttProtocolVersion.V500;

    public async Task<MqttPacket> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ReadTimeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException ex)
        {
            throw new EndOfStreamException("The client closed the connection.", ex);
        }
    }

    public async Task<T> ReadAsync<T>(TimeSpan? timeout = null)
        where T : MqttPacket
    {
        var packet = await ReadAsync(timeout);
        return packet as T ?? throw new InvalidOperationException($"Expected {typeof(T).Name}, the client sent {packet}.");
    }

    /// <summary>Reads until a packet of type <typeparamref name="T"/>, skipping others (e.g. PUBLISH before DISCONNECT).</summary>
    public async Task<T> ReadUntilAsync<T>(TimeSpan? timeout = null)
        where T : MqttPacket
    {
        while (true)
        {
            if (await ReadAsync(timeout) is T packet)
            {
                return packet;
            }
        }
    }

    public Task SendAsync(MqttPacket packet) => SendRawAsync(MqttPacketCodec.Encode(packet, Version));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes with a reset, like a crashed broker.</summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
            _socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _stream.Dispose();

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    // Compact, and grow when one packet does not fit.
                    var target = start == 0 ? new byte[buffer.Length * 2] : buffer;
                    buffer.AsSpan(start, end - start).CopyTo(target);
                    (buffer, end, start) = (target, end - start, 0);
                }

                var read = await _stream.ReadAsync(buffer.AsMemory(end));
                if (read == 0)
                {
                    break;
                }

                end += read;
                while (TryTake(buffer.AsSpan(start, end - start), out var packet, out var consumed))
                {
                    start += consumed;
                    _received.Writer.TryWrite(packet);
                    if (packet is DisconnectPacket)
                    {
                        _stream.Dispose();
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or MqttProtocolException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private bool TryTake(ReadOnlySpan<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MqttPacket? packet, out int consumed)
    {
        if (bytes.Length > 0 && bytes[0] >> 4 == (int)MqttPacketType.Connect
            && MqttPacketCodec.TryReadFixedHeader(bytes, out var headerLength, out var remainingLength)
            && bytes.Length >= headerLength + remainingLength)
        {
            // The protocol level byte of CONNECT (after the "MQTT" name) fixes the version of the connection.
            Version = (MqttProtocolVersion)bytes[headerLength + 6];
        }

        return MqttPacketCodec.TryDecode(bytes, Version, int.MaxValue, out packet, out consumed);
    }
}
