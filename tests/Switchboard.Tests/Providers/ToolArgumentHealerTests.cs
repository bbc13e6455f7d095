using System.Text.Json;
using Shouldly;
using Switchboard.Providers;

namespace Switchboard.Tests.Providers;

public sealed class ToolArgumentHealerTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{"command":"ls"}""", ToolArgumentHealer.Repair.None)]
    [InlineData("\"{\\\"command\\\":\\\"ls\\\"}\"", ToolArgumentHealer.Repair.ParsedString)]
    [InlineData("\"\\\"{\\\\\\\"command\\\\\\\":\\\\\\\"ls\\\\\\\"}\\\"\"", ToolArgumentHealer.Repair.Unescaped)]
    public void Heal_RecoverableArguments_GiveTheObject(string raw, ToolArgumentHealer.Repair expected)
    {
        var (arguments, repair) = ToolArgumentHealer.Heal(Json(raw));

        repair.ShouldBe(expected);
        arguments.GetProperty("command").GetString().ShouldBe("ls");
    }

    [Theory]
    [InlineData("{\\\"command\\\": \\\"ls\\\"}")]            // backslash-escaped, not a JSON string
    [InlineData("```json\n{\"command\": \"ls\",}\n```")]   // fenced, trailing comma
    [InlineData("{\"command\": \"ls\"")]                    // missing closing brace
    public void HealText_BrokenJson_IsRepaired(string text)
    {
        var (arguments, repair) = ToolArgumentHealer.HealText(text);

        repair.ShouldNotBe(ToolArgumentHealer.Repair.WrappedRaw);
        arguments.GetProperty("command").GetString().ShouldBe("ls");
    }

    [Fact]
    public void HealText_Hopeless_IsWrappedAsRaw()
    {
        var (arguments, repair) = ToolArgumentHealer.HealText("run ls please");

        repair.ShouldBe(ToolArgumentHealer.Repair.WrappedRaw);
        arguments.GetProperty("raw").GetString().ShouldBe("run ls please");
    }

    [Fact]
    public void Heal_NullOrEmpty_IsAnEmptyObject()
    {
        ToolArgumentHealer.Heal(Json("null")).Arguments.ValueKind.ShouldBe(JsonValueKind.Object);
        ToolArgumentHealer.HealText("  ").Arguments.EnumerateObject().ShouldBeEmpty();
    }
}
