using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary><c>/v1/models</c> from Gemini's model list.</summary>
public sealed class GeminiModelListTests : GeminiTestBase
{
    [Fact]
    public async Task Models_ListsGeminiModelsThatCanGenerate()
    {
        using var models = JsonDocument.Parse(await Switchboard.Client.GetStringAsync("/v1/models?limit=1000", Cancel));

        var data = models.RootElement.GetProperty("data").EnumerateArray().ToList();
        data.Select(m => m.GetProperty("id").GetString()).ShouldBe(["claude-via-gemini:gemini-2.5-pro"]);
        data[0].GetProperty("display_name").GetString().ShouldBe("Gemini 2.5 Pro");
    }
}
