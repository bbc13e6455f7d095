using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Tests.Providers.OpenAI;

public sealed class OutputTokenLimitsTests
{
    private const string Refusal = "This model supports at most 4096 completion tokens, whereas you provided 32000.";

    [Fact]
    public void Learn_ForMoreModelsThanTheBound_RemembersAtMostTheBound_AndTheLatestStillApplies()
    {
        var limits = new OutputTokenLimits();

        for (var i = 0; i < OutputTokenLimits.MaxModels * 3; i++)
            limits.Learn(new JsonObject { ["max_tokens"] = 32000 }, "model-" + i, Refusal).ShouldBeTrue();

        limits.Count.ShouldBeLessThanOrEqualTo(OutputTokenLimits.MaxModels);
        var next = new JsonObject { ["max_tokens"] = 32000 };
        limits.Apply(next, "model-" + (OutputTokenLimits.MaxModels * 3 - 1));
        next["max_tokens"]!.GetValue<int>().ShouldBe(4096);
    }
}
