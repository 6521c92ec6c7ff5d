using System.Text;
using MirtLab.Mqtt.Tests.Support;
using MirtLab.Testing;

namespace MirtLab.Mqtt.Tests.Conformance;

/// <summary>The usage example handed to the host's authors, compiled and run against Mosquitto.</summary>
public sealed class MosquittoUsageExampleTests
{
    [Fact]
    public async Task UsageExample_PublishQoS1OverTlsWithPassword_ArrivesAtAnIndependentSubscriber()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(
            new MosquittoOptions { Tls = true, Users = new Dictionary<string, string> { ["mirtlab"] = "s3cret" } }, ct);
        await using var subscriber = await MosquittoCommandLine.SubscribeAsync(
            broker, "mirtlab/v1/results/#", count: 1, arguments: ["-u", "mirtlab", "-P", "s3cret", "-V", "mqttv5", "-F", "%t %q %C %p"], cancellationToken: ct);
        var caFile = broker.Certificates!.CaCertificateFile;
        var json = Encoding.UTF8.GetBytes("{\"analyte\":\"tacrolimus\",\"value\":7.4,\"unit\":\"ug/L\"}");

        // --- the example ---
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            ClientId = "mirtlab-worker-01",
            Username = "mirtlab",
            Password = "s3cret",
            Tls = new MqttTlsOptions { Enabled = true, CaFile = caFile, ServerName = "localhost" },
        });
        await client.ConnectAsync(ct);
        await client.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = "mirtlab/v1/results/run-17",
                Payload = json,
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ContentType = "application/json",
            },
            ct);
        await client.DisconnectAsync(ct);
        // --- end of the example ---

        Assert.Equal(
            ["mirtlab/v1/results/run-17 1 application/json {\"analyte\":\"tacrolimus\",\"value\":7.4,\"unit\":\"ug/L\"}"],
            await subscriber.WaitForExitAsync(TestClients.Patience, ct));
    }
}
