namespace MirtLab.Lis.Tests;

/// <summary>A large batch gets time in proportion to its rows, so it is not cut off on every attempt.</summary>
public sealed class AttemptTimeoutTests
{
    [Theory]
    [InlineData(0, 20)]
    [InlineData(265, 20)]
    [InlineData(10_000, 20)]
    [InlineData(10_001, 40)]
    [InlineData(107_135, 220)]
    public void LisWriterAttempt_ScalesPerTenThousandRows(int rows, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), LisWriter.AttemptTimeout(TimeSpan.FromSeconds(20), rows));
}
