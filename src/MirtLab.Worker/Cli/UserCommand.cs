using System.CommandLine;
using System.Globalization;
using System.Text;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab user add|list|disable|password</c>: the people who sign in to the QA pages. The first administrator
/// is created here. A password is read from standard input (first line) or prompted for without echo: never an
/// argument (it would land in the shell history and the process list), never a default.
/// </summary>
public static class UserCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var command = new Command("user", "Manage the users of the QA pages (technician, qa-reviewer, administrator).");

        var name = new Option<string>("--name") { Description = "The user name (sign-in name; never reused).", Required = true };
        var display = new Option<string?>("--display-name") { Description = "The printed name a signature shows (default: the user name)." };
        var role = new Option<string>("--role") { Description = "technician, qa-reviewer or administrator.", Required = true };
        role.AcceptOnlyFromAmong([.. QaRoles.All]);
        var add = new Command("add", "Create a user; the password is read from standard input or prompted for.") { name, display, role };
        add.SetAction((parse, cancellationToken) => AddAsync(
            parse.GetValue(configOption), parse.GetValue(name)!, parse.GetValue(display), parse.GetValue(role)!,
            Console.In, !Console.IsInputRedirected, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Subcommands.Add(add);

        var list = new Command("list", "List every user, enabled or not.");
        list.SetAction((parse, cancellationToken) => ListAsync(parse.GetValue(configOption), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Subcommands.Add(list);

        var disableName = new Option<string>("--name") { Description = "The user to disable.", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit trail)." };
        var disable = new Command("disable", "Disable a user: they can no longer sign in, their sessions end; the user stays on record.") { disableName, reason };
        disable.SetAction((parse, cancellationToken) => DisableAsync(
            parse.GetValue(configOption), parse.GetValue(disableName)!, parse.GetValue(reason), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Subcommands.Add(disable);

        var passwordName = new Option<string>("--name") { Description = "The user whose password is set.", Required = true };
        var password = new Command("password", "Set a user's password (read from standard input or prompted for); clears a lockout.") { passwordName };
        password.SetAction((parse, cancellationToken) => PasswordAsync(
            parse.GetValue(configOption), parse.GetValue(passwordName)!, Console.In, !Console.IsInputRedirected,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Subcommands.Add(password);
        return command;
    }

    public static async Task<int> AddAsync(string? configPath, string name, string? displayName, string role, TextReader input, bool interactive, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(configPath, error, cancellationToken) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        name = name.Trim();
        if (name.Length is 0 or > 64 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error.WriteLine("--name must be 1 to 64 characters without spaces.");
            return ExitCodes.BadInput;
        }

        if (!QaRoles.IsKnown(role))
        {
            error.WriteLine($"--role must be one of {string.Join(", ", QaRoles.All)}.");
            return ExitCodes.BadInput;
        }

        if (await store.FindUserAsync(name, cancellationToken) is not null)
        {
            error.WriteLine($"A user named '{name}' exists already (names are never reused, even after disabling).");
            return ExitCodes.BadInput;
        }

        var password = ReadNewPassword(name, input, interactive, output, error);
        if (password is null)
        {
            return ExitCodes.BadInput;
        }

        var user = await store.CreateUserAsync(name, string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim(), role, QaPasswords.Hash(password), Actor(), cancellationToken);
        output.WriteLine($"Created {user.Role} '{user.Name}' ({user.DisplayName}).");
        return ExitCodes.Ok;
    }

    public static async Task<int> ListAsync(string? configPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(configPath, error, cancellationToken) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var users = await store.ListUsersAsync(cancellationToken);
        if (users.Count == 0)
        {
            output.WriteLine("No users. Create the first administrator with: mirtlab user add --name NAME --role administrator");
            return ExitCodes.Ok;
        }

        output.WriteLine($"{"Name",-20} {"Role",-14} {"State",-10} {"Created (UTC)",-20} {"Last sign-in (UTC)",-20} Printed name");
        var now = TimeProvider.System.GetUtcNow();
        foreach (var u in users)
        {
            var state = u.IsDisabled ? "disabled" : u.IsLockedAt(now) ? "locked" : "enabled";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{u.Name,-20} {u.Role,-14} {state,-10} {Short(u.CreatedUtc),-20} {Short(u.LastSignInUtc),-20} {u.DisplayName}"));
        }

        return ExitCodes.Ok;

        static string Short(string? iso) => iso is null ? "-" : iso.Length >= 16 ? iso[..16].Replace('T', ' ') : iso;
    }

    public static async Task<int> DisableAsync(string? configPath, string name, string? reason, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(configPath, error, cancellationToken) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        if (await store.FindUserAsync(name, cancellationToken) is not { } user)
        {
            error.WriteLine($"There is no user '{name}'.");
            return ExitCodes.BadInput;
        }

        if (!await store.DisableUserAsync(user.Name, Actor(), reason ?? "disabled from the command line", cancellationToken))
        {
            output.WriteLine($"'{user.Name}' was disabled already.");
            return ExitCodes.Ok;
        }

        output.WriteLine($"Disabled '{user.Name}'; their sessions end at their next request.");
        return ExitCodes.Ok;
    }

    public static async Task<int> PasswordAsync(string? configPath, string name, TextReader input, bool interactive, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(configPath, error, cancellationToken) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        if (await store.FindUserAsync(name, cancellationToken) is not { } user)
        {
            error.WriteLine($"There is no user '{name}'.");
            return ExitCodes.BadInput;
        }

        var password = ReadNewPassword(user.Name, input, interactive, output, error);
        if (password is null)
        {
            return ExitCodes.BadInput;
        }

        await store.SetPasswordAsync(user.Name, QaPasswords.Hash(password), Actor(), cancellationToken);
        output.WriteLine($"Password of '{user.Name}' set; failed attempts and lockout cleared, sessions ended.");
        return ExitCodes.Ok;
    }

    /// <summary>Who ran the command, for the audit trail: the operating-system account.</summary>
    private static string Actor() => "cli:" + Environment.UserName;

    private static async Task<MirtLabStore?> OpenStoreAsync(string? configPath, TextWriter error, CancellationToken cancellationToken)
    {
        var loaded = SettingsLoader.Load(SettingsLoader.Locate(configPath));
        if (loaded.Settings is not { } settings)
        {
            foreach (var e in loaded.Errors)
            {
                error.WriteLine(e);
            }

            return null;
        }

        var store = new MirtLabStore(settings.StorePath, TimeProvider.System);
        await store.InitializeAsync(cancellationToken);
        return store;
    }

    private static string? ReadNewPassword(string userName, TextReader input, bool interactive, TextWriter output, TextWriter error)
    {
        string? password;
        if (interactive)
        {
            password = Prompt("Password: ", output);
            var again = Prompt("Password again: ", output);
            if (!string.Equals(password, again, StringComparison.Ordinal))
            {
                error.WriteLine("The two passwords differ; nothing was changed.");
                return null;
            }
        }
        else
        {
            password = input.ReadLine();
        }

        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("No password given: pipe it on standard input (first line) or run interactively to be prompted.");
            return null;
        }

        if (QaPasswords.Problem(password, userName) is { } problem)
        {
            error.WriteLine($"Password refused: {problem}.");
            return null;
        }

        return password;
    }

    private static string Prompt(string label, TextWriter output)
    {
        output.Write(label);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        output.WriteLine();
        return text.ToString();
    }
}
