using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 12: a destination sees whom a readmission request is about (only what identifies the person) and refuses with
/// its own reason; a refusal without one says nothing the owning state can act on and is refused.
/// </summary>
public sealed class ReadmissionReplyTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task A_partner_sees_whom_a_request_is_about_and_refuses_only_with_a_reason()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var al = host.Token("partner", "AL");
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RR-1");
        var created = await host.PostAsync($"/api/v1/returnees/{returnee}/readmission-requests", at, new { destination = "AL" });
        var id = created.Json.GetProperty("id").GetString();

        var seen = await host.GetAsync($"/api/v1/readmission-requests/{id}", al);
        var person = seen.Json.GetProperty("person");
        Assert.Equal(["reference", "nationality", "birthYear", "sex", "travelDocument"], person.EnumerateObject().Select(p => p.Name));
        Assert.Equal("AT-RR-1", person.GetProperty("reference").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/readmission-requests/{id}", host.Token("partner", "RS"))).Status);

        var bare = await host.PostAsync($"/api/v1/readmission-requests/{id}/reply", al, new { accepted = false });
        Assert.True(bare.Status == HttpStatusCode.UnprocessableEntity, bare.ToString());
        Assert.Equal("validation", bare.Json.GetProperty("rule").GetString());
        var refused = await host.PostAsync($"/api/v1/readmission-requests/{id}/reply", al,
            new { accepted = false, reason = "Nationality not confirmed: no record in the civil register" });
        Assert.True(refused.Status == HttpStatusCode.OK, refused.ToString());

        var after = await host.GetAsync($"/api/v1/readmission-requests/{id}", at);
        Assert.Equal("Refused", after.Json.GetProperty("request").GetProperty("status").GetString());
        Assert.Equal("Nationality not confirmed: no record in the civil register", after.Json.GetProperty("request").GetProperty("reason").GetString());
    }
}
