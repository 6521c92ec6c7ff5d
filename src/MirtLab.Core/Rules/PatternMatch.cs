using System.Text.RegularExpressions;

namespace MirtLab.Core.Rules;

/// <summary>
/// Matches a configured pattern. Its timeout guards against a pattern that backtracks without end, but it is measured
/// on the wall clock, so a garbage collection that pauses the thread mid-match (a large run) can trip it: a match
/// that times out is tried once more before the timeout counts.
/// </summary>
internal static class PatternMatch
{
    public static Match Match(Regex pattern, string text)
    {
        try
        {
            return pattern.Match(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return pattern.Match(text);
        }
    }

    public static bool IsMatch(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return pattern.IsMatch(text);
        }
    }
}
