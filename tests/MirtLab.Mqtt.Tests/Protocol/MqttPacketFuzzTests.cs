using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt.Tests.Protocol;

/// <summary>
/// Seeded mutations of valid packets: whatever the bytes, decoding yields packets or an
/// MqttProtocolException, never another exception and never a hang. Seeds are fixed, so a failure repeats.
/// </summary>
public sealed class MqttPacketFuzzTests
{
    private const int MutationsPerPacket = 400;

    public static TheoryData<string, MqttProtocolVersion> Packets => SamplePackets.NamesAndVersions();

    [Theory]
    [MemberData(nameof(Packets))]
    public async Task MutatedPacket_DecodesOrThrowsProtocolException(string name, MqttProtocolVersion version)
    {
        var original = SamplePackets.Encode(name, version);
        var random = new Random(HashCode.Combine(StableHash(name), (int)version));

        await Task.Run(() =>
        {
            for (var i = 0; i < MutationsPerPacket; i++)
            {
                var mutated = Mutate(original, random);
                AssertDecodesOrRejects(mutated, version, $"{name} {version} mutation {i}");
            }
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RandomBytes_DecodeOrThrowProtocolException()
    {
        var random = new Random(20240601);

        await Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var bytes = new byte[random.Next(0, 64)];
                random.NextBytes(bytes);
                AssertDecodesOrRejects(bytes, i % 2 == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500, $"random input {i}");
            }
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    private static void AssertDecodesOrRejects(byte[] bytes, MqttProtocolVersion version, string what)
    {
        try
        {
            var offset = 0;
            while (offset < bytes.Length
                && MqttPacketCodec.TryDecode(bytes.AsSpan(offset), version, 1 << 20, out var packet, out var consumed))
            {
                Assert.True(consumed > 0, $"{what}: consumed nothing");
                offset += consumed;

                // Whatever decodes must also encode: the codec never hands out a packet it cannot write.
                _ = MqttPacketCodec.Encode(packet, packet is ConnectPacket connect ? connect.ProtocolVersion : version);
            }
        }
        catch (MqttProtocolException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {Convert.ToHexString(bytes)} threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 when bytes.Count > 1:
                    // Lengths are where parsers break: rewrite the remaining length or a 16-bit length field.
                    bytes[1] = (byte)random.Next(256);
                    break;
                default:
                    if (bytes.Count > 2)
                    {
                        var length = random.Next(1, Math.Min(8, bytes.Count - at) + 1);
                        bytes.InsertRange(at, bytes.GetRange(at, Math.Min(length, bytes.Count - at)));
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
