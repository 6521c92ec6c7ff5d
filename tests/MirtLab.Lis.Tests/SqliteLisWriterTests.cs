using System.Data.Common;
using Microsoft.Data.Sqlite;
using MirtLab.Lis.Dialects;
using MirtLab.Testing;

namespace MirtLab.Lis.Tests;

/// <summary>The LIS contract on SQLite, the embedded default: a real database file per test.</summary>
public sealed class SqliteLisWriterTests : LisWriterContract, IDisposable
{
    private readonly TempFolder _folder = new("mirtlab-lis");

    private string ConnectionString => $"Data Source={_folder.Combine("lis.db")}";

    protected override LisWriter CreateWriter() => new(new SqliteLisDialect(), ConnectionString, TimeProvider.System);

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose() => _folder.Dispose();
}
