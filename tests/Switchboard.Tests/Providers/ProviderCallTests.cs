using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Tests.Providers;

/// <summary>"Is this still what the client sent?" is answered by comparing the request with the one parsed.</summary>
public sealed class ProviderCallTests
{
    private static ProviderCall Parsed(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = JsonSerializer.Deserialize(body, AnthropicJson.Default.MessagesRequest)!;
        return new ProviderCall { Request = request, OriginalRequest = request, OriginalBody = body, ClientHeaders = [] };
    }

    private const string Body = """{"model":"claude-x","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public void RequestChanged_ACopyThatChangesNothing_IsUnchanged()
    {
        var call = Parsed(Body);

        var copy = call with { Request = call.Request with { Model = "claude-x", Stream = true } };

        copy.Request.ShouldNotBeSameAs(call.Request);
        copy.RequestChanged.ShouldBeFalse();
    }

    [Fact]
    public void RequestChanged_ACopyWithAnotherModel_IsChanged_AndTheCallItCameFromIsNot()
    {
        var call = Parsed(Body);

        var copy = call with { Request = call.Request with { Model = "claude-y" } };

        copy.RequestChanged.ShouldBeTrue();
        call.RequestChanged.ShouldBeFalse();
        call.Request.Model.ShouldBe("claude-x");
    }

    [Fact]
    public void RequestChanged_ANewListOfTurns_IsChanged()
    {
        var call = Parsed(Body);

        var copy = call with { Request = call.Request with { Messages = [.. call.Request.Messages!] } };

        copy.RequestChanged.ShouldBeTrue();
    }
}
