using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.PassengerLists;

/// <summary>
/// One gateway with a confirmed joint operation VIE→TIA→BEG to Albania, started once for the PAXLST tests: Austria organises and
/// books two returnees (one with an Albanian laissez-passer, one with a vulnerability on the case), four escorts with hostile
/// service numbers and a doctor; Croatia books one returnee and two escorts. A second operation of Austria's stays announced.
/// </summary>
public sealed class PaxlstOperation : IAsyncLifetime
{
    public const string HostileEscort = "O'BRIEN+1:?X";
    public const string CaseReference = "AT-PAX-CASE-1";
    public const string Vulnerability = "Survivor of torture";
    public const string DocumentNumber = "ALP123456";

    private TestStorage? _storage;

    public GatewayHost Host { get; private set; } = null!;
    public string Operation { get; private set; } = "";
    public string Announced { get; private set; } = "";
    public string WithDocument { get; private set; } = "";
    public string Vulnerable { get; private set; } = "";
    public string Croatian { get; private set; } = "";
    public string Organiser => Host.Token("coordinator", "AT");

    public async ValueTask InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync("Sqlite", () => throw new InvalidOperationException("These tests run on SQLite only."));
        var clock = GatewayHost.NewClock();
        Host = await GatewayHost.StartAsync(_storage, clock);
        var at = Organiser;
        var hr = Host.Token("coordinator", "HR");
        Operation = await Demo.CreateOperationAsync(Host, at, clock.GetUtcNow(), ["AL"]);
        Announced = await Demo.CreateOperationAsync(Host, at, clock.GetUtcNow(), ["AL"]);
        WithDocument = await Demo.CreateReturneeAsync(Host, at, CaseReference);
        var vulnerable = Demo.Returnee("AT-PAX-CASE-2");
        vulnerable["sex"] = "F";
        vulnerable["birthYear"] = 1985;
        vulnerable["vulnerabilities"] = new[] { Vulnerability };
        Vulnerable = Expect(HttpStatusCode.Created, await Host.PostAsync("/api/v1/returnees", at, vulnerable), "a returnee with a vulnerability").GetProperty("id").GetString()!;
        Croatian = await Demo.CreateReturneeAsync(Host, hr, "HR-PAX-CASE-1");
        await IssueLaissezPasserAsync(at, WithDocument);

        var atBooking = Expect(HttpStatusCode.Created, await Host.PostAsync($"/api/v1/operations/{Operation}/bookings", at, Demo.Booking([WithDocument, Vulnerable], 4, 1)),
            "Austria's booking").GetProperty("id").GetString()!;
        var hrBooking = Expect(HttpStatusCode.Created, await Host.PostAsync($"/api/v1/operations/{Operation}/bookings", hr, Demo.Booking([Croatian], 2)),
            "Croatia's booking").GetProperty("id").GetString()!;
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/operations/{Operation}/monitors", Host.Token("secretariat"), new { monitor = "monitor-1" }), "a monitor");
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/operations/{Operation}/status", at, new { to = "BookingClosed" }), "closing");
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/operations/{Operation}/manifest/share", at, null), "sharing the manifest");
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/operations/{Operation}/clearance", Host.Token("partner", "AL"), new { cleared = true }), "clearance");
        string[] escorts = [HostileEscort, "D'ARCY-ĆOSIĆ", "ESC?2", "ESC:3"];
        var staff = new
        {
            staff = escorts.Select(r => new { reference = r, role = "Escort", travelDocumentValidUntil = "2030-12-31" })
                .Append(new { reference = "AT-DOC-1", role = "Medical", travelDocumentValidUntil = "2030-12-31" }).ToArray(),
        };
        Expect(HttpStatusCode.OK, await Host.SendAsync(HttpMethod.Put, $"/api/v1/operations/{Operation}/bookings/{atBooking}/staff", at, staff), "naming Austria's staff");
        await Demo.NameStaffAsync(Host, hr, Operation, hrBooking, escorts: 2);
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/operations/{Operation}/status", at, new { to = "Confirmed" }), "confirming");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    /// <summary>Albania confirms the identity and issues an emergency travel document (rule 17).</summary>
    private async Task IssueLaissezPasserAsync(string coordinator, string returnee)
    {
        var request = Expect(HttpStatusCode.Created, await Host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", coordinator, new { destination = "AL" }),
            "identification request").GetProperty("id").GetString()!;
        var albania = Host.Token("partner", "AL");
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/identification-requests/{request}/confirm", albania, new { }), "confirming identity");
        Expect(HttpStatusCode.OK, await Host.PostAsync($"/api/v1/identification-requests/{request}/document", albania,
            new { kind = "EmergencyTravelDocument", number = DocumentNumber, validFrom = "2026-11-22", validUntil = "2027-05-31" }), "issuing the document");
    }

    private static System.Text.Json.JsonElement Expect(HttpStatusCode status, Answer answer, string what)
    {
        Assert.True(answer.Status == status, $"{what}: {answer}");
        return answer.Body.Length > 0 ? answer.Json : default;
    }
}
