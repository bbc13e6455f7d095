using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 2: users, groups and memberships on a real PostgreSQL, every admin change audited.</summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamUsersAndGroupsTests(PostgresServer postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateUser_IsFoundByIdAndEmail_AndAudited()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var users = new TeamUsers(database);

        var ada = await users.CreateAsync("ada@example.com", "Ada", TeamUser.Member, "config", Cancel);

        (await users.FindAsync(ada.Id, Cancel)).ShouldBe(ada);
        (await users.FindByEmailAsync("ada@example.com", Cancel)).ShouldBe(ada);
        (await users.FindByEmailAsync("bob@example.com", Cancel)).ShouldBeNull();
        ada.IsDisabled.ShouldBeFalse();
        var audit = (await AuditAsync(database, TeamAudit.AdminChange)).ShouldHaveSingleItem();
        audit.ShouldStartWith($"config {ada.Id} ");
        audit.ShouldContain("\"change\": \"user_created\"");
        audit.ShouldContain("\"email\": \"ada@example.com\"");
    }

    [Fact]
    public async Task CreateUser_EmailTaken_SaysSo_AndAuditsNothing()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var users = new TeamUsers(database);
        await users.CreateAsync("ada@example.com", "Ada", TeamUser.Member, "config", Cancel);

        var refused = await Should.ThrowAsync<TeamStoreException>(() => users.CreateAsync("ada@example.com", "Other", TeamUser.Admin, "config", Cancel));

        refused.Message.ShouldBe("A user with email ada@example.com already exists.");
        (await AuditAsync(database, TeamAudit.AdminChange)).Count.ShouldBe(1, "the refused insert's audit row went with its transaction");
    }

    [Fact]
    public async Task DisableUser_MarksTheRow_AuditsOnce_AndEnableUndoesIt()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var users = new TeamUsers(database);
        var ada = await MemberAsync(database);

        var disabled = await users.DisableAsync(ada.Id, "admin-1", Cancel);
        var again = await users.DisableAsync(ada.Id, "admin-1", Cancel);

        disabled.IsDisabled.ShouldBeTrue();
        again.DisabledAt.ShouldBe(disabled.DisabledAt, "disabling twice keeps the first time");
        (await users.FindAsync(ada.Id, Cancel))!.IsDisabled.ShouldBeTrue();
        (await AuditAsync(database, TeamAudit.AdminChange)).Count(row => row.Contains("user_disabled")).ShouldBe(1);

        (await users.EnableAsync(ada.Id, "admin-1", Cancel)).IsDisabled.ShouldBeFalse();
        (await AuditAsync(database, TeamAudit.AdminChange)).ShouldContain(row => row.StartsWith($"admin-1 {ada.Id} ") && row.Contains("user_enabled"));
    }

    [Fact]
    public async Task DisableUser_Unknown_SaysSo()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var nobody = Guid.NewGuid();

        var refused = await Should.ThrowAsync<TeamStoreException>(() => new TeamUsers(database).DisableAsync(nobody, "admin-1", Cancel));

        refused.Message.ShouldBe($"There is no user with id {nobody}.");
    }

    [Fact]
    public async Task Groups_MembersAddedAndRemoved_AreListedAndAudited()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var users = new TeamUsers(database);
        var groups = new TeamGroups(database);
        var ada = await MemberAsync(database);
        var platform = await groups.CreateAsync("platform", "config", Cancel);
        var research = await groups.CreateAsync("research", "config", Cancel);

        await groups.AddMemberAsync(research.Id, ada.Id, "admin-1", Cancel);
        await groups.AddMemberAsync(platform.Id, ada.Id, "admin-1", Cancel);
        await groups.AddMemberAsync(platform.Id, ada.Id, "admin-1", Cancel);

        (await groups.GroupsOfAsync(ada.Id, Cancel)).Select(g => g.Name).ShouldBe(["platform", "research"]);
        (await groups.FindByNameAsync("platform", Cancel)).ShouldBe(platform);
        await groups.RemoveMemberAsync(research.Id, ada.Id, "admin-1", Cancel);
        (await groups.GroupsOfAsync(ada.Id, Cancel)).ShouldBe([platform]);

        var audit = await AuditAsync(database, TeamAudit.AdminChange);
        audit.Count(row => row.Contains("member_added")).ShouldBe(2, "adding a member twice is audited once");
        audit.ShouldContain(row => row.StartsWith($"admin-1 {research.Id} ") && row.Contains("member_removed") && row.Contains(ada.Id.ToString()));
        audit.Count(row => row.Contains("group_created")).ShouldBe(2);
    }

    [Fact]
    public async Task Groups_NameTaken_OrMemberUnknown_SaySo()
    {
        await using var database = await MigratedDatabaseAsync(postgres);
        var groups = new TeamGroups(database);
        var platform = await groups.CreateAsync("platform", "config", Cancel);
        var nobody = Guid.NewGuid();

        (await Should.ThrowAsync<TeamStoreException>(() => groups.CreateAsync("platform", "config", Cancel)))
            .Message.ShouldBe("A group named platform already exists.");
        (await Should.ThrowAsync<TeamStoreException>(() => groups.AddMemberAsync(platform.Id, nobody, "admin-1", Cancel)))
            .Message.ShouldBe($"There is no user {nobody} or no group {platform.Id}.");
    }
}
