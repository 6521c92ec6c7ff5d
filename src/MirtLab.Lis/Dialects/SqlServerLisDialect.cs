using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Dapper;
using Microsoft.Data.SqlClient;
using MirtLab.Lis.Schema;

namespace MirtLab.Lis.Dialects;

/// <summary>
/// SQL Server through Microsoft.Data.SqlClient. Small batches are per-row upserts under key-range locks; large
/// batches are bulk-copied into a #temp staging table and merged set-based, in the batch's single transaction.
/// </summary>
/// <remarks>
/// Security: Microsoft.Data.SqlClient 2.1.4 is the only version the package source here offers, and it is affected
/// by CVE-2024-0056 (an attacker in the network path can intercept a connection that uses TLS with
/// <c>Encrypt=true</c> but falls back to an unencrypted connection; fixed in 2.1.7, 3.1.5, 4.0.5 and 5.1.3). Until
/// the version can be raised, reach SQL Server only over a trusted network and require encryption from the server
/// side (force encryption). This file is the only one that uses SqlClient, so the upgrade is a version bump in
/// Directory.Packages.props.
/// </remarks>
public sealed class SqlServerLisDialect : LisDialect
{
    /// <summary>Results per batch from which the bulk-copy path is taken.</summary>
    public const int DefaultBulkCopyThreshold = 1000;

    private const string ResultColumns = """
        result_key, run_key, revision, instrument, sample_name, sample_id, analyte_code, analyte_name, loinc,
        value, unit, qualifier, limit_value, display_value, flags, reference_range, status, hold_reasons,
        raw_value, raw_unit, source_file, source_line, instrument_time_local, instrument_time_utc,
        config_version, document_json, updated_utc, patient_id, dose_mg_per_day, comments, derived_from
        """;

    // Temp tables take tempdb's collation; DATABASE_DEFAULT lets them be compared with the LIS tables' keys.
    // Times stay text here and are converted by the server exactly as the per-row path converts its parameters.
    private const string CreateStageSql = """
        IF OBJECT_ID(N'tempdb..#mirtlab_stage') IS NOT NULL DROP TABLE #mirtlab_stage;
        CREATE TABLE #mirtlab_stage (
            result_key nvarchar(64) COLLATE DATABASE_DEFAULT NOT NULL, run_key nvarchar(64) COLLATE DATABASE_DEFAULT NOT NULL,
            revision int NOT NULL, instrument nvarchar(100) COLLATE DATABASE_DEFAULT NULL, sample_name nvarchar(400) COLLATE DATABASE_DEFAULT NULL,
            sample_id nvarchar(200) COLLATE DATABASE_DEFAULT NULL, analyte_code nvarchar(100) COLLATE DATABASE_DEFAULT NULL,
            analyte_name nvarchar(400) COLLATE DATABASE_DEFAULT NULL, loinc nvarchar(20) COLLATE DATABASE_DEFAULT NULL,
            value decimal(38,18) NULL, unit nvarchar(60) COLLATE DATABASE_DEFAULT NULL, qualifier nvarchar(10) COLLATE DATABASE_DEFAULT NULL,
            limit_value decimal(38,18) NULL, display_value nvarchar(200) COLLATE DATABASE_DEFAULT NULL, flags nvarchar(400) COLLATE DATABASE_DEFAULT NULL,
            reference_range nvarchar(400) COLLATE DATABASE_DEFAULT NULL, status nvarchar(1) COLLATE DATABASE_DEFAULT NULL,
            hold_reasons nvarchar(max) COLLATE DATABASE_DEFAULT NULL, raw_value nvarchar(400) COLLATE DATABASE_DEFAULT NULL,
            raw_unit nvarchar(60) COLLATE DATABASE_DEFAULT NULL, source_file nvarchar(1024) COLLATE DATABASE_DEFAULT NULL, source_line int NOT NULL,
            instrument_time_local nvarchar(40) COLLATE DATABASE_DEFAULT NULL, instrument_time_utc nvarchar(40) COLLATE DATABASE_DEFAULT NULL,
            config_version nvarchar(200) COLLATE DATABASE_DEFAULT NULL, document_json nvarchar(max) COLLATE DATABASE_DEFAULT NULL,
            updated_utc nvarchar(40) COLLATE DATABASE_DEFAULT NULL,
            patient_id nvarchar(200) COLLATE DATABASE_DEFAULT NULL, dose_mg_per_day decimal(38,18) NULL,
            comments nvarchar(max) COLLATE DATABASE_DEFAULT NULL, derived_from nvarchar(max) COLLATE DATABASE_DEFAULT NULL
        );
        """;

