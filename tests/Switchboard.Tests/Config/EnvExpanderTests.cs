using Shouldly;
using Switchboard.Config;

namespace Switchboard.Tests.Config;

public sealed class EnvExpanderTests
{
    private static readonly Dictionary<string, string> Env = new() { ["KEY"] = "sk-1", ["HOST_2"] = "h" };

    [Theory]
    [InlineData("$KEY", "sk-1")]
    [InlineData("${KEY}", "sk-1")]
    [InlineData("Bearer $KEY!", "Bearer sk-1!")]
    [InlineData("http://${HOST_2}:1/$KEY", "http://h:1/sk-1")]
    [InlineData("$MISSING", "")]
    [InlineData("no variables", "no variables")]
    [InlineData("price $5 and $", "price $5 and $")]
    [InlineData("${unterminated", "${unterminated")]
    public void Expand_Variables_AreReplacedFromTheEnvironment(string value, string expected) =>
        EnvExpander.Expand(value, name => Env.GetValueOrDefault(name)).ShouldBe(expected);

    [Theory]
    [InlineData("Bearer $KEY!", "Bearer |$KEY|!")]
    [InlineData("${A}$B", "$A|$B")]
    [InlineData("price $5 and $ ${}", "price $5 and $ ${}")]
    [InlineData("", "")]
    public void Parts_CutWhereExpandSubstitutes(string value, string expected) =>
        string.Join('|', EnvExpander.Parts(value).Select(part => part.IsVariable ? "$" + part.Text : part.Text)).ShouldBe(expected);
}
