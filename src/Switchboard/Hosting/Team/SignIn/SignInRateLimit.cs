using System.Net;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// The verification page's per-IP rate limit (RFC 8628 §5.1): a user code is short, so guessing one, or a password,
/// must be slow. Counted in Redis (one INCR and its expiry), so every replica behind the balancer shares the count.
/// Behind a balancer every request comes from the balancer's address: the client's is then the last hop the
/// balancer adds to <c>X-Forwarded-For</c> (HAProxy's <c>option forwardfor</c>), trusted only from a loopback peer.
/// While Redis does not answer, the page follows <c>team.whenRedisDown</c>, as limits do.
/// </summary>
internal sealed class SignInRateLimit(TeamServices team, int attemptsPerMinute, bool allowWhenRedisDown)
{
    public int AttemptsPerMinute => attemptsPerMinute;

    /// <summary>Whether another attempt from this client may go on.</summary>
    public async Task<bool> AllowAsync(HttpContext context)
    {
        var key = $"switchboard:signin:ip:{ClientAddress(context)}:{DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60}";
        try
        {
            var database = team.Redis.GetDatabase();
            var count = await database.StringIncrementAsync(key);
            if (count == 1) await database.KeyExpireAsync(key, TimeSpan.FromSeconds(120), flags: CommandFlags.FireAndForget);
            return count <= attemptsPerMinute;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            return allowWhenRedisDown;
        }
    }

    private static string ClientAddress(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is not null && IPAddress.IsLoopback(peer)
            && context.Request.Headers["X-Forwarded-For"].LastOrDefault() is { Length: > 0 } forwarded)
        {
            var last = forwarded.Split(',')[^1].Trim();
            if (IPAddress.TryParse(last, out var client)) return client.ToString();
        }
        return peer?.ToString() ?? "unknown";
    }
}
