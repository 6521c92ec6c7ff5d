using System.Diagnostics;
using System.Text;

namespace MirtLab.Worker.Tests.FaultInjection;

/// <summary>The real <c>mirtlab</c> service as a child process, so a fault can be a real SIGKILL.</summary>
public sealed class MirtLabProcess : IDisposable
{
    private readonly string _configFile;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public MirtLabProcess(string configFile)
    {
        _configFile = configFile;
    }

    public bool IsRunning => _process is { HasExited: false };

    public int Starts { get; private set; }

    public string LogTail
    {
        get
        {
            lock (_log)
            {
                return _log.Length <= 6000 ? _log.ToString() : _log.ToString(_log.Length - 6000, 6000);
            }
        }
    }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mirtlab.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(_configFile);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut of the process.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
