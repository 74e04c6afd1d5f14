using System.Net;
using System.Text;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 16: every list pages by cursor (<c>after</c> ← <c>nextAfter</c>) in a stable order, so every case can be reached;
/// filters narrow the returnee list; erased cases appear only on request; a bad cursor is a 400.
/// </summary>
public sealed class ListPagingTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static List<string> Ids(IEnumerable<JsonElement> items) => [.. items.Select(i => i.GetProperty("id").GetString()!)];

    private static async Task<string> CreateCaseAsync(GatewayHost host, string token, string reference, string nationality = "AL")
    {
        var answer = await host.PostAsync("/api/v1/returnees", token, Demo.Returnee(reference, nationality: nationality));
        Assert.True(answer.Status == HttpStatusCode.Created, "creating a returnee: " + answer);
        return answer.Json.GetProperty("id").GetString()!;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_case_is_listed_exactly_once_across_pages_while_cases_are_being_added(string provider)
    {
        var host = await StartAsync(provider);
        var de = host.Token("coordinator", "DE");
        var before = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            before.Add(await CreateCaseAsync(host, de, $"DE-PAGE-{i:D3}"));
        }

        // Two clerks register cases while a third pages through the list, 5 at a time.
        var added = 0;
        var listed = await ListPages.AllAsync(host, "/api/v1/returnees?limit=5", de, async () =>
        {
            await Task.WhenAll(CreateCaseAsync(host, de, $"DE-NEW-{added++}"), CreateCaseAsync(host, de, $"DE-NEW-{added++}"));
        });

        var ids = Ids(listed);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(before, id => Assert.Single(ids, x => x == id));
        // Newest first: ids are time-ordered, and the page order is the id order, descending.
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Filters_narrow_the_returnee_list_and_erased_cases_appear_only_on_request(string provider)
    {
        var host = await StartAsync(provider);
        var de = host.Token("coordinator", "DE");
        var albanian = await CreateCaseAsync(host, de, "BAMF-2024-0001", "AL");
        var serbian = await CreateCaseAsync(host, de, "BAMF-2024-0002", "RS");
        var other = await CreateCaseAsync(host, de, "LKA-7", "RS");
        var erased = await CreateCaseAsync(host, de, "BAMF-2023-0009", "AL");
        Assert.Equal(204, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/returnees/{erased}", de)).Code);
        var operation = await Demo.CreateOperationAsync(host, host.Token("coordinator", "AT"), TimeProvider.System.GetUtcNow(), ["AL"]);
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", de, Demo.Booking([albanian], 2, 1));
        Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);

        async Task<List<string>> ListAsync(string query) => Ids(await ListPages.AllAsync(host, "/api/v1/returnees" + query, de));

        Assert.Equal([other, serbian, albanian], await ListAsync(""));
        Assert.Equal([erased, other, serbian, albanian], await ListAsync("?includeErased=true"));
        Assert.Equal([erased], await ListAsync("?status=Erased"));
        Assert.Equal([albanian], await ListAsync("?status=Booked"));
        Assert.Equal([other, serbian], await ListAsync("?nationality=RS"));
        Assert.Equal([albanian], await ListAsync("?nationality=AL"));
        Assert.Equal([albanian], await ListAsync($"?operation={operation}"));
        Assert.Equal([serbian, albanian], await ListAsync("?reference=BAMF-2024"));
        Assert.Equal([serbian], await ListAsync("?reference=BAMF-2024-0002&nationality=RS&status=Available"));
        // An erased case has no reference or nationality any more: nothing of it can be searched for.
        Assert.Empty(await ListAsync("?reference=BAMF-2023&includeErased=true"));
        Assert.Empty(await ListAsync("?nationality=AL&status=Erased"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Another_country_lists_none_of_the_cases_and_gets_404_for_each(string provider)
    {
        var host = await StartAsync(provider);
        var de = host.Token("coordinator", "DE");
        var hr = host.Token("coordinator", "HR");
        var mine = new[] { await CreateCaseAsync(host, de, "DE-1"), await CreateCaseAsync(host, de, "DE-2") };

        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/returnees?includeErased=true", hr));
        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/returnees?reference=DE-", hr));
        // A cursor taken from DE's list does not open DE's cases to HR: it is a position, the owner is the token's.
        var page = await host.GetAsync("/api/v1/returnees?limit=1", de);
        var cursor = page.Json.GetProperty("nextAfter").GetString()!;
        var hrPage = await host.GetAsync($"/api/v1/returnees?after={Uri.EscapeDataString(cursor)}", hr);
        Assert.Equal(HttpStatusCode.OK, hrPage.Status);
        Assert.Empty(hrPage.Json.GetProperty("items").EnumerateArray());
        foreach (var id in mine)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/returnees/{id}", hr)).Status);
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/api/v1/returnees/{id}", de)).Status);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_operations_list_pages_newest_departure_first_and_keeps_the_contracts_page(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var answer = await host.PostAsync("/api/v1/operations", at, Demo.Operation(now.AddDays(i), ["AL"]));
            Assert.True(answer.Status == HttpStatusCode.Created, "creating: " + answer);
            created.Add(answer.Json.GetProperty("id").GetString()!);
        }
        var secretariat = host.Token("secretariat");

        var listed = await ListPages.AllAsync(host, "/api/v1/operations?limit=3", secretariat);
        Assert.Equal(created.AsEnumerable().Reverse(), Ids(listed));
        var departures = listed.Select(o => o.GetProperty("departure").GetDateTimeOffset()).ToList();
        Assert.Equal(departures.OrderDescending(), departures);

        var second = await host.GetAsync("/api/v1/operations?page=2&pageSize=3", secretariat);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(7, second.Json.GetProperty("total").GetInt64());
        Assert.Equal(2, second.Json.GetProperty("page").GetInt32());
        Assert.Equal(created.AsEnumerable().Reverse().Skip(3).Take(3), Ids(second.Json.GetProperty("items").EnumerateArray()));
        // Drafts stay the organiser's: another state pages through nothing.
        Assert.Empty(await ListPages.AllAsync(host, "/api/v1/operations?limit=2", host.Token("coordinator", "HR")));
        Assert.Equal(7, (await ListPages.AllAsync(host, "/api/v1/operations?limit=2&organiser=AT", at)).Count);
    }

    public static TheoryData<string> Lists =>
    [
        "/api/v1/returnees", "/api/v1/operations", "/api/v1/readmission-requests", "/api/v1/notifications",
        "/api/v1/audit", "/api/v1/deliveries",
    ];

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_bad_cursor_or_page_size_is_a_400_problem_that_changes_nothing(string list)
    {
        var host = await StartAsync();
        var token = list switch
        {
            "/api/v1/audit" => host.Token("admin"),
            "/api/v1/deliveries" => host.Token("secretariat"),
            _ => host.Token("coordinator", "DE"),
        };
        var otherList = Convert.ToBase64String(Encoding.UTF8.GetBytes("elsewhere\n1")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var notAnId = Convert.ToBase64String(Encoding.UTF8.GetBytes("returnees\nDROP TABLE")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var before = await DomainRows.SnapshotAsync(host);
        foreach (var query in new[] { "after=%%%", "after=bm90IGEgY3Vyc29y", "after=" + otherList, "after=" + notAnId, "after=" + new string('A', 500), "limit=0", "limit=100000", "limit=x" })
        {
            var answer = await host.GetAsync($"{list}?{query}", token);
            Assert.True(answer.Code == 400, $"{list}?{query}: {answer}");
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
        }
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_operations_bookings_page_in_arrival_order_and_the_audit_log_newest_first(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"], seatCapacity: 200);
        var bookings = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var returnee = await CreateCaseAsync(host, at, $"AT-B-{i}");
            var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2, 1));
            Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);
            bookings.Add(booked.Json.GetProperty("id").GetString()!);
        }
        Assert.Equal(bookings, Ids(await ListPages.AllAsync(host, $"/api/v1/operations/{operation}/bookings?limit=2", at)));
        Assert.Equal(400, (await host.GetAsync($"/api/v1/operations/{operation}/bookings?after=xyz", at)).Code);

        var admin = host.Token("admin");
        var audit = await ListPages.AllAsync(host, "/api/v1/audit?limit=4&action=booking.create", admin);
        Assert.Equal(5, audit.Count);
        var seqs = audit.Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.OrderDescending(), seqs);
        // Exporters that read forward keep afterSeq.
        var forward = await host.GetAsync("/api/v1/audit?afterSeq=0&limit=1000&action=booking.create", admin);
        Assert.Equal(seqs.Order(), forward.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
    }
}
