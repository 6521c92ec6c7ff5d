using MirtLab.Mqtt.Tests.Support;
using MirtLab.Testing;

namespace MirtLab.Mqtt.Tests.Conformance;

/// <summary>CONNECT against a real Mosquitto: protocol versions, passwords, TLS and client certificates.</summary>
public sealed class MosquittoConnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Password_Right_IsAccepted(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Users = new Dictionary<string, string> { ["lab"] = "µ-right" } }, Ct);
        var options = TestClients.For(broker, "password", version);
        options.Username = "lab";
        options.Password = "µ-right";

        await using var client = await TestClients.ConnectAsync(options);

        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Password_Wrong_IsRefusedAsNotAuthorized(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Users = new Dictionary<string, string> { ["lab"] = "right" } }, Ct);
        var options = TestClients.For(broker, "password", version);
        options.Username = "lab";
        options.Password = "wrong";
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(Ct));

        // Mosquitto 2.0 answers a bad password with "not authorized" in both versions (3.1.1 return code 5, 5.0 0x87).
        Assert.Equal(MqttReasonCode.NotAuthorized, ex.ReasonCode);
        Assert.Contains("refused the connection: NotAuthorized (0x87)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Tls_BrokerCertificateFromTheConfiguredCa_Connects(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true }, Ct);
        var options = TlsOptions(broker, version);

        await using var client = await TestClients.ConnectAsync(options);
        await client.PublishAsync(TestClients.Message("lab/v1/tls", "over TLS"), Ct);

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Tls_BrokerCertificateFromAnUntrustedCa_IsRejected()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true }, Ct);
        var options = TlsOptions(broker);
        options.Tls.CaFile = broker.Certificates!.UntrustedCaCertificateFile;
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync(Ct));

        Assert.Contains("the server certificate was rejected: it does not chain to a CA in Mqtt:Tls:CaFile", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_BrokerReachedByANameNotInItsCertificate_IsRejected()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true }, Ct);
        var options = TlsOptions(broker);
        options.Tls.ServerName = "lis.example.org";
        await using var client = new MqttClient(options);

        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync(Ct));

        Assert.Contains("not issued for 'lis.example.org'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_UntrustedBrokerWithValidationExplicitlyOff_Connects()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true }, Ct);
        var options = TlsOptions(broker);
        options.Tls.CaFile = null;
        options.Tls.DangerouslyAcceptAnyServerCertificate = true;

        await using var client = await TestClients.ConnectAsync(options);

        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public async Task Tls_ClientCertificateRequired_ConnectsWithTheClientCertificate(string format)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true }, Ct);
        var pki = broker.Certificates!;
        var options = TlsOptions(broker);
        if (format == "pem")
        {
            options.Tls.ClientCertificateFile = pki.ClientCertificateFile;
            options.Tls.ClientKeyFile = pki.ClientKeyFile;
        }
        else
        {
            options.Tls.ClientCertificateFile = pki.ClientPfxFile;
            options.Tls.ClientCertificatePassword = TestCertificates.PfxPassword;
        }

        await using var client = await TestClients.ConnectAsync(options);
        await client.PublishAsync(TestClients.Message("lab/v1/mtls", "with a client certificate"), Ct);

        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("untrusted")]
    public async Task Tls_ClientCertificateRequired_WithoutAValidOne_IsRefused(string certificate)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true }, Ct);
        var options = TlsOptions(broker);
        if (certificate == "untrusted")
        {
            options.Tls.ClientCertificateFile = broker.Certificates!.UntrustedClientCertificateFile;
            options.Tls.ClientKeyFile = broker.Certificates.UntrustedClientKeyFile;
        }

        await using var client = new MqttClient(options);

        // With TLS 1.3 the broker's verdict on the client certificate arrives after the handshake, so it
        // surfaces while waiting for CONNACK; either way the connection fails as a communication error.
        await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync(Ct));
        Assert.False(client.IsConnected);
    }

    private static MqttClientOptions TlsOptions(MosquittoBroker broker, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var options = TestClients.For(broker, "tls", version);
        options.Tls.Enabled = true;
        options.Tls.CaFile = broker.Certificates!.CaCertificateFile;

        // Connect to 127.0.0.1 but check the certificate for "localhost": exercises the server name override.
        options.Tls.ServerName = "localhost";
        return options;
    }
}
