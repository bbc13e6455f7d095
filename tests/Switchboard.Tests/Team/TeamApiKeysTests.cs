using System.Security.Cryptography;
using System.Text;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 2: API keys on a real PostgreSQL: shown once, stored as a hash, prefix visible, revoke, rotate.</summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamApiKeysTests(PostgresServer postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ShowsTheKeyOnce_AndStoresOnlyItsSha256AndPrefix()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);
        var keys = new TeamApiKeys(database);

        var created = await keys.CreateAsync(ada.Id, "laptop", ["messages"], null, "admin-1", Cancel);

        created.Key.ShouldMatch("^sb-[a-z2-9]{8}-[A-Za-z0-9_-]{43}$");
        created.Info.Prefix.ShouldBe(created.Key[3..11]);
        var secret = created.Key[12..];
        var stored = await ScalarAsync<byte[]>(database, "SELECT hash FROM api_keys WHERE id = $1", created.Info.Id);
        stored.ShouldBe(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key)));
        var wholeRow = await ScalarAsync<string>(database, "SELECT row_to_json(k)::text FROM api_keys k WHERE id = $1", created.Info.Id);
        wholeRow.ShouldNotContain(secret, Case.Sensitive, "only the hash of the key is stored");
        wholeRow.ShouldContain(created.Info.Prefix);
        created.ToString().ShouldNotContain(secret, Case.Sensitive, "a created key printed into a log hides its value");
    }

    [Fact]
    public async Task List_ShowsPrefixNameScopesAndExpiry_NeverTheKey()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);
        var keys = new TeamApiKeys(database);
        var expires = new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var first = await keys.CreateAsync(ada.Id, "laptop", ["messages", "models"], expires, "admin-1", Cancel);
        var second = await keys.CreateAsync(ada.Id, "ci", [], null, "admin-1", Cancel);

        var listed = await keys.ListAsync(ada.Id, Cancel);

        listed.Select(k => k.Id).ShouldBe([second.Info.Id, first.Info.Id], "newest first");
        var laptop = listed[1];
        laptop.Shown.ShouldBe($"sb-{first.Info.Prefix}-…");
        laptop.Name.ShouldBe("laptop");
        laptop.Scopes.ShouldBe(["messages", "models"]);
        laptop.ExpiresAt.ShouldBe(expires);
        laptop.RevokedAt.ShouldBeNull();
        string[] secrets = [first.Key[12..], second.Key[12..]];
        foreach (var key in listed) secrets.ShouldAllBe(secret => !key.ToString().Contains(secret));
    }

    [Fact]
    public async Task Create_IsAudited_WithThePrefixButNotTheKey()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);

        var created = await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "admin-1", Cancel);

        var audit = (await AuditAsync(database, TeamAudit.AdminChange)).Last();
        audit.ShouldStartWith($"admin-1 {created.Info.Id} ");
        audit.ShouldContain("\"change\": \"key_created\"");
        audit.ShouldContain($"\"prefix\": \"{created.Info.Prefix}\"");
        audit.ShouldNotContain(created.Key[12..], Case.Sensitive);
    }

    [Fact]
    public async Task Create_ForAnUnknownUser_SaysSo()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var nobody = Guid.NewGuid();

        var refused = await Should.ThrowAsync<TeamStoreException>(() => new TeamApiKeys(database).CreateAsync(nobody, "x", [], null, "admin-1", Cancel));

        refused.Message.ShouldBe($"There is no user with id {nobody}.");
        (await AuditAsync(database, TeamAudit.AdminChange)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Revoke_MarksTheKey_AndIsAuditedOnce()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);
        var keys = new TeamApiKeys(database);
        var created = await keys.CreateAsync(ada.Id, "laptop", [], null, "admin-1", Cancel);

        var revoked = await keys.RevokeAsync(created.Info.Id, "admin-2", Cancel);
        var again = await keys.RevokeAsync(created.Info.Id, "admin-2", Cancel);

        revoked.RevokedAt.ShouldNotBeNull();
        again.RevokedAt.ShouldBe(revoked.RevokedAt);
        (await keys.FindAsync(created.Info.Id, Cancel))!.RevokedAt.ShouldBe(revoked.RevokedAt);
        (await AuditAsync(database, TeamAudit.AdminChange)).Count(row => row.StartsWith($"admin-2 {created.Info.Id} ") && row.Contains("key_revoked")).ShouldBe(1);
    }

    [Fact]
    public async Task Rotate_GivesANewKeyLikeTheOld_RevokesTheOld_AndIsAudited()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);
        var keys = new TeamApiKeys(database);
        var expires = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var old = await keys.CreateAsync(ada.Id, "laptop", ["messages"], expires, "admin-1", Cancel);

        var rotated = await keys.RotateAsync(old.Info.Id, "admin-1", Cancel);

        rotated.Key.ShouldNotBe(old.Key);
        rotated.Info.Prefix.ShouldNotBe(old.Info.Prefix);
        (rotated.Info.UserId, rotated.Info.Name, rotated.Info.ExpiresAt).ShouldBe((ada.Id, "laptop", (DateTimeOffset?)expires));
        rotated.Info.Scopes.ShouldBe(["messages"]);
        (await keys.FindAsync(old.Info.Id, Cancel))!.RevokedAt.ShouldNotBeNull();
        var audit = (await AuditAsync(database, TeamAudit.AdminChange)).Last();
        audit.ShouldStartWith($"admin-1 {old.Info.Id} ");
        audit.ShouldContain("\"change\": \"key_rotated\"");
        audit.ShouldContain($"\"new_key\": \"{rotated.Info.Id}\"");
        audit.ShouldContain($"\"new_prefix\": \"{rotated.Info.Prefix}\"");
        audit.ShouldNotContain(rotated.Key[12..], Case.Sensitive);
    }

    [Fact]
    public async Task Rotate_ARevokedKey_IsRefused_AndMakesNoKey()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var ada = await MemberAsync(database);
        var keys = new TeamApiKeys(database);
        var old = await keys.CreateAsync(ada.Id, "laptop", [], null, "admin-1", Cancel);
        await keys.RevokeAsync(old.Info.Id, "admin-1", Cancel);

        var refused = await Should.ThrowAsync<TeamStoreException>(() => keys.RotateAsync(old.Info.Id, "admin-1", Cancel));

        refused.Message.ShouldBe($"Key sb-{old.Info.Prefix}-… is revoked, so it cannot be rotated: create a new key for the user instead.");
        (await keys.ListAsync(ada.Id, Cancel)).Count.ShouldBe(1);
    }
}
