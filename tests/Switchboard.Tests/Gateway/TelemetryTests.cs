using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Issue 18, item 6: <c>POST /v1/{metrics,logs,traces}</c> take OTLP/HTTP in JSON and protobuf from a signed-in
/// client, answer 200 as OTLP does, refuse an oversized batch with 413, and count what came per user, with the
/// sessions JSON batches name, for the admin view of active users and sessions.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TelemetryTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string OperatorKey = "operator-key-for-admins";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string LogsJson = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},
          "scopeLogs":[{"logRecords":[
            {"body":{"stringValue":"api_request"},"attributes":[{"key":"session.id","value":{"stringValue":"session-one"}},{"key":"model","value":{"stringValue":"claude-sonnet-4-5"}}]},
            {"body":{"stringValue":"tool_result"},"attributes":[{"key":"session.id","value":{"stringValue":"session-two"}}]}]}]}]}
        """;

    [Fact]
    public async Task JsonAndProtobufBatches_Get200InTheirOwnEncoding_AndAreCountedWithTheirSessions()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(postgres, redis, extraTopLevel: $"\"apiKey\": \"{OperatorKey}\",");
        var bearer = (await new SignInClient(gateway.Replica.Client).SignInAsync(GatewaySignInTests.Email, GatewaySignInTests.Password)).AccessToken;

        using var json = await PostAsync(gateway, bearer, "/v1/logs", Encoding.UTF8.GetBytes(LogsJson), "application/json");
        using var protobuf = await PostAsync(gateway, bearer, "/v1/metrics", [0x0a, 0x03, 0x01, 0x02, 0x03], "application/x-protobuf");
        using var traces = await PostAsync(gateway, bearer, "/v1/traces", [0x0a, 0x00], "application/x-protobuf");

        json.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await json.Content.ReadAsStringAsync(Cancel)).ShouldBe("{}");
        protobuf.StatusCode.ShouldBe(HttpStatusCode.OK);
        protobuf.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-protobuf");
        (await protobuf.Content.ReadAsByteArrayAsync(Cancel)).ShouldBeEmpty();
        traces.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/team/telemetry");
        request.Headers.Add("x-api-key", OperatorKey);
        using var view = await gateway.Replica.Client.SendAsync(request, Cancel);
        var body = await view.ShouldBeJsonAsync(HttpStatusCode.OK);
        body.GetProperty("activeUsers").GetInt32().ShouldBe(1);
        body.GetProperty("activeSessions").GetInt32().ShouldBe(2, "session-one and session-two");
        var user = body.GetProperty("users")[0];
        user.GetProperty("email").GetString().ShouldBe(GatewaySignInTests.Email);
        user.GetProperty("batches").GetInt32().ShouldBe(3);
        user.GetProperty("bytes").GetInt32().ShouldBe(Encoding.UTF8.GetByteCount(LogsJson) + 5 + 2);
    }

    [Fact]
    public async Task ABatchOverTheCap_Is413_AndWithoutACredential_Is401()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(postgres, redis);
        var bearer = (await new SignInClient(gateway.Replica.Client).SignInAsync(GatewaySignInTests.Email, GatewaySignInTests.Password)).AccessToken;

        using var large = await PostAsync(gateway, bearer, "/v1/traces", new byte[4 * 1024 * 1024 + 1], "application/x-protobuf");
        using var anonymous = await PostAsync(gateway, null, "/v1/logs", Encoding.UTF8.GetBytes(LogsJson), "application/json");

        await large.ShouldBeAnthropicErrorAsync(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        await anonymous.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
    }

    private static async Task<HttpResponseMessage> PostAsync(GatewayUnderTest gateway, string? bearer, string path, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return await gateway.Replica.Client.SendAsync(request, Cancel);
    }
}
