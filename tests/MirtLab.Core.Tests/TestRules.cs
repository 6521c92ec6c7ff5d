using System.Text;
using MirtLab.Core.Rules;
using MirtLab.Testing;

namespace MirtLab.Core.Tests;

/// <summary>The shipped rule set (config/rules.json), and small rule sets written inline for one test.</summary>
internal static class TestRules
{
    private static readonly Lazy<RuleSet> DefaultLazy = new(() =>
    {
        var result = RuleSetLoader.Load(File.ReadAllBytes(Path.Combine(RepoPaths.Config, "rules.json")));
        return result.RuleSet ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
    });

    public static RuleSet Default => DefaultLazy.Value;

    public static RuleSetLoadResult Load(string json) => RuleSetLoader.Load(Encoding.UTF8.GetBytes(json));
}