    // HOLDLOCK makes the MERGE's existence check and its insert one atomic step against concurrent writers.
    // ROW_NUMBER keeps the highest revision of a key sent twice in one batch (MERGE may not touch a row twice).
    private const string MergeStageSql = $"""
        MERGE mirtlab_results WITH (HOLDLOCK) AS r
        USING (
            SELECT * FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY result_key ORDER BY revision DESC) AS rn FROM #mirtlab_stage
            ) AS ranked WHERE ranked.rn = 1
        ) AS s
        ON r.result_key = s.result_key
        WHEN MATCHED AND s.revision > r.revision THEN UPDATE SET
            revision = s.revision, value = s.value, unit = s.unit, qualifier = s.qualifier, limit_value = s.limit_value,
            display_value = s.display_value, flags = s.flags, reference_range = s.reference_range, status = s.status,
            hold_reasons = s.hold_reasons, config_version = s.config_version, document_json = s.document_json,
            updated_utc = CONVERT(datetime2(3), s.updated_utc, 127), patient_id = s.patient_id,
            dose_mg_per_day = s.dose_mg_per_day, comments = s.comments, derived_from = s.derived_from
        WHEN NOT MATCHED BY TARGET THEN INSERT ({ResultColumns})
            VALUES (s.result_key, s.run_key, s.revision, s.instrument, s.sample_name, s.sample_id, s.analyte_code, s.analyte_name, s.loinc,
                    s.value, s.unit, s.qualifier, s.limit_value, s.display_value, s.flags, s.reference_range, s.status, s.hold_reasons,
                    s.raw_value, s.raw_unit, s.source_file, s.source_line, s.instrument_time_local, CONVERT(datetime2(3), s.instrument_time_utc, 127),
                    s.config_version, s.document_json, CONVERT(datetime2(3), s.updated_utc, 127),
                    s.patient_id, s.dose_mg_per_day, s.comments, s.derived_from);
        INSERT INTO mirtlab_result_history (result_key, revision, status, display_value, flags, document_json, recorded_utc)
        SELECT s.result_key, s.revision, s.status, s.display_value, s.flags, s.document_json, CONVERT(datetime2(3), s.updated_utc, 127)
        FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY result_key, revision ORDER BY result_key) AS rn FROM #mirtlab_stage
        ) AS s
        WHERE s.rn = 1
          AND NOT EXISTS (SELECT 1 FROM mirtlab_result_history AS h WITH (UPDLOCK, HOLDLOCK)
                          WHERE h.result_key = s.result_key AND h.revision = s.revision);
        DROP TABLE #mirtlab_stage;
        """;

    private const string MigrationLockResource = "mirtlab-lis-migrations";

    // Transient by SqlException.Number: timeout (-2), deadlock victim (1205), lock request timeout (1222), network
    // and transport errors (2, 20, 26, 35, 53, 64, 121, 233, 10053, 10054, 10060, 10061, 11001), database or server
    // unavailable or busy (4060, 4221, 8645, 8651, 10928, 10929, 40143, 40197, 40501, 40540, 40613, 49918–49920).
    private static readonly HashSet<int> TransientNumbers =
    [
        -2, 2, 20, 26, 35, 53, 64, 121, 233, 1205, 1222, 4060, 4221, 8645, 8651, 10053, 10054, 10060, 10061, 10928, 10929, 11001,
        40143, 40197, 40501, 40540, 40613, 49918, 49919, 49920,
    ];

    // Permanent whatever else the exception carries: duplicate key (2627, 2601), foreign key or check (547), null
    // into NOT NULL (515), truncation (2628, 8152), overflow (8115), unknown object or column (207, 208), no rights
    // (229, 230, 262), login failed (18456).
    private static readonly HashSet<int> PermanentNumbers = [207, 208, 229, 230, 262, 515, 547, 2601, 2627, 2628, 8115, 8152, 18456];

