using MirtLab.Core.Results;
using static MirtLab.Lis.Tests.Support.TestBatches;

namespace MirtLab.Lis.Tests;

/// <summary>The mapping of result documents to LIS rows, without a database.</summary>
public sealed class LisRowsTests
{
    [Fact]
    public void ToBatch_PatientDoseCommentsAndDerivedFrom_AreCarriedReadably()
    {
        var rows = Batch(revision: 1).Results;

        Assert.Equal("P-240124", rows[0].PatientId);
        Assert.Equal(30m, rows[0].DoseMgPerDay);
        Assert.Equal(string.Join(" | ", AlertComments.Select(c => c.Text)), rows[0].Comments);
        Assert.Null(rows[0].DerivedFrom);
        Assert.Equal("P-240126", rows[1].PatientId);
        Assert.Null(rows[1].Comments);
        Assert.Null(rows[2].PatientId);
        Assert.Null(rows[2].DoseMgPerDay);
    }

    [Fact]
    public void ToBatch_DerivedObservation_ListsTheResultKeysItWasComputedFrom_CommaSeparated()
    {
        var rows = DerivedBatch().Results;
        var ratio = Assert.Single(rows, r => r.AnalyteCode == "mirtazapine-metabolic-ratio");

        Assert.Equal($"{rows[1].ResultKey},{rows[0].ResultKey}", ratio.DerivedFrom);
        Assert.Equal("1", ratio.Unit);
        Assert.Null(rows[0].DerivedFrom);
    }

    [Fact]
    public void ToBatch_EmptyCommentsAndDerivedFrom_AreNull_NotEmptyText()
    {
        var document = PatientResult("zz", "PAT-Z", "mirtazapine", 12m, Start);
        Assert.Empty(document.Comments);
        Assert.Empty(document.DerivedFrom);

        var row = Assert.Single(RunOf(document).Results);

        Assert.Null(row.Comments);
        Assert.Null(row.DerivedFrom);
        Assert.Contains("\"patientId\":\"PAT-Z\"", row.DocumentJson, StringComparison.Ordinal);
        Assert.Equal(ResultDocument.CurrentSchema, System.Text.Json.JsonDocument.Parse(row.DocumentJson).RootElement.GetProperty("schema").GetString());
    }
}
