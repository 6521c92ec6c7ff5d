using System.Data.Common;
using System.Net.Sockets;
using Dapper;
using MirtLab.Lis.Schema;
using Npgsql;
using NpgsqlTypes;

namespace MirtLab.Lis.Dialects;

/// <summary>
/// PostgreSQL through Npgsql. Small batches go as one pipelined round trip of prepared upserts; large batches are
/// binary-COPYed into a temporary staging table and upserted with one INSERT … SELECT … ON CONFLICT, all in the
/// batch's single transaction.
/// </summary>
public sealed class PostgreSqlLisDialect : LisDialect
{
    /// <summary>Results per batch from which the COPY path is taken; see <see cref="BulkCopyThreshold"/>.</summary>
    public const int DefaultBulkCopyThreshold = 100;

    private const string ResultColumns = """
        result_key, run_key, revision, instrument, sample_name, sample_id, analyte_code, analyte_name, loinc,
        value, unit, qualifier, limit_value, display_value, flags, reference_range, status, hold_reasons,
        raw_value, raw_unit, source_file, source_line, instrument_time_local, instrument_time_utc,
        config_version, document_json, updated_utc, patient_id, dose_mg_per_day, comments, derived_from
        """;

    // The revision rule lives here once for both paths: a row is replaced only by a higher revision.
    private const string OnResultConflict = """
        ON CONFLICT (result_key) DO UPDATE SET
            revision = EXCLUDED.revision, value = EXCLUDED.value, unit = EXCLUDED.unit, qualifier = EXCLUDED.qualifier,
            limit_value = EXCLUDED.limit_value, display_value = EXCLUDED.display_value, flags = EXCLUDED.flags,
            reference_range = EXCLUDED.reference_range, status = EXCLUDED.status, hold_reasons = EXCLUDED.hold_reasons,
            config_version = EXCLUDED.config_version, document_json = EXCLUDED.document_json, updated_utc = EXCLUDED.updated_utc,
            patient_id = EXCLUDED.patient_id, dose_mg_per_day = EXCLUDED.dose_mg_per_day, comments = EXCLUDED.comments,
            derived_from = EXCLUDED.derived_from
        WHERE EXCLUDED.revision > mirtlab_results.revision
        """;

    // Times stay text in the stage and are cast by the server, exactly as the per-row path casts its parameters.
    private const string CreateStageSql = """
        CREATE TEMP TABLE mirtlab_stage (
            result_key text NOT NULL, run_key text NOT NULL, revision integer NOT NULL, instrument text NOT NULL,
            sample_name text NOT NULL, sample_id text, analyte_code text NOT NULL, analyte_name text, loinc text,
            value numeric, unit text, qualifier text, limit_value numeric, display_value text NOT NULL, flags text NOT NULL,
            reference_range text, status text NOT NULL, hold_reasons text, raw_value text NOT NULL, raw_unit text,
            source_file text NOT NULL, source_line integer NOT NULL, instrument_time_local text, instrument_time_utc text,
            config_version text NOT NULL, document_json text NOT NULL, updated_utc text NOT NULL,
            patient_id text, dose_mg_per_day numeric, comments text, derived_from text
        ) ON COMMIT DROP
        """;

    private const string CopyStageSql = $"COPY mirtlab_stage ({ResultColumns}) FROM STDIN (FORMAT BINARY)";

    // DISTINCT ON keeps the highest revision of a key sent twice in one batch: ON CONFLICT DO UPDATE may not touch
    // a row twice in one statement. ORDER BY gives every writer the same lock order.
    private const string MergeStageSql = $"""
        INSERT INTO mirtlab_results ({ResultColumns})
        SELECT DISTINCT ON (result_key)
               result_key, run_key, revision, instrument, sample_name, sample_id, analyte_code, analyte_name, loinc,
               value, unit, qualifier, limit_value, display_value, flags, reference_range, status, hold_reasons,
               raw_value, raw_unit, source_file, source_line, instrument_time_local, CAST(instrument_time_utc AS timestamptz),
               config_version, document_json, CAST(updated_utc AS timestamptz),
               patient_id, dose_mg_per_day, comments, derived_from
        FROM mirtlab_stage
        ORDER BY result_key, revision DESC
        {OnResultConflict};
        INSERT INTO mirtlab_result_history (result_key, revision, status, display_value, flags, document_json, recorded_utc)
        SELECT result_key, revision, status, display_value, flags, document_json, CAST(updated_utc AS timestamptz)
        FROM mirtlab_stage
        ORDER BY result_key, revision
        ON CONFLICT (result_key, revision) DO NOTHING
        """;

