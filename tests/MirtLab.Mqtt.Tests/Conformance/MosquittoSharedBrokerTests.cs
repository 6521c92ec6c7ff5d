using MirtLab.Mqtt.Tests.Support;
using MirtLab.Testing;

namespace MirtLab.Mqtt.Tests.Conformance;

/// <summary>Tests that leave the broker as they found it share one, through <see cref="MosquittoFixture"/>.</summary>
public sealed class MosquittoSharedBrokerTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttProtocolVersion.V311, "p2")]
    [InlineData(MqttProtocolVersion.V500, MqttProtocolVersion.V500, "p5")]
    [InlineData(MqttProtocolVersion.Auto, MqttProtocolVersion.V500, "p5")]
    public async Task Connect_EachProtocolVersion_IsTheOneMosquittoSees(MqttProtocolVersion requested, MqttProtocolVersion expected, string mosquittoTag)
    {
        var options = TestClients.For(mosquitto.Broker, "connect", requested);

        await using var client = await TestClients.ConnectAsync(options);

        Assert.True(client.IsConnected);
        Assert.Equal(expected, client.ProtocolVersion);
        await mosquitto.Broker.WaitForLogAsync($"as {options.ClientId} ({mosquittoTag},", TestClients.Patience, Ct);
    }

    [Fact]
    public async Task Disconnect_IsACleanDisconnectAtTheBroker()
    {
        var options = TestClients.For(mosquitto.Broker, "clean");
        await using var client = await TestClients.ConnectAsync(options);

        await client.DisconnectAsync(Ct);

        Assert.Equal(MqttConnectionState.Disconnected, client.State);
        await mosquitto.Broker.WaitForLogAsync($"Client {options.ClientId} disconnected.", TestClients.Patience, Ct);
        Assert.DoesNotContain($"Client {options.ClientId} closed its connection", mosquitto.Broker.Log, StringComparison.Ordinal);
    }
}
