using System.Diagnostics;

namespace MirtLab.Testing;

/// <summary>
/// A throw-away PKI made with openssl for TLS tests: a CA, a broker certificate for localhost/127.0.0.1,
/// a client certificate (PEM and PFX), and a second, untrusted CA with a client certificate of its own.
/// </summary>
public sealed class TestCertificates
{
    public const string PfxPassword = "mirtlab-test";

    private static readonly Lazy<TestCertificates> SharedLazy = new(() =>
    {
        var folder = new TempFolder("mirtlab-test-pki");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return Generate(folder.Path);
    });

    private TestCertificates(string folder)
    {
        Folder = folder;
    }

    /// <summary>One set per test process (generation takes a few hundred milliseconds).</summary>
    public static TestCertificates Shared => SharedLazy.Value;

    public string Folder { get; }

    public string CaCertificateFile => Combine("ca.crt");

    public string ServerCertificateFile => Combine("server.crt");

    public string ServerKeyFile => Combine("server.key");

    /// <summary>Signed by the CA; subject CN=mirtlab-test-client.</summary>
    public string ClientCertificateFile => Combine("client.crt");

    public string ClientKeyFile => Combine("client.key");

    /// <summary>The client certificate and key as PKCS#12, password <see cref="PfxPassword"/>.</summary>
    public string ClientPfxFile => Combine("client.pfx");

    /// <summary>A CA nobody trusts: clients configured with it must reject the broker.</summary>
    public string UntrustedCaCertificateFile => Combine("untrusted-ca.crt");

    /// <summary>A client certificate signed by the untrusted CA: a broker requiring certificates must refuse it.</summary>
    public string UntrustedClientCertificateFile => Combine("untrusted-client.crt");

    public string UntrustedClientKeyFile => Combine("untrusted-client.key");

    public static TestCertificates Generate(string folder)
    {
        Directory.CreateDirectory(folder);
        var pki = new TestCertificates(folder);
        pki.CreateCa("ca", "MirtLab Test CA");
        pki.CreateCa("untrusted-ca", "MirtLab Untrusted Test CA");
        File.WriteAllText(pki.Combine("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
        File.WriteAllText(pki.Combine("client.ext"), "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
        pki.CreateSigned("server", "localhost", "ca", "server.ext");
        pki.CreateSigned("client", "mirtlab-test-client", "ca", "client.ext");
        pki.CreateSigned("untrusted-client", "mirtlab-untrusted-client", "untrusted-ca", "client.ext");
        Openssl(folder, "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.pfx", "-passout", "pass:" + PfxPassword);
        return pki;
    }

    private string Combine(string name) => Path.Combine(Folder, name);

    private void CreateCa(string name, string commonName) =>
        Openssl(Folder, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".crt", "-days", "30", "-subj", "/CN=" + commonName,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private void CreateSigned(string name, string commonName, string ca, string extensionsFile)
    {
        Openssl(Folder, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        Openssl(Folder, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-CAcreateserial",
            "-out", name + ".crt", "-days", "30", "-extfile", extensionsFile);
    }

    private static void Openssl(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("openssl not found: run the README test command, which installs it.", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {stderr.Result}");
            }
        }
    }
}
