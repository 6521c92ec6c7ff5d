using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt;

/// <summary>
/// One network connection after CONNACK: a single reader loop, a single writer loop (all writes are queued
/// to it, so packets are never interleaved) and a keep-alive loop. It dies once, via <see cref="Abort"/>.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Stream _stream;
    private readonly MqttPacketReader _reader;
    private readonly TimeProvider _time;
    private readonly string _broker;
    private readonly Channel<OutgoingPacket> _outgoing = Channel.CreateUnbounded<OutgoingPacket>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loops = Task.CompletedTask;
    private int _aborted;
    private long _lastSent;
    private long _lastReceived;

    public MqttConnection(Stream stream, MqttPacketReader reader, TimeProvider time, string broker)
    {
        _stream = stream;
        _reader = reader;
        _time = time;
        _broker = broker;
    }

    public MqttProtocolVersion Version => _reader.Version;

    /// <summary>Completes when the connection is dead: with the reason, or null when closed by this client.</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>Queues a packet for the writer loop; false once the connection is dead.</summary>
    public bool TryEnqueue(MqttPacket packet, TaskCompletionSource? written = null) =>
        _outgoing.Writer.TryWrite(new OutgoingPacket(packet, written));

    public void Start(Action<MqttConnection, MqttPacket> onPacket, TimeSpan keepAlive, TimeSpan pingResponseTimeout)
    {
        _lastSent = _lastReceived = _time.GetTimestamp();
        _loops = Task.WhenAll(
            Task.Run(() => ReadLoopAsync(onPacket)),
            Task.Run(WriteLoopAsync),
            keepAlive > TimeSpan.Zero ? Task.Run(() => KeepAliveLoopAsync(keepAlive, pingResponseTimeout)) : Task.CompletedTask);
    }

    /// <summary>Kills the connection; the first reason wins. Pending reads and writes end with an exception.</summary>
    public void Abort(Exception? reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _closed.TrySetResult(reason);
        _outgoing.Writer.TryComplete();
        _cts.Cancel();
        _stream.Dispose();
    }

    /// <summary>Sends DISCONNECT and waits (bounded) for the broker to close its side before closing ours.</summary>
    public async Task CloseAsync(DisconnectPacket disconnect, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = TryEnqueue(disconnect, written);

        // Nothing may follow DISCONNECT (MQTT-3.14.4-2): later packets are refused and their senders told so.
        _outgoing.Writer.TryComplete();
        if (queued)
        {
            try
            {
                using var timeoutCts = new CancellationTokenSource(timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
                await written.Task.WaitAsync(linked.Token);

                // MQTT 3.14.4: the broker closes the connection after DISCONNECT. Closing first, with bytes still
                // unread, would make ours a reset that can overtake the DISCONNECT, and the broker would send the will.
                await Closed.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (MqttException)
            {
            }
        }

        Abort(null);
    }

    public async ValueTask DisposeAsync()
    {
        Abort(null);
        await _loops;
        _cts.Dispose();
    }

    private async Task ReadLoopAsync(Action<MqttConnection, MqttPacket> onPacket)
    {
        try
        {
            while (true)
            {
                var packet = await _reader.ReadAsync(_cts.Token);
                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                onPacket(this, packet);
            }
        }
        catch (Exception ex)
        {
            Abort(Describe(ex));
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outgoing.Reader;
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        var signals = new List<TaskCompletionSource>();
        Exception? failure = null;
        try
        {
            while (await reader.WaitToReadAsync(_cts.Token))
            {
                // Batch what is queued into one write: pipelined publishes then cost one syscall per 64 KiB.
                while (buffer.WrittenCount < FlushThreshold && reader.TryRead(out var item))
                {
                    MqttPacketCodec.Encode(buffer, item.Packet, Version);
                    if (item.Written is not null)
                    {
                        signals.Add(item.Written);
                    }
                }

                await _stream.WriteAsync(buffer.WrittenMemory, _cts.Token);
                await _stream.FlushAsync(_cts.Token);
                Volatile.Write(ref _lastSent, _time.GetTimestamp());
                buffer.ResetWrittenCount();
                foreach (var signal in signals)
                {
                    signal.TrySetResult();
                }

                signals.Clear();
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            Abort(Describe(ex));
        }

        var notWritten = new MqttCommunicationException($"The connection to {_broker} was lost before the packet was written.", failure is null ? null : Describe(failure));
        foreach (var signal in signals)
        {
            signal.TrySetException(notWritten);
        }

        while (reader.TryRead(out var item))
        {
            item.Written?.TrySetException(notWritten);
        }
    }

    private async Task KeepAliveLoopAsync(TimeSpan keepAlive, TimeSpan pingResponseTimeout)
    {
        // Checking four times per period keeps the idle gap below 1.25 keep-alive, inside the broker's 1.5 (MQTT-3.1.2-24).
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 50, Math.Min(keepAlive.Ticks, pingResponseTimeout.Ticks) / 4));
        long pingSentAt = 0;
        try
        {
            while (true)
            {
                await Task.Delay(tick, _time, _cts.Token);
                var now = _time.GetTimestamp();
                var lastReceived = Volatile.Read(ref _lastReceived);
                if (pingSentAt != 0)
                {
                    if (lastReceived >= pingSentAt)
                    {
                        pingSentAt = 0;
                    }
                    else if (_time.GetElapsedTime(pingSentAt, now) >= pingResponseTimeout)
                    {
                        Abort(new MqttCommunicationException(
                            $"Keep-alive: {_broker} sent nothing for {pingResponseTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s after PINGREQ; the connection is dead."));
                        return;
                    }
                }

                // Ping also when the broker has been silent: a publisher that keeps writing would otherwise never
                // notice a broker that stopped reading.
                if (pingSentAt == 0
                    && (_time.GetElapsedTime(Volatile.Read(ref _lastSent), now) >= keepAlive || _time.GetElapsedTime(lastReceived, now) >= keepAlive))
                {
                    if (!TryEnqueue(PingReqPacket.Instance))
                    {
                        return;
                    }

                    pingSentAt = now;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Exception Describe(Exception ex) => ex switch
    {
        MqttException => ex,
        EndOfStreamException => new MqttCommunicationException($"{_broker} closed the connection.", ex),
        IOException or SocketException or ObjectDisposedException or OperationCanceledException =>
            new MqttCommunicationException($"The connection to {_broker} failed: {ex.Message}", ex),
        _ => ex,
    };

    private readonly record struct OutgoingPacket(MqttPacket Packet, TaskCompletionSource? Written);
}
