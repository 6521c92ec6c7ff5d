namespace MirtLab.Mqtt;

/// <summary>TLS for the broker connection (section Mqtt:Tls).</summary>
public sealed class MqttTlsOptions
{
    /// <value>Default false.</value>
    public bool Enabled { get; set; }

    /// <summary>
    /// PEM file with the CA certificate(s) that sign the broker's certificate. When set, only these are trusted
    /// (the system store is not consulted); when null, the system store decides.
    /// </summary>
    /// <value>Default null.</value>
    public string? CaFile { get; set; }

    /// <summary>Name sent in SNI and checked against the broker certificate.</summary>
    /// <value>Default null: the host name.</value>
    public string? ServerName { get; set; }

    /// <summary>Client certificate: a PEM certificate file (with <see cref="ClientKeyFile"/>) or a PFX/PKCS#12 file (.pfx, .p12).</summary>
    /// <value>Default null: no client certificate.</value>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of a PEM client certificate; null when the key is in the certificate file.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Password of a PFX client certificate.</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>Accept any server certificate. Only for a lab bench: anyone on the path can read and forge results.</summary>
    /// <value>Default false.</value>
    public bool DangerouslyAcceptAnyServerCertificate { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (CaFile is not null && !File.Exists(CaFile))
        {
            yield return $"Mqtt:Tls:CaFile '{CaFile}' does not exist.";
        }

        if (ClientCertificateFile is not null && !File.Exists(ClientCertificateFile))
        {
            yield return $"Mqtt:Tls:ClientCertificateFile '{ClientCertificateFile}' does not exist.";
        }

        if (ClientKeyFile is not null && !File.Exists(ClientKeyFile))
        {
            yield return $"Mqtt:Tls:ClientKeyFile '{ClientKeyFile}' does not exist.";
        }

        if (ClientKeyFile is not null && ClientCertificateFile is null)
        {
            yield return "Mqtt:Tls:ClientKeyFile needs ClientCertificateFile.";
        }

        if (DangerouslyAcceptAnyServerCertificate && CaFile is not null)
        {
            yield return "Mqtt:Tls: CaFile and DangerouslyAcceptAnyServerCertificate contradict each other.";
        }
    }
}