    private static readonly IReadOnlyList<Migration> Scripts = SchemaMigrator.LoadEmbedded(typeof(SqlServerLisDialect).Assembly, "MirtLab.Lis.Schema.sqlserver.");

    public SqlServerLisDialect(int bulkCopyThreshold = DefaultBulkCopyThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bulkCopyThreshold, 1);
        BulkCopyThreshold = bulkCopyThreshold;
    }

    /// <summary>Batches with at least this many results take the bulk-copy path.</summary>
    /// <value>Default <see cref="DefaultBulkCopyThreshold"/>.</value>
    public int BulkCopyThreshold { get; }

    public override string Name => "SqlServer";

    public override IReadOnlyList<Migration> Migrations => Scripts;

    public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public override string CreateVersionTableSql => """
        IF OBJECT_ID(N'mirtlab_schema_version', N'U') IS NULL
            CREATE TABLE mirtlab_schema_version (
                version int NOT NULL CONSTRAINT pk_mirtlab_schema_version PRIMARY KEY,
                description nvarchar(200) NOT NULL,
                applied_utc datetime2(3) NOT NULL)
        """;

    public override string VersionTableExistsSql =>
        "SELECT CASE WHEN OBJECT_ID(N'mirtlab_schema_version', N'U') IS NULL THEN 0 ELSE 1 END";

    public override string InsertVersionSql =>
        "INSERT INTO mirtlab_schema_version (version, description, applied_utc) VALUES (@Version, @Description, CONVERT(datetime2(3), @AppliedUtc, 127))";

    // UPDLOCK + SERIALIZABLE holds the key (or the gap where it would be) from the check to the write, so two
    // writers of the same key queue instead of both inserting.
    public override string UpsertRunSql => """
        UPDATE mirtlab_runs WITH (UPDLOCK, SERIALIZABLE)
        SET outcome = @Outcome, config_version = @ConfigVersion, patient_results = @PatientResults,
            held_results = @HeldResults, updated_utc = CONVERT(datetime2(3), @UpdatedUtc, 127)
        WHERE run_key = @RunKey;
        IF @@ROWCOUNT = 0
            INSERT INTO mirtlab_runs (run_key, instrument, format, source_file, file_sha256, outcome, acquired_local, acquired_utc,
                                      config_version, patient_results, held_results, updated_utc)
            VALUES (@RunKey, @Instrument, @Format, @SourceFile, @FileSha256, @Outcome, @AcquiredLocal, CONVERT(datetime2(3), @AcquiredUtc, 127),
                    @ConfigVersion, @PatientResults, @HeldResults, CONVERT(datetime2(3), @UpdatedUtc, 127));
        """;

    public override string UpsertResultSql => $"""
        IF EXISTS (SELECT 1 FROM mirtlab_results WITH (UPDLOCK, SERIALIZABLE) WHERE result_key = @ResultKey)
            UPDATE mirtlab_results
            SET revision = @Revision, value = @Value, unit = @Unit, qualifier = @Qualifier, limit_value = @LimitValue,
                display_value = @DisplayValue, flags = @Flags, reference_range = @ReferenceRange, status = @Status,
                hold_reasons = @HoldReasons, config_version = @ConfigVersion, document_json = @DocumentJson,
                updated_utc = CONVERT(datetime2(3), @UpdatedUtc, 127), patient_id = @PatientId,
                dose_mg_per_day = @DoseMgPerDay, comments = @Comments, derived_from = @DerivedFrom
            WHERE result_key = @ResultKey AND revision < @Revision;
        ELSE
            INSERT INTO mirtlab_results ({ResultColumns})
            VALUES (@ResultKey, @RunKey, @Revision, @Instrument, @SampleName, @SampleId, @AnalyteCode, @AnalyteName, @Loinc,
                    @Value, @Unit, @Qualifier, @LimitValue, @DisplayValue, @Flags, @ReferenceRange, @Status, @HoldReasons,
                    @RawValue, @RawUnit, @SourceFile, @SourceLine, @InstrumentTimeLocal, CONVERT(datetime2(3), @InstrumentTimeUtc, 127),
                    @ConfigVersion, @DocumentJson, CONVERT(datetime2(3), @UpdatedUtc, 127),
                    @PatientId, @DoseMgPerDay, @Comments, @DerivedFrom);
        """;

    public override string InsertHistorySql => """
        IF NOT EXISTS (SELECT 1 FROM mirtlab_result_history WITH (UPDLOCK, SERIALIZABLE) WHERE result_key = @ResultKey AND revision = @Revision)
            INSERT INTO mirtlab_result_history (result_key, revision, status, display_value, flags, document_json, recorded_utc)
            VALUES (@ResultKey, @Revision, @Status, @DisplayValue, @Flags, @DocumentJson, CONVERT(datetime2(3), @UpdatedUtc, 127));
        """;

    public override string ProbeSql => """
        UPDATE mirtlab_health WITH (UPDLOCK, SERIALIZABLE) SET node = @Node, checked_utc = CONVERT(datetime2(3), @Now, 127) WHERE id = 1;
        IF @@ROWCOUNT = 0
            INSERT INTO mirtlab_health (id, node, checked_utc) VALUES (1, @Node, CONVERT(datetime2(3), @Now, 127));
        """;

    /// <summary>True for the well-known transient error numbers, false for the permanent ones and any other.</summary>
    public static bool IsTransientNumber(int number) => TransientNumbers.Contains(number) && !PermanentNumbers.Contains(number);

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // XACT_ABORT: any error, or a client timeout, rolls the whole batch back instead of leaving a half-open transaction.
        await connection.ExecuteAsync(new CommandDefinition("SET XACT_ABORT ON", cancellationToken: cancellationToken));
    }

    public override async Task<IAsyncDisposable?> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            DECLARE @result int;
            EXEC @result = sp_getapplock @Resource = N'{MigrationLockResource}', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 120000;
            IF @result < 0 THROW 51000, N'MirtLab could not take the LIS schema migration lock within 120 s.', 1;
            """,
            cancellationToken: cancellationToken));
        return new MigrationLock(connection);
    }

    public override async Task<string> WriteBatchAsync(DbConnection connection, DbTransaction transaction, LisBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Results.Count < BulkCopyThreshold)
        {
            return await base.WriteBatchAsync(connection, transaction, batch, cancellationToken);
        }

        await WriteRunAsync(connection, transaction, batch, cancellationToken);
        var sql = (SqlConnection)connection;
        var sqlTransaction = (SqlTransaction)transaction;
        await using (var create = new SqlCommand(CreateStageSql, sql, sqlTransaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var table = StageTable(batch.Results))
        using (var bulk = new SqlBulkCopy(sql, SqlBulkCopyOptions.Default, sqlTransaction))
        {
            bulk.DestinationTableName = "#mirtlab_stage";
            bulk.BulkCopyTimeout = 0;
            bulk.BatchSize = 0;
            foreach (DataColumn column in table.Columns)
            {
                bulk.ColumnMappings.Add(column.ColumnName, column.ColumnName);
            }

            await bulk.WriteToServerAsync(table, cancellationToken);
        }

        await using var merge = new SqlCommand(MergeStageSql, sql, sqlTransaction) { CommandTimeout = 0 };
        await merge.ExecuteNonQueryAsync(cancellationToken);
        return "bulkcopy";
    }

    /// <summary>Two parameters per key, under SQL Server's 2100 per command.</summary>
    public override int PreviousResultsKeysPerCommand => 1000;

    // CROSS APPLY … TOP (1) seeks ix_mirtlab_results_patient per key. The first comparisons use the column's own
    // collation (usually case-insensitive) so the index is used; the BIN2 and DATALENGTH ones then keep only exact
    // matches, as PostgreSQL and SQLite compare (= ignores trailing spaces even in BIN2). Without a bound, NULL
    // times come last in DESC order (SQL Server sorts NULL lowest).
    public override DbCommand CreatePreviousResultsCommand(DbConnection connection, IReadOnlyList<(string PatientId, string Analyte)> keys, string? beforeUtc)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();

        // One size for every key parameter, so commands of one key count share a cached plan.
        var values = KeyValues(command, keys, p =>
        {
            p.DbType = DbType.String;
            p.Size = 4000;
        });
        if (beforeUtc is not null)
        {
            AddParameter(command, "@Before", beforeUtc, p =>
            {
                p.DbType = DbType.String;
                p.Size = 40;
            });
        }

        command.CommandText = $"""
            SELECT k.ord, p.value, p.instrument_time_utc, p.result_key
            FROM ({values}) AS k (ord, patient_id, analyte_code)
            CROSS APPLY (
                SELECT TOP (1) r.value, r.instrument_time_utc, r.result_key
                FROM mirtlab_results AS r
                WHERE r.patient_id = k.patient_id AND r.analyte_code = k.analyte_code
                  AND r.patient_id = k.patient_id COLLATE Latin1_General_BIN2 AND DATALENGTH(r.patient_id) = DATALENGTH(k.patient_id)
                  AND r.analyte_code = k.analyte_code COLLATE Latin1_General_BIN2 AND DATALENGTH(r.analyte_code) = DATALENGTH(k.analyte_code)
                  AND r.status IN (N'F', N'C') AND r.value IS NOT NULL{(beforeUtc is null ? "" : " AND r.instrument_time_utc < CONVERT(datetime2(3), @Before, 127)")}
                ORDER BY r.instrument_time_utc DESC, r.updated_utc DESC, r.result_key DESC
            ) AS p;
            """;
        return command;
    }

    protected override bool IsTransientError(Exception exception)
    {
        if (exception is not SqlException sql)
        {
            return false;
        }

        var numbers = sql.Errors.Cast<SqlError>().Select(e => e.Number).Append(sql.Number).ToList();
        if (numbers.Any(PermanentNumbers.Contains))
        {
            return false;
        }

        return numbers.Any(TransientNumbers.Contains) || sql.InnerException is SocketException or IOException or TimeoutException;
    }

    private static DataTable StageTable(IReadOnlyList<LisResultRow> rows)
    {
        var table = new DataTable("mirtlab_stage") { Locale = System.Globalization.CultureInfo.InvariantCulture };
        void Column<T>(string name) => table.Columns.Add(name, typeof(T));
        Column<string>("result_key");
        Column<string>("run_key");
        Column<int>("revision");
        Column<string>("instrument");
        Column<string>("sample_name");
        Column<string>("sample_id");
        Column<string>("analyte_code");
        Column<string>("analyte_name");
        Column<string>("loinc");
        Column<decimal>("value");
        Column<string>("unit");
        Column<string>("qualifier");
        Column<decimal>("limit_value");
        Column<string>("display_value");
        Column<string>("flags");
        Column<string>("reference_range");
        Column<string>("status");
        Column<string>("hold_reasons");
        Column<string>("raw_value");
        Column<string>("raw_unit");
        Column<string>("source_file");
        Column<int>("source_line");
        Column<string>("instrument_time_local");
        Column<string>("instrument_time_utc");
        Column<string>("config_version");
        Column<string>("document_json");
        Column<string>("updated_utc");
        Column<string>("patient_id");
        Column<decimal>("dose_mg_per_day");
        Column<string>("comments");
        Column<string>("derived_from");
        foreach (var r in InLockOrder(rows))
        {
            table.Rows.Add(
                r.ResultKey, r.RunKey, r.Revision, r.Instrument, r.SampleName, Db(r.SampleId), r.AnalyteCode, Db(r.AnalyteName), Db(r.Loinc),
                Db(r.Value), Db(r.Unit), Db(r.Qualifier), Db(r.LimitValue), r.DisplayValue, r.Flags, Db(r.ReferenceRange), r.Status, Db(r.HoldReasons),
                r.RawValue, Db(r.RawUnit), r.SourceFile, r.SourceLine, Db(r.InstrumentTimeLocal), Db(r.InstrumentTimeUtc),
                r.ConfigVersion, r.DocumentJson, r.UpdatedUtc, Db(r.PatientId), Db(r.DoseMgPerDay), Db(r.Comments), Db(r.DerivedFrom));
        }

        return table;
    }

    private static object Db(object? value) => value ?? DBNull.Value;

    private sealed class MigrationLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State == ConnectionState.Open)
            {
                await connection.ExecuteAsync($"EXEC sp_releaseapplock @Resource = N'{MigrationLockResource}', @LockOwner = N'Session'");
            }
        }
    }
}
