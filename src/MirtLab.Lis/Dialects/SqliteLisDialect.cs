using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using MirtLab.Lis.Schema;

namespace MirtLab.Lis.Dialects;

/// <summary>SQLite, the embedded default LIS database (a separate file from MirtLab's own store).</summary>
public sealed class SqliteLisDialect : LisDialect
{
    private static readonly IReadOnlyList<Migration> Scripts = SchemaMigrator.LoadEmbedded(typeof(SqliteLisDialect).Assembly, "MirtLab.Lis.Schema.sqlite.");

    public override string Name => "Sqlite";

    public override IReadOnlyList<Migration> Migrations => Scripts;

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override string CreateVersionTableSql =>
        "CREATE TABLE IF NOT EXISTS mirtlab_schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_utc TEXT NOT NULL)";

    public override string VersionTableExistsSql =>
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'mirtlab_schema_version'";

    public override string UpsertRunSql => """
        INSERT INTO mirtlab_runs (run_key, instrument, format, source_file, file_sha256, outcome, acquired_local, acquired_utc,
                                  config_version, patient_results, held_results, updated_utc)
        VALUES (@RunKey, @Instrument, @Format, @SourceFile, @FileSha256, @Outcome, @AcquiredLocal, @AcquiredUtc,
                @ConfigVersion, @PatientResults, @HeldResults, @UpdatedUtc)
        ON CONFLICT (run_key) DO UPDATE SET
            outcome = excluded.outcome, config_version = excluded.config_version,
            patient_results = excluded.patient_results, held_results = excluded.held_results, updated_utc = excluded.updated_utc
        """;

    public override string UpsertResultSql => """
        INSERT INTO mirtlab_results (result_key, run_key, revision, instrument, sample_name, sample_id, analyte_code, analyte_name, loinc,
                                     value, unit, qualifier, limit_value, display_value, flags, reference_range, status, hold_reasons,
                                     raw_value, raw_unit, source_file, source_line, instrument_time_local, instrument_time_utc,
                                     config_version, document_json, updated_utc, patient_id, dose_mg_per_day, comments, derived_from)
        VALUES (@ResultKey, @RunKey, @Revision, @Instrument, @SampleName, @SampleId, @AnalyteCode, @AnalyteName, @Loinc,
                @Value, @Unit, @Qualifier, @LimitValue, @DisplayValue, @Flags, @ReferenceRange, @Status, @HoldReasons,
                @RawValue, @RawUnit, @SourceFile, @SourceLine, @InstrumentTimeLocal, @InstrumentTimeUtc,
                @ConfigVersion, @DocumentJson, @UpdatedUtc, @PatientId, @DoseMgPerDay, @Comments, @DerivedFrom)
        ON CONFLICT (result_key) DO UPDATE SET
            revision = excluded.revision, value = excluded.value, unit = excluded.unit, qualifier = excluded.qualifier,
            limit_value = excluded.limit_value, display_value = excluded.display_value, flags = excluded.flags,
            reference_range = excluded.reference_range, status = excluded.status, hold_reasons = excluded.hold_reasons,
            config_version = excluded.config_version, document_json = excluded.document_json, updated_utc = excluded.updated_utc,
            patient_id = excluded.patient_id, dose_mg_per_day = excluded.dose_mg_per_day, comments = excluded.comments,
            derived_from = excluded.derived_from
        WHERE excluded.revision > mirtlab_results.revision
        """;

    public override string InsertHistorySql => """
        INSERT INTO mirtlab_result_history (result_key, revision, status, display_value, flags, document_json, recorded_utc)
        VALUES (@ResultKey, @Revision, @Status, @DisplayValue, @Flags, @DocumentJson, @UpdatedUtc)
        ON CONFLICT (result_key, revision) DO NOTHING
        """;

    public override string ProbeSql =>
        "INSERT INTO mirtlab_health (id, node, checked_utc) VALUES (1, @Node, @Now) ON CONFLICT (id) DO UPDATE SET node = excluded.node, checked_utc = excluded.checked_utc";

    // No LATERAL in SQLite: a correlated LIMIT 1 per key (it walks ix_mirtlab_results_patient backwards) names the
    // row, joined back by its primary key. Instants are ISO 8601 text of one fixed width, so text order is time order;
    // without a bound, NULL times sort last in DESC order (SQLite sorts NULL lowest).
    public override DbCommand CreatePreviousResultsCommand(DbConnection connection, IReadOnlyList<(string PatientId, string Analyte)> keys, string? beforeUtc)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        var values = KeyValues(command, keys);
        if (beforeUtc is not null)
        {
            AddParameter(command, "@Before", beforeUtc);
        }

        command.CommandText = $"""
            WITH k (ord, patient_id, analyte_code) AS ({values})
            SELECT k.ord, r.value, r.instrument_time_utc, r.result_key
            FROM k
            JOIN mirtlab_results AS r ON r.result_key = (
                SELECT p.result_key FROM mirtlab_results AS p
                WHERE p.patient_id = k.patient_id AND p.analyte_code = k.analyte_code
                  AND p.status IN ('F', 'C') AND p.value IS NOT NULL{(beforeUtc is null ? "" : " AND p.instrument_time_utc < @Before")}
                ORDER BY p.instrument_time_utc DESC, p.updated_utc DESC, p.result_key DESC
                LIMIT 1)
            """;
        return command;
    }

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets a LIS read while MirtLab writes; FULL makes a commit durable before it is acknowledged.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;", cancellationToken: cancellationToken));
    }

    protected override bool IsTransientError(Exception exception) => exception switch
    {
        // SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_IOERR (10), SQLITE_FULL (13), SQLITE_CANTOPEN (14).
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 10 or 13 or 14,
        _ => false,
    };
}
