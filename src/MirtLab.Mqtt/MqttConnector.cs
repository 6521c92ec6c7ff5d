using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt;

/// <summary>Opens a connection: TCP, TLS, CONNECT, CONNACK, all within <see cref="MqttClientOptions.ConnectTimeout"/>.</summary>
internal static class MqttConnector
{
    public static async Task<(MqttConnection Connection, ConnAckPacket ConnAck)> ConnectAsync(
        MqttClientOptions options,
        MqttProtocolVersion version,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var broker = options.BrokerName;
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stage = "TCP connect";
        string? certificateProblem = null;
        Socket? socket = null;
        Stream? stream = null;
        var success = false;
        try
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(options.Host, options.EffectivePort, linked.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls.Enabled)
            {
                stage = "TLS handshake";
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var sslOptions = CreateSslOptions(options, logger, problem => certificateProblem = problem);
                await ssl.AuthenticateAsClientAsync(sslOptions, linked.Token);
            }

            stage = "CONNACK";
            await stream.WriteAsync(MqttPacketCodec.Encode(CreateConnect(options, version), version), linked.Token);
            var reader = new MqttPacketReader(stream, version, options.MaximumPacketSize);
            var packet = await reader.ReadAsync(linked.Token);
            if (packet is not ConnAckPacket connAck)
            {
                throw new MqttProtocolException($"Broker {broker} answered CONNECT with {packet}, not CONNACK (MQTT-3.2.0-1).", MqttReasonCode.ProtocolError);
            }

            if (connAck.ReasonCode != MqttReasonCode.Success)
            {
                throw new MqttConnectException(broker, connAck.ReasonCode, connAck.Properties?.ReasonString);
            }

            success = true;
            return (new MqttConnection(stream, reader, options.TimeProvider, broker), connAck);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MqttCommunicationException(
                string.Create(CultureInfo.InvariantCulture, $"Connecting to {broker} timed out after {options.ConnectTimeout.TotalSeconds:0.###} s ({stage})."),
                ex);
        }
        catch (AuthenticationException ex)
        {
            throw new MqttCommunicationException(
                certificateProblem is null
                    ? $"TLS handshake with {broker} failed: {ex.Message}"
                    : $"TLS handshake with {broker} failed: the server certificate was rejected: {certificateProblem}",
                ex);
        }
        catch (SocketException ex)
        {
            throw new MqttCommunicationException($"Cannot connect to {broker}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new MqttCommunicationException($"The connection to {broker} failed during {stage}: {ex.Message}", ex);
        }
        catch (CryptographicException ex)
        {
            throw new MqttCommunicationException($"TLS setup for {broker} failed: {ex.Message}", ex);
        }
        finally
        {
            if (!success)
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync();
                }
                else
                {
                    socket?.Dispose();
                }
            }
        }
    }

    internal static ConnectPacket CreateConnect(MqttClientOptions options, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = options.ClientId,
            CleanStart = !options.PersistentSession,
            KeepAliveSeconds = (ushort)options.KeepAlive.TotalSeconds,
            Username = options.Username,
            Password = options.Password is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(options.Password),
            Will = options.LastWill is { } will
                ? new ConnectWill
                {
                    Topic = will.Topic,
                    Payload = will.Payload,
                    QualityOfService = will.QualityOfService,
                    Retain = will.Retain,
                    Properties = v5 ? MqttProperties.FromMessage(will) : null,
                }
                : null,
            Properties = v5
                ? new MqttProperties
                {
                    SessionExpiryInterval = options.PersistentSession
                        ? (uint)Math.Min(uint.MaxValue, Math.Ceiling(options.SessionExpiry.TotalSeconds))
                        : null,
                    ReceiveMaximum = options.ReceiveMaximum < ushort.MaxValue ? (ushort)options.ReceiveMaximum : null,
                    MaximumPacketSize = (uint)options.MaximumPacketSize,
                }
                : null,
        };
    }

    private static SslClientAuthenticationOptions CreateSslOptions(MqttClientOptions options, ILogger logger, Action<string> reportProblem)
    {
        var tls = options.Tls;
        var broker = options.BrokerName;
        var targetHost = tls.ServerName ?? options.Host;
        X509Certificate2Collection? trustedCas = null;
        if (tls.CaFile is not null)
        {
            trustedCas = [];
            trustedCas.ImportFromPemFile(tls.CaFile);
            if (trustedCas.Count == 0)
            {
                throw new CryptographicException($"Mqtt:Tls:CaFile '{tls.CaFile}' holds no PEM certificate.");
            }
        }

        var sslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (tls.DangerouslyAcceptAnyServerCertificate)
                {
                    Log.CertificateNotValidated(logger, broker);
                    return true;
                }

                var problem = trustedCas is null
                    ? SystemStoreProblem(errors, chain)
                    : CustomCaProblem(certificate, chain, errors, trustedCas, targetHost);
                if (problem is not null)
                {
                    Log.CertificateRejected(logger, broker, problem);
                    reportProblem(problem);
                }

                return problem is null;
            },
        };

        if (LoadClientCertificate(tls) is { } clientCertificate)
        {
            // A context is always presented, whatever CA names the broker lists in its CertificateRequest.
            sslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true);
        }

        return sslOptions;
    }

    private static string? SystemStoreProblem(SslPolicyErrors errors, X509Chain? chain)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        var details = chain is null ? "" : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
        return details.Length == 0 ? errors.ToString() : $"{errors}: {details}";
    }

    private static string? CustomCaProblem(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection trustedCas, string targetHost)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "the broker presented no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"the certificate is not issued for '{targetHost}' (set Mqtt:Tls:ServerName if the broker is reached by another name)";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf))
        {
            return null;
        }

        var details = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
        return $"it does not chain to a CA in Mqtt:Tls:CaFile ({details})";
    }

    private static X509Certificate2? LoadClientCertificate(MqttTlsOptions tls)
    {
        if (tls.ClientCertificateFile is not { } file)
        {
            return null;
        }

        var extension = Path.GetExtension(file);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, tls.ClientCertificatePassword);
        }

        var certificate = tls.ClientCertificatePassword is { } password
            ? X509Certificate2.CreateFromEncryptedPemFile(file, password, tls.ClientKeyFile)
            : X509Certificate2.CreateFromPemFile(file, tls.ClientKeyFile);
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key of a PEM import; a PKCS#12 round trip gives it a usable one.
            using (certificate)
            {
                return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
            }
        }

        return certificate;
    }
}
