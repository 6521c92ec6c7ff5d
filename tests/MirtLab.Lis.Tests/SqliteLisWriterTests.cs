using System.Data.Common;
using Microsoft.Data.Sqlite;
using MirtLab.Lis.Dialects;
using MirtLab.Testing;

namespace MirtLab.Lis.Tests;

/// <summary>The LIS contract on SQLite, the embedded default: a real database file per test.</summary>
public sealed class SqliteLisWriterTests : LisWriterContract, IDisposable
{
    private readonly TempFolder _folder = new("mirtlab-lis");

    protected override string ConnectionString => $"Data Source={_folder.Combine("lis.db")}";

    // A folder that does not exist: SQLite cannot open the file (SQLITE_CANTOPEN), as when a share is unmounted.
    protected override string UnreachableConnectionString => $"Data Source={_folder.Combine("missing", "folder", "lis.db")};Mode=ReadWrite";

    protected override LisDialect CreateDialect() => new SqliteLisDialect();

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
