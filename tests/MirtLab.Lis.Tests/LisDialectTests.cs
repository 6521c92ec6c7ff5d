using MirtLab.Lis.Dialects;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MirtLab.Lis.Tests;

/// <summary>Choosing a dialect by its setting name, and the error classification every dialect shares.</summary>
public sealed class LisDialectTests
{
    [Theory]
    [InlineData("Sqlite", typeof(SqliteLisDialect))]
    [InlineData("SQLITE", typeof(SqliteLisDialect))]
    [InlineData("PostgreSql", typeof(PostgreSqlLisDialect))]
    [InlineData("postgresql", typeof(PostgreSqlLisDialect))]
    [InlineData("SqlServer", typeof(SqlServerLisDialect))]
    [InlineData("sqlserver", typeof(SqlServerLisDialect))]
    public void For_KnownProvider_AnyCase_ReturnsItsDialect(string provider, Type expected) =>
        Assert.IsType(expected, LisDialect.For(provider));

    [Theory]
    [InlineData("Oracle")]
    [InlineData("Postgres")]
    [InlineData("")]
    public void For_UnknownProvider_SaysWhichAreSupported(string provider)
    {
        var error = Assert.Throws<NotSupportedException>(() => LisDialect.For(provider));
        Assert.Contains("Sqlite, PostgreSql or SqlServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDialect_HasItsFirstSchemaScript()
    {
        foreach (var dialect in new LisDialect[] { new SqliteLisDialect(), new PostgreSqlLisDialect(), new SqlServerLisDialect() })
        {
            var first = Assert.Single(dialect.Migrations, m => m.Version == 1);
            Assert.Equal("initial", first.Description);
            Assert.Contains("mirtlab_result_history", first.Sql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryDialect_HasTheSameSchemaVersions_AndVersion2OnlyAddsNullableColumns()
    {
        var dialects = new LisDialect[] { new SqliteLisDialect(), new PostgreSqlLisDialect(), new SqlServerLisDialect() };
        foreach (var dialect in dialects)
        {
            Assert.Equal(["1 initial", "2 patient_columns", "3 patient_lookup_index"], dialect.Migrations.Select(m => $"{m.Version} {m.Description}"));
            var columns = dialect.Migrations.Single(m => m.Version == 2).Sql;
            foreach (var column in new[] { "patient_id", "dose_mg_per_day", "comments", "derived_from" })
            {
                Assert.Matches($@"(?m)^\s*(ALTER TABLE mirtlab_results ADD COLUMN |ADD COLUMN )?{column}\s+\S+(\s*\(\d+(,\d+)?\))?\s+NULL[,;]?\s*$", columns);
            }

            Assert.DoesNotContain("NOT NULL", columns, StringComparison.Ordinal);
            Assert.DoesNotContain("DEFAULT", columns, StringComparison.Ordinal);
            Assert.DoesNotContain("DROP", columns, StringComparison.Ordinal);
            Assert.Contains("ix_mirtlab_results_patient ON mirtlab_results (patient_id, analyte_code, instrument_time_utc)", dialect.Migrations.Single(m => m.Version == 3).Sql, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    [InlineData("SqlServer")]
    public void WritersOwnRejections_AreTransient_CallerCancellationIsNot(string provider)
    {
        var dialect = LisDialect.For(provider);
        Assert.True(dialect.IsTransient(new LisUnavailableException("open")));
        Assert.True(dialect.IsTransient(new BrokenCircuitException()));
        Assert.True(dialect.IsTransient(new TimeoutRejectedException()));
        Assert.True(dialect.IsTransient(new TimeoutException()));
        Assert.True(dialect.IsTransient(new IOException()));
        Assert.False(dialect.IsTransient(new OperationCanceledException()));
        Assert.False(dialect.IsTransient(new InvalidOperationException()));
        Assert.False(dialect.IsTransient(new FormatException()));
    }

    [Theory]
    [InlineData(-2, true)] // timeout
    [InlineData(1205, true)] // deadlock victim
    [InlineData(1222, true)] // lock request timeout
    [InlineData(4060, true)] // cannot open database
    [InlineData(40197, true)] // service error processing the request
    [InlineData(40501, true)] // service busy
    [InlineData(40613, true)] // database unavailable
    [InlineData(49918, true)]
    [InlineData(49919, true)]
    [InlineData(49920, true)]
    [InlineData(10928, true)] // resource limit
    [InlineData(10929, true)]
    [InlineData(233, true)] // connection closed by the server
    [InlineData(64, true)] // network name no longer available
    [InlineData(10053, true)]
    [InlineData(10054, true)] // connection reset
    [InlineData(10060, true)] // connect timeout
    [InlineData(11001, true)] // host not found
    [InlineData(2627, false)] // primary key violation
    [InlineData(2601, false)] // unique index violation
    [InlineData(547, false)] // foreign key or check constraint
    [InlineData(515, false)] // null into NOT NULL
    [InlineData(208, false)] // invalid object name
    [InlineData(207, false)] // invalid column name
    [InlineData(229, false)] // permission denied
    [InlineData(2628, false)] // string truncated
    [InlineData(18456, false)] // login failed
    [InlineData(50000, false)] // user error
    public void SqlServerErrorNumber_IsTransientOnlyForTheWellKnownOnes(int number, bool transient) =>
        Assert.Equal(transient, SqlServerLisDialect.IsTransientNumber(number));
}
