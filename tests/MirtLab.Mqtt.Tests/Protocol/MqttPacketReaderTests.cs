using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

public sealed class MqttPacketReaderTests
{
    [Fact]
    public async Task Reader_PacketsSplitAcrossArbitraryReads_ComeOutWhole()
    {
        var names = SamplePackets.All.Keys.Where(n => !n.StartsWith("CONNECT ", StringComparison.Ordinal)).ToList();
        var bytes = names.SelectMany(n => SamplePackets.Encode(n, MqttProtocolVersion.V500)).ToArray();
        var big = MqttPacketCodec.Encode(new PublishPacket { Topic = "big", Payload = new byte[300_000] }, MqttProtocolVersion.V500);
        var stream = new TricklingStream([.. bytes, .. big], new Random(7));
        var reader = new MqttPacketReader(stream, MqttProtocolVersion.V500, 1 << 20);

        foreach (var name in names)
        {
            var packet = await reader.ReadAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Convert.ToHexString(SamplePackets.Encode(name, MqttProtocolVersion.V500)), Convert.ToHexString(MqttPacketCodec.Encode(packet, MqttProtocolVersion.V500)));
        }

        var publish = Assert.IsType<PublishPacket>(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(300_000, publish.Payload.Length);
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reader_StreamEndingInsideAPacket_SaysSo()
    {
        var reader = new MqttPacketReader(new MemoryStream([0x30, 0x05, 0x00]), MqttProtocolVersion.V311, 1024);

        var ex = await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));

        Assert.Contains("in the middle of a packet", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Returns at most a random handful of bytes per read, as a congested network does.</summary>
    private sealed class TricklingStream(byte[] data, Random random) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, random.Next(1, 700))], cancellationToken);
    }
}
