using System.Data.Common;
using MirtLab.Lis.Dialects;

namespace MirtLab.Lis.Tests.Support;

/// <summary>
/// A real dialect whose first connections go to a place where no database answers (a closed port, a missing
/// folder): the failures are the driver's own, not a mock of the delivery path. Counts connections opened.
/// </summary>
public sealed class FlakyDialect(LisDialect inner, string unreachableConnectionString, int failures) : DelegatingDialect(inner)
{
    private int _failuresLeft = failures;
    private int _connections;

    /// <summary>Connections created so far, failed ones included.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>From now on every connection reaches the database.</summary>
    public void Heal() => Volatile.Write(ref _failuresLeft, 0);

    /// <summary>From now on every connection fails.</summary>
    public void Break() => Volatile.Write(ref _failuresLeft, int.MaxValue);

    public override DbConnection CreateConnection(string connectionString)
    {
        Interlocked.Increment(ref _connections);
        var fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
        if (!fail)
        {
            Interlocked.Increment(ref _failuresLeft);
        }

        return Inner.CreateConnection(fail ? unreachableConnectionString : connectionString);
    }
}
