using System.CommandLine;
using MirtLab.Core.Audit;
using MirtLab.Worker.Configuration;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Cli;

/// <summary>
/// <c>mirtlab audit verify</c>: recomputes the audit trail's hash chain. Exit 0 intact, 4 broken (naming the first
/// record that does not fit and why). <c>mirtlab audit export</c>: the trail as CSV for an inspector.
/// </summary>
public static class AuditCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var command = new Command("audit", "Verify or export the hash-chained audit trail.");
        var verify = new Command("verify", "Recompute the audit trail's hash chain: exit 0 when intact, 4 when a record was altered, removed or inserted.");
        verify.SetAction((parse, cancellationToken) => VerifyAsync(parse.GetValue(configOption), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Subcommands.Add(verify);

        var file = new Option<string?>("--output") { Description = "Write the CSV to this file instead of standard output." };
        var export = new Command("export", "Write the whole audit trail as CSV (UTF-8, RFC 4180), each record with its hashes; exit 4 when the chain does not verify.") { file };
        export.SetAction((parse, cancellationToken) => ExportAsync(parse.GetValue(configOption), parse.GetValue(file), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        command.Subcommands.Add(export);
        return command;
    }

    public static async Task<int> VerifyAsync(string? configPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(configPath, error, cancellationToken) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var records = await store.ReadAuditAsync(cancellationToken);
        var verification = AuditChain.Verify(records);
        if (!verification.IsIntact)
        {
            error.WriteLine($"Audit trail BROKEN at record {verification.BrokenAt}: {verification.Problem}.");
            error.WriteLine($"{verification.Checked} record(s) before it are intact.");
            return ExitCodes.AuditBroken;
        }

        var head = records.Count > 0 ? records[^1] : null;
        output.WriteLine(head is null
            ? "Audit trail intact: no records yet."
            : $"Audit trail intact: {verification.Checked} records, last #{head.Sequence} at {MirtLabStore.Iso(head.AtUtc)}, hash {head.Hash}.");
        if (head is not null)
        {
            // Removing the newest records leaves a shorter chain that still verifies: an inspector who notes the
            // last number and hash can tell later.
            output.WriteLine("Note the last record's number and hash: a later verification must reach at least this record.");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> ExportAsync(string? configPath, string? file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(configPath, error, cancellationToken) is not { } store)
        {
            return ExitCodes.BadConfiguration;
        }

        var records = await store.ReadAuditAsync(cancellationToken);
        var verification = AuditChain.Verify(records);
        if (file is null)
        {
            AuditCsv.Write(records, output);
        }
        else
        {
            await using var writer = new StreamWriter(file, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            AuditCsv.Write(records, writer);
        }

        if (!verification.IsIntact)
        {
            error.WriteLine($"Audit trail BROKEN at record {verification.BrokenAt}: {verification.Problem}.");
            return ExitCodes.AuditBroken;
        }

        return ExitCodes.Ok;
    }

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
}
