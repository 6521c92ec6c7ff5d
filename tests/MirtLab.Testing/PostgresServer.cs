using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace MirtLab.Testing;

/// <summary>
/// A real PostgreSQL server for tests, from Debian's packages: a fresh cluster (<c>initdb -A trust</c>) in a temp
/// folder, listening on a free loopback port and a private socket folder. It can be stopped (fast shutdown),
/// killed (SIGKILL to the postmaster and every backend, like a power cut), paused (SIGSTOP, like a hung server)
/// and started again on the same port with the same data.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so when the tests run as root the cluster folder is given to the
/// <c>postgres</c> OS user and <c>initdb</c>/<c>pg_ctl</c> run as that user through <c>runuser</c>.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string NotFoundMessage = "PostgreSQL not found: run tests/run.sh, which installs it.";

    private const string OsUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static int s_databaseCounter;

    private readonly TempFolder _folder = new("mirtlab-pg");
    private readonly bool _asRoot = Environment.UserName == "root";
    private int[]? _paused;

    private PostgresServer(string binDirectory)
    {
        BinDirectory = binDirectory;
        Port = FreePort.Next();
        DataDirectory = _folder.Combine("data");
        SocketDirectory = _folder.Combine("sock");
        LogFile = _folder.Combine("postgres.log");
    }

    /// <summary>Folder of <c>initdb</c>, <c>pg_ctl</c> and <c>psql</c>.</summary>
    public string BinDirectory { get; }

#pragma warning disable CA1822 // An instance property: callers read it beside Port.
    public string Host => "127.0.0.1";
#pragma warning restore CA1822

    public int Port { get; }

    public string DataDirectory { get; }

    public string SocketDirectory { get; }

    public string LogFile { get; }

    /// <summary>True while the postmaster recorded in <c>postmaster.pid</c> is alive.</summary>
    public bool IsRunning => PostmasterPid() is { } pid && IsAlive(pid);

    /// <summary>
    /// Finds Debian's PostgreSQL binaries (<c>$MIRTLAB_TEST_PG_BIN</c>, else the newest <c>/usr/lib/postgresql/*/bin</c>)
    /// or throws <see cref="NotFoundMessage"/>.
    /// </summary>
    public static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("MIRTLAB_TEST_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(NotFoundMessage);
    }

    /// <summary>Creates a cluster and starts it; ready for connections when this returns.</summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer(FindBinDirectory());
        try
        {
            await server.InitializeAsync(cancellationToken);
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as <paramref name="user"/> (trust: no password).</summary>
    public string ConnectionString(string database = "postgres", string user = "postgres") =>
        string.Create(CultureInfo.InvariantCulture, $"Host={Host};Port={Port};Username={user};Database={database};Timeout=10;Command Timeout=120");

    /// <summary>Creates a fresh database (a unique name unless given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= string.Create(CultureInfo.InvariantCulture, $"test_{Interlocked.Increment(ref s_databaseCounter)}_{Guid.NewGuid():N}");
        await RunSqlAsync("postgres", $"CREATE DATABASE \"{name}\"", cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Runs SQL text with psql as the superuser; throws with psql's message when a statement fails.</summary>
    public Task<string> RunSqlAsync(string database, string sql, CancellationToken cancellationToken = default) =>
        RunAsync(Path.Combine(BinDirectory, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-c", sql], asPostgres: false, cancellationToken);

    /// <summary>Runs an SQL file with psql as the superuser (e.g. deploy/sql/postgresql/grants.sql).</summary>
    public Task<string> RunSqlFileAsync(string database, string file, CancellationToken cancellationToken = default) =>
        RunAsync(Path.Combine(BinDirectory, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-f", file], asPostgres: false, cancellationToken);

    /// <summary>Starts the server (again) on the same port and data folder and waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("PostgreSQL is still running; stop or kill it first.");
        }

        // fsync off only for speed: a killed server loses nothing by it (the OS still holds its writes), only an OS
        // crash would, and a test cluster is thrown away. synchronous_commit stays on: a commit must survive a SIGKILL.
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {Port} -k {SocketDirectory} -c listen_addresses={Host} -c fsync=off -c max_connections=200");
        await RunAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", StartTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), "start"],
            asPostgres: true,
            cancellationToken);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), "PostgreSQL", () => Tail());
    }

    /// <summary>Fast shutdown: sessions are disconnected, the server checkpoints and exits.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning)
        {
            return;
        }

        Resume();
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgres: true, cancellationToken);
    }

    /// <summary>SIGKILL to the postmaster and all its backends at once: uncommitted work is lost, as in a power cut.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (PostmasterPid() is not { } pid || !IsAlive(pid))
        {
            return;
        }

        // Frozen first, so it forks no backend between listing its children and the kill.
        Signal(pid, "STOP");
        _paused = null;
        int[] victims = [pid, .. ChildrenOf(pid)];
        foreach (var victim in victims)
        {
            Signal(victim, "KILL");
        }

        var stopwatch = Stopwatch.StartNew();
        while (victims.Any(IsAlive))
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"PostgreSQL processes {string.Join(", ", victims.Where(IsAlive))} survived SIGKILL for 10 s.");
            }

            await Task.Delay(20, cancellationToken);
        }

        // A killed postmaster may linger as a zombie when nothing reaps orphans here; PostgreSQL would take its
        // pid in postmaster.pid for a live server and refuse to start. Every process of the cluster is gone.
