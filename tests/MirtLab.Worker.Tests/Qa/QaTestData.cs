using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Core;
using MirtLab.Core.Results;
using MirtLab.Readers;
using MirtLab.Worker.Ingest;
using MirtLab.Worker.Processing;
using MirtLab.Worker.Qa;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>Fixtures and helpers of the QA tests.</summary>
internal static class QaTestData
{
    public const string ReviewerPassword = "correct horse battery staple";

    public const string TechnicianPassword = "technician on the bench 7";

    /// <summary>The mirtazapine plate from generate_plate.py with FAIL_LOW_CALS=1: an unweighted curve and CAL 1–3 reading 122–178 % of nominal, so the Mirtazapine calibration fails (5 of 8 pass, 6 needed); N-desmethylmirtazapine passes.</summary>
    public static string FailingCalibrationPlate => Path.Combine(AppContext.BaseDirectory, "Qa", "Fixtures", "plate-low-calibrators-failing.txt");

    /// <summary>Reads, evaluates and records an export as the ingest would, with outbox entries for <paramref name="destinations"/>.</summary>
    public static async Task<string> RecordAsync(MirtLabStore store, Configuration.MirtLabSettings settings, string path, IReadOnlyList<string> destinations)
    {
        var source = ReadSource.FromPath(path);
        var sha = InputHasher.Compute(source);
        var processed = await new InputProcessor(settings.Rules, ReaderRegistry.BuiltIn()).ProcessAsync(source, sha, settings.Instruments[0], store);
        Assert.False(processed.IsRejected, string.Join("\n", processed.Diagnostics));
        var receipt = new InputReceipt(sha, Path.GetFileName(path), settings.Instruments[0].Id, false, new FileInfo(path).Length, path, path, DateTimeOffset.UnixEpoch);
        await store.RecordAcceptedAsync(receipt, processed.Run!, destinations);
        return processed.Run!.Identity.RunKey;
    }

    public static async Task<QaSigner> ReviewerAsync(MirtLabStore store, string name = "alice")
    {
        var user = await store.FindUserAsync(name) ?? await store.CreateUserAsync(name, "Alice Reviewer", QaRoles.QaReviewer, QaPasswords.Hash(ReviewerPassword), "test");
        return new QaSigner(user.Id, user.Name, user.DisplayName, user.Role);
    }

    public static async Task<List<ResultDocument>> PatientResultsAsync(MirtLabStore store, string runKey) =>
        (await store.GetRunForReviewAsync(runKey))!.PatientResults.ToList();

    public static SqliteConnection Open(MirtLabStore store)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static async Task<List<ResultDocument>> HistoryAsync(MirtLabStore store, string resultKey)
    {
        using var connection = Open(store);
        var rows = await connection.QueryAsync<string>("SELECT document_json FROM result_history WHERE result_key = @Key ORDER BY revision", new { Key = resultKey });
        return rows.Select(r => JsonSerializer.Deserialize(r, MirtLabJson.Default.ResultDocument)!).ToList();
    }
}
