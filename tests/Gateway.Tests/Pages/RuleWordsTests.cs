using System.Reflection;
using System.Text.RegularExpressions;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Tests.Pages;

/// <summary>
/// The pages explain every rule code of the contract in plain words (<c>wwwroot/js/rules.js</c>), and only those: a code
/// added to <see cref="RuleCode"/> without its words would reach a person as the server's bare message, and words for a
/// code that no longer exists are dead text.
/// </summary>
public sealed partial class RuleWordsTests
{
    [Fact]
    public void The_pages_explain_exactly_the_rule_codes_of_the_contract()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryFiles.Root(), "src", "Gateway", "wwwroot", "js", "rules.js"));
        var words = WordsBlock().Match(script);
        Assert.True(words.Success, "rules.js no longer has its `const words = { ... };` table");
        var explained = WordsKey().Matches(words.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();

        var codes = typeof(RuleCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(explained.Count, explained.Distinct().Count());
        Assert.Empty(codes.Except(explained));
        Assert.Empty(explained.Except(codes));
    }

    [GeneratedRegex(@"const words = \{(.*?)\n\};", RegexOptions.Singleline)]
    private static partial Regex WordsBlock();

    [GeneratedRegex(@"^\s*'([a-z-]+)':", RegexOptions.Multiline)]
    private static partial Regex WordsKey();
}
