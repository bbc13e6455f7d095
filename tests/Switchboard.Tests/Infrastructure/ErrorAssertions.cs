using System.Net;
using System.Text.Json;
using Shouldly;

namespace Switchboard.Tests.Infrastructure;

public static class ErrorAssertions
{
    /// <summary>Asserts an Anthropic-shaped error reply and returns its message.</summary>
    public static async Task<string> ShouldBeAnthropicErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().ShouldBe("error");
        var error = json.RootElement.GetProperty("error");
        error.GetProperty("type").GetString().ShouldBe(type, body);
        var message = error.GetProperty("message").GetString();
        message.ShouldNotBeNullOrWhiteSpace();
        return message!;
    }
}
