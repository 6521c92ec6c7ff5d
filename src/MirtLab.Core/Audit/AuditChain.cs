using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MirtLab.Core.Audit;

/// <summary>One audit record: who did what to which subject, when, with details, chained to the record before it.</summary>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset AtUtc,
    string Actor,
    string Action,
    string Subject,
    string DetailsJson,
    string PreviousHash,
    string Hash);

/// <summary>What verifying the chain found: nothing, or the first record that does not fit and why.</summary>
public sealed record AuditVerification(long Checked, long? BrokenAt, string? Problem)
{
    public bool IsIntact => BrokenAt is null;
}

/// <summary>
/// The append-only audit trail's hash chain: each record's hash covers its own fields and the previous
/// record's hash, so editing or deleting any record breaks every hash after it.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static string ComputeHash(long sequence, DateTimeOffset atUtc, string actor, string action, string subject, string detailsJson, string previousHash)
    {
        var canonical = string.Join(
            '\u001F',
            sequence.ToString(CultureInfo.InvariantCulture),
            atUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            actor,
            action,
            subject,
            detailsJson,
            previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Checks records in sequence order: consecutive numbers, each linked to the one before, each hash recomputed.</summary>
    public static AuditVerification Verify(IEnumerable<AuditRecord> recordsInOrder)
    {
        var previous = Genesis;
        long? expectedSequence = null;
        long count = 0;
        foreach (var r in recordsInOrder)
        {
            if (expectedSequence is long expected && r.Sequence != expected)
            {
                return new AuditVerification(count, r.Sequence, string.Create(CultureInfo.InvariantCulture, $"record {expected} is missing (found {r.Sequence} next)"));
            }

            if (!string.Equals(r.PreviousHash, previous, StringComparison.Ordinal))
            {
                return new AuditVerification(count, r.Sequence, string.Create(CultureInfo.InvariantCulture, $"record {r.Sequence} does not link to the record before it (a record was removed or altered)"));
            }

            var recomputed = ComputeHash(r.Sequence, r.AtUtc, r.Actor, r.Action, r.Subject, r.DetailsJson, r.PreviousHash);
            if (!string.Equals(recomputed, r.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(count, r.Sequence, string.Create(CultureInfo.InvariantCulture, $"record {r.Sequence} was altered: its content does not match its hash"));
            }

            previous = r.Hash;
            expectedSequence = r.Sequence + 1;
            count++;
        }

        return new AuditVerification(count, null, null);
    }
}
