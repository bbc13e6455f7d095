using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 3: a presented key resolves to a principal or a refusal, on a real PostgreSQL. Changes are made
/// behind the authenticator's back (plain SQL on another connection) to prove what its cache serves, and time is
/// moved by a fake clock, never slept.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamAuthenticatorTests(PostgresServer postgres)
{
    private static readonly TeamAuthenticatorOptions Options = new() { CacheLifetime = TimeSpan.FromSeconds(30), UsageFlushInterval = TimeSpan.FromSeconds(60) };
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Authenticate_ValidKey_ResolvesUserGroupsKeyAndScopes()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (ada, key) = await UserWithKeyAsync(database, scopes: ["messages"]);
        var groups = new TeamGroups(database);
        await groups.AddMemberAsync((await groups.CreateAsync("research", "config", Cancel)).Id, ada.Id, "config", Cancel);
        await groups.AddMemberAsync((await groups.CreateAsync("platform", "config", Cancel)).Id, ada.Id, "config", Cancel);

        var result = await Authenticator(database).AuthenticateAsync(key.Key, Cancel);

        result.IsAllowed.ShouldBeTrue(result.Message);
        var principal = result.Principal!;
        (principal.UserId, principal.Email, principal.DisplayName, principal.KeyId, principal.KeyPrefix)
            .ShouldBe((ada.Id, "ada@example.com", "Ada", key.Info.Id, key.Info.Prefix));
        principal.GroupNames.ShouldBe(["platform", "research"]);
        principal.GroupIds.Count.ShouldBe(2);
        principal.Scopes.ShouldBe(["messages"]);
        principal.IsAdmin.ShouldBeFalse();
    }

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("bearer")]
    public async Task PresentedKey_FromEitherHeader_Authenticates(string header)
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key) = await UserWithKeyAsync(database);

        var presented = header == "x-api-key" ? PresentedKey.From(key.Key, null) : PresentedKey.From(null, "Bearer " + key.Key);

        (await Authenticator(database).AuthenticateAsync(presented, Cancel)).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public async Task Authenticate_NoKey_NotOurs_OrUnknown_RefusedWithTheReason_AndCounted()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key) = await UserWithKeyAsync(database);
        var authenticator = Authenticator(database);

        var missing = await authenticator.AuthenticateAsync(PresentedKey.From(null, null), Cancel);
        var anthropic = await authenticator.AuthenticateAsync("sk-ant-api03-abcdefghijklmnop", Cancel);
        var unknown = await authenticator.AuthenticateAsync("sb-abcdefgh-" + key.Key[12..], Cancel);
        var wrongSecret = await authenticator.AuthenticateAsync(key.Key[..12] + new string('A', 43), Cancel);

        missing.Refusal.ShouldBe(KeyRefusal.Missing);
        missing.Message.ShouldContain("set ANTHROPIC_API_KEY");
        anthropic.Refusal.ShouldBe(KeyRefusal.Malformed);
        anthropic.Message.ShouldContain("is not a Switchboard key");
        unknown.Refusal.ShouldBe(KeyRefusal.Unknown);
        wrongSecret.Refusal.ShouldBe(KeyRefusal.Unknown, "the right prefix with a wrong secret is as unknown as any guess");
        wrongSecret.Message.ShouldNotContain(key.Info.Prefix, Case.Sensitive, "holding a prefix says nothing about its key");
        authenticator.RefusalCount(KeyRefusal.Missing).ShouldBe(1);
        authenticator.RefusalCount(KeyRefusal.Malformed).ShouldBe(1);
        authenticator.RefusalCount(KeyRefusal.Unknown).ShouldBe(2);
    }

    [Fact]
    public async Task Authenticate_RevokedKey_Refused()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key) = await UserWithKeyAsync(database);
        await new TeamApiKeys(database).RevokeAsync(key.Info.Id, "admin-1", Cancel);

        var result = await Authenticator(database).AuthenticateAsync(key.Key, Cancel);

        result.Refusal.ShouldBe(KeyRefusal.Revoked);
        result.Message.ShouldBe($"Switchboard key sb-{key.Info.Prefix}-… was revoked: ask an admin for a new one.");
        result.Message.ShouldNotContain(key.Key[12..], Case.Sensitive);
    }

    [Fact]
    public async Task Authenticate_PastExpiry_Refused_EvenFromTheCache()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var expires = _time.GetUtcNow().AddSeconds(10);
        var (_, key) = await UserWithKeyAsync(database, expires: expires);
        var authenticator = Authenticator(database);
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue();

        _time.Advance(TimeSpan.FromSeconds(10));
        var result = await authenticator.AuthenticateAsync(key.Key, Cancel);

        result.Refusal.ShouldBe(KeyRefusal.Expired, "expiry is checked against the clock on every request, within the cache lifetime too");
        result.Message.ShouldBe($"Switchboard key sb-{key.Info.Prefix}-… expired at 2026-12-03 09:00:10Z: ask an admin for a new one.");
    }

    [Fact]
    public async Task Authenticate_DisabledUser_Refused()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (ada, key) = await UserWithKeyAsync(database);
        await new TeamUsers(database).DisableAsync(ada.Id, "admin-1", Cancel);

        var result = await Authenticator(database).AuthenticateAsync(key.Key, Cancel);

        result.Refusal.ShouldBe(KeyRefusal.UserDisabled);
        result.Message.ShouldContain("is disabled: ask an admin");
    }

    [Fact]
    public async Task Authenticate_Rotated_OldKeyRefused_NewKeyAllowed()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, old) = await UserWithKeyAsync(database);
        var rotated = await new TeamApiKeys(database).RotateAsync(old.Info.Id, "admin-1", Cancel);
        var authenticator = Authenticator(database);

        (await authenticator.AuthenticateAsync(old.Key, Cancel)).Refusal.ShouldBe(KeyRefusal.Revoked);
        (await authenticator.AuthenticateAsync(rotated.Key, Cancel)).Principal!.KeyId.ShouldBe(rotated.Info.Id);
    }

    [Fact]
    public async Task CacheHit_NeedsNoDatabase_UntilTheLifetimeEnds()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connectionString);
        await TeamSchema.MigrateAsync(database, Cancel);
        var (_, key) = await UserWithKeyAsync(database);
        var authenticator = Authenticator(database);
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue();

        // The database goes away altogether: a cache hit cannot have asked it anything.
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await admin.OpenAsync(Cancel);
            await using var drop = new NpgsqlCommand($"DROP DATABASE {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(Cancel);
        }
        _time.Advance(Options.CacheLifetime - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 50; i++)
            (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue();

        _time.Advance(TimeSpan.FromSeconds(1));
        await Should.ThrowAsync<TeamStoreException>(async () => await authenticator.AuthenticateAsync(key.Key, Cancel));
    }

    [Fact]
    public async Task CachedAnswer_HoldsUntilTheLifetimeEnds_ThenTheRowIsReadAgain()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key) = await UserWithKeyAsync(database);
        var authenticator = Authenticator(database);
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue();

        await ExecuteAsync(database, "UPDATE api_keys SET revoked_at = now() WHERE id = $1", key.Info.Id);
        _time.Advance(Options.CacheLifetime - TimeSpan.FromSeconds(1));
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue("served from this replica's cache");

        _time.Advance(TimeSpan.FromSeconds(1));
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).Refusal.ShouldBe(KeyRefusal.Revoked);
    }

    [Fact]
    public async Task Invalidate_ByKeyId_TakesEffectAtOnce()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key, other, authenticator) = await TwoCachedKeysOfOneUserAsync(database);
        await ExecuteAsync(database, "UPDATE api_keys SET revoked_at = now()");

        authenticator.Invalidate(key.Info.Id);

        (await authenticator.AuthenticateAsync(key.Key, Cancel)).Refusal.ShouldBe(KeyRefusal.Revoked);
        (await authenticator.AuthenticateAsync(other.Key, Cancel)).IsAllowed.ShouldBeTrue("only the invalidated key was forgotten");
    }

    [Fact]
    public async Task Invalidate_ByUserId_ForgetsEveryKeyOfTheUser()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (ada, key, second, authenticator) = await TwoCachedKeysOfOneUserAsync(database);
        await ExecuteAsync(database, "UPDATE users SET disabled_at = now() WHERE id = $1", ada.Id);
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue("still cached");

        authenticator.Invalidate(ada.Id);

        (await authenticator.AuthenticateAsync(key.Key, Cancel)).Refusal.ShouldBe(KeyRefusal.UserDisabled);
        (await authenticator.AuthenticateAsync(second.Key, Cancel)).Refusal.ShouldBe(KeyRefusal.UserDisabled);
    }

    [Fact]
    public async Task InvalidateAll_ForgetsEverything()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key) = await UserWithKeyAsync(database);
        var authenticator = Authenticator(database);
        (await authenticator.AuthenticateAsync(key.Key, Cancel)).IsAllowed.ShouldBeTrue();
        await ExecuteAsync(database, "UPDATE api_keys SET revoked_at = now()");

        authenticator.InvalidateAll();

        (await authenticator.AuthenticateAsync(key.Key, Cancel)).Refusal.ShouldBe(KeyRefusal.Revoked);
    }

    [Fact]
    public async Task FlushActivity_WritesLastUsedAndOneAuditRowPerKeyAndRefusal_ThenNothingMore()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (ada, key) = await UserWithKeyAsync(database);
        var (_, revoked) = await UserWithKeyAsync(database, email: "bob@example.com");
        await new TeamApiKeys(database).RevokeAsync(revoked.Info.Id, "admin-1", Cancel);
        var authenticator = Authenticator(database);
        for (var i = 0; i < 3; i++) await authenticator.AuthenticateAsync(key.Key, Cancel);
        _time.Advance(TimeSpan.FromSeconds(5));
        await authenticator.AuthenticateAsync(key.Key, Cancel);
        await authenticator.AuthenticateAsync(revoked.Key, Cancel);
        await authenticator.AuthenticateAsync(revoked.Key, Cancel);
        await authenticator.AuthenticateAsync("sb-zzzzzzzz-nothing-like-it", Cancel);
        (await ScalarAsync<object>(database, "SELECT last_used_at FROM api_keys WHERE id = $1", key.Info.Id)).ShouldBe(DBNull.Value, "nothing is written on the request path");

        await authenticator.FlushActivityAsync(Cancel);

        (await ScalarAsync<DateTime>(database, "SELECT last_used_at FROM api_keys WHERE id = $1", key.Info.Id)).ShouldBe(_time.GetUtcNow().UtcDateTime);
        (await AuditAsync(database, TeamAudit.KeyUse)).ShouldBe([$"{ada.Id} {key.Info.Id} {{\"uses\": \"4\"}}"]);
        var blocks = await AuditAsync(database, TeamAudit.Block);
        blocks.Count.ShouldBe(2);
        blocks.ShouldContain($"{revoked.Info.Prefix} {revoked.Info.Id} {{\"count\": \"2\", \"reason\": \"Revoked\"}}");
        blocks.ShouldContain("unknown - {\"count\": \"1\", \"reason\": \"Unknown\"}");

        await authenticator.FlushActivityAsync(Cancel);
        (await ScalarAsync<long>(database, "SELECT count(*) FROM audit_log WHERE action IN ('key_use', 'block')")).ShouldBe(3);
    }

    [Fact]
    public async Task FlushActivity_DatabaseRefuses_KeepsTheTalliesForTheNextFlush()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (ada, key) = await UserWithKeyAsync(database);
        var authenticator = Authenticator(database);
        await authenticator.AuthenticateAsync(key.Key, Cancel);
        await authenticator.AuthenticateAsync("sb-zzzzzzzz-nothing-like-it", Cancel);
        await ExecuteAsync(database, "ALTER TABLE audit_log RENAME TO audit_log_away");

        await Should.ThrowAsync<PostgresException>(() => authenticator.FlushActivityAsync(Cancel));
        await ExecuteAsync(database, "ALTER TABLE audit_log_away RENAME TO audit_log");
        await authenticator.AuthenticateAsync(key.Key, Cancel);
        await authenticator.FlushActivityAsync(Cancel);

        (await AuditAsync(database, TeamAudit.KeyUse)).ShouldBe([$"{ada.Id} {key.Info.Id} {{\"uses\": \"2\"}}"], "the failed flush's use and the later one");
        (await AuditAsync(database, TeamAudit.Block)).ShouldBe(["unknown - {\"count\": \"1\", \"reason\": \"Unknown\"}"]);
    }

    [Fact]
    public async Task Run_FlushesOnItsInterval()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var (_, key) = await UserWithKeyAsync(database);
        var authenticator = Authenticator(database);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = authenticator.RunAsync(stop.Token);
        await authenticator.AuthenticateAsync(key.Key, Cancel);

        _time.Advance(Options.UsageFlushInterval);

        await PollAsync(async () => await ScalarAsync<long>(database, "SELECT count(*) FROM audit_log WHERE action = 'key_use'") == 1);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
    }

    private TeamAuthenticator Authenticator(NpgsqlDataSource database) => new(database, Options, _time);

    private static async Task<(TeamUser User, CreatedApiKey Key)> UserWithKeyAsync(
        NpgsqlDataSource database, string email = "ada@example.com", IReadOnlyList<string>? scopes = null, DateTimeOffset? expires = null)
    {
        var user = await MemberAsync(database, email, displayName: email == "ada@example.com" ? "Ada" : email);
        return (user, await new TeamApiKeys(database).CreateAsync(user.Id, "laptop", scopes ?? [], expires, "admin-1", Cancel));
    }

    /// <summary>A user with two keys, both authenticated once, so both sit in the returned authenticator's cache.</summary>
    private async Task<(TeamUser User, CreatedApiKey First, CreatedApiKey Second, TeamAuthenticator Authenticator)> TwoCachedKeysOfOneUserAsync(NpgsqlDataSource database)
    {
        var (user, first) = await UserWithKeyAsync(database);
        var second = await new TeamApiKeys(database).CreateAsync(user.Id, "second", [], null, "admin-1", Cancel);
        var authenticator = Authenticator(database);
        (await authenticator.AuthenticateAsync(first.Key, Cancel)).IsAllowed.ShouldBeTrue();
        (await authenticator.AuthenticateAsync(second.Key, Cancel)).IsAllowed.ShouldBeTrue();
        return (user, first, second, authenticator);
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold within 15 s");
            await Task.Delay(20, Cancel);
        }
    }
}