#pragma warning disable RS0030 // The dead server's lock files, not instrument inputs.
        File.Delete(Path.Combine(DataDirectory, "postmaster.pid"));
        File.Delete(Path.Combine(SocketDirectory, string.Create(CultureInfo.InvariantCulture, $".s.PGSQL.{Port}.lock")));
#pragma warning restore RS0030
    }

    /// <summary>
    /// SIGSTOP to the postmaster and its backends: connections stay open but nothing is answered, like a hung
    /// server or a network black hole. <see cref="Resume"/> lets it go on.
    /// </summary>
    public void Pause()
    {
        if (_paused is null && PostmasterPid() is { } pid && IsAlive(pid))
        {
            Signal(pid, "STOP");
            _paused = [pid, .. ChildrenOf(pid)];
            foreach (var child in _paused.Skip(1))
            {
                Signal(child, "STOP");
            }
        }
    }

    public void Resume()
    {
        if (_paused is { } paused)
        {
            foreach (var pid in Enumerable.Reverse(paused))
            {
                Signal(pid, "CONT");
            }

            _paused = null;
        }
    }

    /// <summary>The end of the server log, for failure messages.</summary>
    public string Tail(int maxChars = 8000)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var log = reader.ReadToEnd();
            return log.Length <= maxChars ? log : "…" + log[^maxChars..];
        }
        catch (IOException ex)
        {
            return $"(no PostgreSQL log: {ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Resume();
            if (IsRunning)
            {
                await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asPostgres: true, CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            await KillAsync();
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL log (port {Port}):\n{Tail(20_000)}");
        _folder.Dispose();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        if (_asRoot)
        {
            await RunAsync("chown", ["-R", $"{OsUser}:{OsUser}", _folder.Path], asPostgres: false, cancellationToken);
        }

        await RunAsync(
            Path.Combine(BinDirectory, "initdb"),
            ["-D", DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
            asPostgres: true,
            cancellationToken);
    }

    private int? PostmasterPid()
    {
        var file = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var first = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        // A killed process stays a zombie until its parent reaps it; it no longer holds the port or files.
        var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, pid.ToString(CultureInfo.InvariantCulture) }, RedirectStandardError = true });
        kill?.WaitForExit();
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // Fields after "(comm)": state, ppid, ...
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }

    private async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres && _asRoot ? "runuser" : tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder.Path,
        };
        if (asPostgres && _asRoot)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(OsUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(tool);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}\nPostgreSQL log:\n{Tail()}");
        }

        return await stdout;
    }
}
