using System.Diagnostics;
using System.Globalization;

namespace MirtLab.Testing;

/// <summary>
/// mosquitto_pub and mosquitto_sub against a <see cref="MosquittoBroker"/>: an independent MQTT peer, so a
/// test does not only check a client against itself. Connection and TLS arguments are added for you.
/// </summary>
public static class MosquittoCommandLine
{
    /// <summary>Publishes one message with mosquitto_pub; <paramref name="arguments"/> are extra options (-q 1, -r, -V mqttv5, -D …).</summary>
    public static Task<string> PublishAsync(MosquittoBroker broker, string topic, string message, IEnumerable<string>? arguments = null, CancellationToken cancellationToken = default) =>
        MosquittoBroker.RunToolAsync(
            MosquittoBroker.FindTool("mosquitto_pub", "/usr/bin/mosquitto_pub"),
            [.. ConnectionArguments(broker), "-t", topic, "-m", message, .. arguments ?? []],
            cancellationToken);

    /// <summary>
    /// Starts mosquitto_sub for <paramref name="count"/> messages (one line each, formatted by -F if given)
    /// and waits until the broker has the subscription.
    /// </summary>
    public static async Task<MosquittoSubscriber> SubscribeAsync(
        MosquittoBroker broker,
        string topicFilter,
        int count,
        int qos = 1,
        IEnumerable<string>? arguments = null,
        CancellationToken cancellationToken = default)
    {
        var clientId = "mosquitto-sub-" + Guid.NewGuid().ToString("N")[..8];
        var start = new ProcessStartInfo(MosquittoBroker.FindTool("mosquitto_sub", "/usr/bin/mosquitto_sub"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] all =
        [
            .. ConnectionArguments(broker), "-i", clientId, "-t", topicFilter, "-q", qos.ToString(CultureInfo.InvariantCulture),
            "-C", count.ToString(CultureInfo.InvariantCulture), .. arguments ?? [],
        ];
        foreach (var argument in all)
        {
            start.ArgumentList.Add(argument);
        }

        var subscriber = new MosquittoSubscriber(Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start."), clientId, string.Join(' ', all));
        try
        {
            await broker.WaitForLogAsync(string.Create(CultureInfo.InvariantCulture, $"{clientId} {qos} {topicFilter}"), TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }

        return subscriber;
    }

    private static string[] ConnectionArguments(MosquittoBroker broker)
    {
        if (broker.Certificates is not { } pki)
        {
            return ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture)];
        }

        // The broker certificate names localhost; mosquitto's clients check the host name.
        string[] tls = ["-h", "localhost", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "--cafile", pki.CaCertificateFile];
        return broker.Options.RequireClientCertificate ? [.. tls, "--cert", pki.ClientCertificateFile, "--key", pki.ClientKeyFile] : tls;
    }
}

/// <summary>A running mosquitto_sub; <see cref="WaitForExitAsync"/> returns its output lines.</summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    internal MosquittoSubscriber(Process process, string clientId, string commandLine)
    {
        _process = process;
        ClientId = clientId;
        CommandLine = commandLine;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public string ClientId { get; }

    public string CommandLine { get; }

    /// <summary>Waits for mosquitto_sub to receive its count of messages and exit; its lines, in order.</summary>
    public async Task<IReadOnlyList<string>> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            _process.Kill();
            throw new TimeoutException($"mosquitto_sub ({CommandLine}) did not receive its messages within {timeout.TotalSeconds:0.#} s; got:\n{await _stdout}{await _stderr}", ex);
        }

        var output = await _stdout;
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_sub ({CommandLine}) exited with {_process.ExitCode}: {await _stderr}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