    // Any constant: the key of the session advisory lock that serialises migrations between nodes.
    private const long MigrationLockKey = 0x4d69_7274_4c61_6201;

    private static readonly IReadOnlyList<Migration> Scripts = SchemaMigrator.LoadEmbedded(typeof(PostgreSqlLisDialect).Assembly, "MirtLab.Lis.Schema.postgresql.");

    public PostgreSqlLisDialect(int bulkCopyThreshold = DefaultBulkCopyThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bulkCopyThreshold, 1);
        BulkCopyThreshold = bulkCopyThreshold;
    }

    /// <summary>Batches with at least this many results take the COPY path.</summary>
    /// <value>Default <see cref="DefaultBulkCopyThreshold"/>.</value>
    public int BulkCopyThreshold { get; }

    /// <summary>For measurements only: send small batches as Dapper's one-statement-per-row instead of one pipelined batch.</summary>
    internal bool PerRowStatements { get; init; }

    public override string Name => "PostgreSql";

    public override IReadOnlyList<Migration> Migrations => Scripts;

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string CreateVersionTableSql =>
        "CREATE TABLE IF NOT EXISTS mirtlab_schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_utc timestamptz NOT NULL)";

    public override string VersionTableExistsSql =>
        "SELECT CASE WHEN to_regclass('mirtlab_schema_version') IS NULL THEN 0 ELSE 1 END";

    public override string InsertVersionSql =>
        "INSERT INTO mirtlab_schema_version (version, description, applied_utc) VALUES (@Version, @Description, CAST(@AppliedUtc AS timestamptz))";

    public override string UpsertRunSql => """
        INSERT INTO mirtlab_runs (run_key, instrument, format, source_file, file_sha256, outcome, acquired_local, acquired_utc,
                                  config_version, patient_results, held_results, updated_utc)
        VALUES (@RunKey, @Instrument, @Format, @SourceFile, @FileSha256, @Outcome, @AcquiredLocal, CAST(@AcquiredUtc AS timestamptz),
                @ConfigVersion, @PatientResults, @HeldResults, CAST(@UpdatedUtc AS timestamptz))
        ON CONFLICT (run_key) DO UPDATE SET
            outcome = EXCLUDED.outcome, config_version = EXCLUDED.config_version,
            patient_results = EXCLUDED.patient_results, held_results = EXCLUDED.held_results, updated_utc = EXCLUDED.updated_utc
        """;

    public override string UpsertResultSql => $"""
        INSERT INTO mirtlab_results ({ResultColumns})
        VALUES (@ResultKey, @RunKey, @Revision, @Instrument, @SampleName, @SampleId, @AnalyteCode, @AnalyteName, @Loinc,
                @Value, @Unit, @Qualifier, @LimitValue, @DisplayValue, @Flags, @ReferenceRange, @Status, @HoldReasons,
                @RawValue, @RawUnit, @SourceFile, @SourceLine, @InstrumentTimeLocal, CAST(@InstrumentTimeUtc AS timestamptz),
                @ConfigVersion, @DocumentJson, CAST(@UpdatedUtc AS timestamptz),
                @PatientId, @DoseMgPerDay, @Comments, @DerivedFrom)
        {OnResultConflict}
        """;

    public override string InsertHistorySql => """
        INSERT INTO mirtlab_result_history (result_key, revision, status, display_value, flags, document_json, recorded_utc)
        VALUES (@ResultKey, @Revision, @Status, @DisplayValue, @Flags, @DocumentJson, CAST(@UpdatedUtc AS timestamptz))
        ON CONFLICT (result_key, revision) DO NOTHING
        """;

    public override string ProbeSql => """
        INSERT INTO mirtlab_health (id, node, checked_utc) VALUES (1, @Node, CAST(@Now AS timestamptz))
        ON CONFLICT (id) DO UPDATE SET node = EXCLUDED.node, checked_utc = EXCLUDED.checked_utc
        """;

    /// <summary>Every key in one command: the keys travel as two arrays, not as a parameter each.</summary>
    public override int PreviousResultsKeysPerCommand => int.MaxValue;

    public override DbCommand CreatePreviousResultsCommand(DbConnection connection, IReadOnlyList<(string PatientId, string Analyte)> keys, string? beforeUtc)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var command = new NpgsqlCommand(beforeUtc is null ? PreviousResultsSql : PreviousResultsBeforeSql, (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.PatientId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.Analyte)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        if (beforeUtc is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = beforeUtc, NpgsqlDbType = NpgsqlDbType.Text });
        }

        return command;
    }

    public override async Task<IAsyncDisposable?> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Key)", new { Key = MigrationLockKey }, cancellationToken: cancellationToken));
        return new MigrationLock(connection);
    }

    public override async Task<string> WriteBatchAsync(DbConnection connection, DbTransaction transaction, LisBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Results.Count == 0 || (batch.Results.Count < BulkCopyThreshold && PerRowStatements))
        {
            return await base.WriteBatchAsync(connection, transaction, batch, cancellationToken);
        }

        await WriteRunAsync(connection, transaction, batch, cancellationToken);
        var npgsql = (NpgsqlConnection)connection;
        if (batch.Results.Count >= BulkCopyThreshold)
        {
            await CopyAndMergeAsync(npgsql, (NpgsqlTransaction)transaction, batch.Results, cancellationToken);
            return "copy";
        }

        await PipelineAsync(npgsql, (NpgsqlTransaction)transaction, InLockOrder(batch.Results), cancellationToken);
        return "batch";
    }

    /// <summary>
    /// Which PostgreSQL errors may pass on retry: connection exceptions (08), serialization failures and deadlocks
    /// (40001, 40P01), insufficient resources (53), shutdown or start-up in progress (57P01–57P03, 57P05), lock
    /// timeouts (55P03, 55006), a statement timeout (57014), an I/O error (58030); and Npgsql's own failures to
    /// reach or keep the server. Data (22), constraint (23) and schema or rights (42) errors never pass.
    /// </summary>
    public static bool IsTransientSqlState(string sqlState)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        if (sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal))
        {
            return true;
        }

        // 57P04 (database dropped) is not here: waiting will not bring the database back.
        return sqlState is "40001" or "40P01" or "57P01" or "57P02" or "57P03" or "57P05" or "55P03" or "55006" or "57014" or "58030";
    }

    protected override bool IsTransientError(Exception exception) => exception switch
    {
        PostgresException p => IsTransientSqlState(p.SqlState),
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        _ => false,
    };

    private static async Task PipelineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LisResultRow> rows, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var row in rows)
        {
            var upsert = new NpgsqlBatchCommand(PositionalUpsertResultSql);
            AddResultParameters(upsert.Parameters, row);
            batch.BatchCommands.Add(upsert);
        }

        foreach (var row in rows)
        {
            var history = new NpgsqlBatchCommand(PositionalInsertHistorySql);
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.ResultKey, NpgsqlDbType = NpgsqlDbType.Text });
            history.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.Revision, NpgsqlDbType = NpgsqlDbType.Integer });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Status, NpgsqlDbType = NpgsqlDbType.Text });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.DisplayValue, NpgsqlDbType = NpgsqlDbType.Text });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Flags, NpgsqlDbType = NpgsqlDbType.Text });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.DocumentJson, NpgsqlDbType = NpgsqlDbType.Text });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.UpdatedUtc, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(history);
        }

        await batch.PrepareAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyAndMergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LisResultRow> rows, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(CreateStageSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(CopyStageSql, cancellationToken))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await WriteNullableAsync(importer, row.ResultKey, cancellationToken);
                await WriteNullableAsync(importer, row.RunKey, cancellationToken);
                await importer.WriteAsync(row.Revision, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(importer, row.Instrument, cancellationToken);
                await WriteNullableAsync(importer, row.SampleName, cancellationToken);
                await WriteNullableAsync(importer, row.SampleId, cancellationToken);
                await WriteNullableAsync(importer, row.AnalyteCode, cancellationToken);
                await WriteNullableAsync(importer, row.AnalyteName, cancellationToken);
                await WriteNullableAsync(importer, row.Loinc, cancellationToken);
                await WriteNullableAsync(importer, row.Value, cancellationToken);
                await WriteNullableAsync(importer, row.Unit, cancellationToken);
                await WriteNullableAsync(importer, row.Qualifier, cancellationToken);
                await WriteNullableAsync(importer, row.LimitValue, cancellationToken);
                await WriteNullableAsync(importer, row.DisplayValue, cancellationToken);
                await WriteNullableAsync(importer, row.Flags, cancellationToken);
                await WriteNullableAsync(importer, row.ReferenceRange, cancellationToken);
                await WriteNullableAsync(importer, row.Status, cancellationToken);
                await WriteNullableAsync(importer, row.HoldReasons, cancellationToken);
                await WriteNullableAsync(importer, row.RawValue, cancellationToken);
                await WriteNullableAsync(importer, row.RawUnit, cancellationToken);
                await WriteNullableAsync(importer, row.SourceFile, cancellationToken);
                await importer.WriteAsync(row.SourceLine, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(importer, row.InstrumentTimeLocal, cancellationToken);
                await WriteNullableAsync(importer, row.InstrumentTimeUtc, cancellationToken);
                await WriteNullableAsync(importer, row.ConfigVersion, cancellationToken);
                await WriteNullableAsync(importer, row.DocumentJson, cancellationToken);
                await WriteNullableAsync(importer, row.UpdatedUtc, cancellationToken);
                await WriteNullableAsync(importer, row.PatientId, cancellationToken);
                await WriteNullableAsync(importer, row.DoseMgPerDay, cancellationToken);
                await WriteNullableAsync(importer, row.Comments, cancellationToken);
                await WriteNullableAsync(importer, row.DerivedFrom, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using var merge = new NpgsqlCommand(MergeStageSql, connection, transaction);
        await merge.ExecuteNonQueryAsync(cancellationToken);
    }

    // Nulls in NOT NULL columns are sent too, so the server rejects the batch as the per-row path would.
    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, decimal? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Numeric, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static void AddResultParameters(NpgsqlParameterCollection parameters, LisResultRow row)
    {
        void Text(string? value) => parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        void Integer(int value) => parameters.Add(new NpgsqlParameter<int> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer });
        void Numeric(decimal? value) => parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });

        Text(row.ResultKey);
        Text(row.RunKey);
        Integer(row.Revision);
        Text(row.Instrument);
        Text(row.SampleName);
        Text(row.SampleId);
        Text(row.AnalyteCode);
        Text(row.AnalyteName);
        Text(row.Loinc);
        Numeric(row.Value);
        Text(row.Unit);
        Text(row.Qualifier);
        Numeric(row.LimitValue);
        Text(row.DisplayValue);
        Text(row.Flags);
        Text(row.ReferenceRange);
        Text(row.Status);
        Text(row.HoldReasons);
        Text(row.RawValue);
        Text(row.RawUnit);
        Text(row.SourceFile);
        Integer(row.SourceLine);
        Text(row.InstrumentTimeLocal);
        Text(row.InstrumentTimeUtc);
        Text(row.ConfigVersion);
        Text(row.DocumentJson);
        Text(row.UpdatedUtc);
        Text(row.PatientId);
        Numeric(row.DoseMgPerDay);
        Text(row.Comments);
        Text(row.DerivedFrom);
    }

    private const string PositionalUpsertResultSql = $"""
        INSERT INTO mirtlab_results ({ResultColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
                CAST($24 AS timestamptz), $25, $26, CAST($27 AS timestamptz), $28, $29, $30, $31)
        {OnResultConflict}
        """;

    private const string PositionalInsertHistorySql = """
        INSERT INTO mirtlab_result_history (result_key, revision, status, display_value, flags, document_json, recorded_utc)
        VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS timestamptz))
        ON CONFLICT (result_key, revision) DO NOTHING
        """;

    // One round trip for every key: the keys are unnested from two arrays, and LATERAL … LIMIT 1 walks
    // ix_mirtlab_results_patient backwards for each. A btree scanned backwards gives DESC NULLS FIRST, so without a
    // bound the NULL times are sent last explicitly; with one, NULL times fail the comparison anyway.
    private const string PreviousResultsFrom = """
        SELECT k.ord - 1, p.value, p.instrument_time_utc, p.result_key
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k (patient_id, analyte_code, ord)
        CROSS JOIN LATERAL (
            SELECT r.value, r.instrument_time_utc, r.result_key
            FROM mirtlab_results AS r
            WHERE r.patient_id = k.patient_id AND r.analyte_code = k.analyte_code
              AND r.status IN ('F', 'C') AND r.value IS NOT NULL
        """;

    private const string PreviousResultsSql = $"""
        {PreviousResultsFrom}
            ORDER BY r.instrument_time_utc DESC NULLS LAST, r.updated_utc DESC, r.result_key DESC
            LIMIT 1
        ) AS p
        """;

    private const string PreviousResultsBeforeSql = $"""
        {PreviousResultsFrom}
              AND r.instrument_time_utc < CAST($3 AS timestamptz)
            ORDER BY r.instrument_time_utc DESC, r.updated_utc DESC, r.result_key DESC
            LIMIT 1
        ) AS p
        """;

    private sealed class MigrationLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = MigrationLockKey });
            }
        }
    }
}
