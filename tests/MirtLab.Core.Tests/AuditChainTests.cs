using MirtLab.Core.Audit;

namespace MirtLab.Core.Tests;

public sealed class AuditChainTests
{
    [Fact]
    public void IntactChain_Verifies()
    {
        var records = Chain(5);
        var result = AuditChain.Verify(records);
        Assert.True(result.IsIntact);
        Assert.Equal(5, result.Checked);
    }

    [Fact]
    public void AlteredDetails_AreDetectedAtThatRecord()
    {
        var records = Chain(5);
        records[2] = records[2] with { DetailsJson = """{"reason":"edited afterwards"}""" };
        var result = AuditChain.Verify(records);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RecomputedHashOfAnAlteredRecord_BreaksTheNextLink()
    {
        var records = Chain(5);
        var forged = records[1] with { Actor = "mallory" };
        records[1] = forged with { Hash = AuditChain.ComputeHash(forged.Sequence, forged.AtUtc, forged.Actor, forged.Action, forged.Subject, forged.DetailsJson, forged.PreviousHash) };
        var result = AuditChain.Verify(records);
        Assert.Equal(3, result.BrokenAt);
    }

    [Fact]
    public void DeletedRecord_IsDetected()
    {
        var records = Chain(5);
        records.RemoveAt(3);
        var result = AuditChain.Verify(records);
        Assert.Equal(5, result.BrokenAt);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DeletedLastRecordsAndRenumbering_CannotHideFromTheLinks()
    {
        var records = Chain(4);
        records.RemoveAt(1);
        records[1] = records[1] with { Sequence = 2 };
        records[2] = records[2] with { Sequence = 3 };
        Assert.False(AuditChain.Verify(records).IsIntact);
    }

    private static List<AuditRecord> Chain(int count)
    {
        var list = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        var at = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= count; i++)
        {
            var details = $$"""{"n":{{i}}}""";
            var hash = AuditChain.ComputeHash(i, at.AddMinutes(i), "qa.reviewer", "run.accept", "run " + i, details, previous);
            list.Add(new AuditRecord(i, at.AddMinutes(i), "qa.reviewer", "run.accept", "run " + i, details, previous, hash));
            previous = hash;
        }

        return list;
    }
}
