using System.Net;
using ReturnOps.Gateway.TravelDocuments;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.TravelDocuments;

/// <summary>
/// The European travel document for return (Regulation (EU) 2016/1953): filled from the stored case, its confirmed identification
/// request and its booking; only where the destination's agreement accepts it; its zone's check digits hold.
/// </summary>
public sealed class EuTravelDocumentTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task A_booked_case_whose_identity_Albania_confirmed_gets_the_document_data_and_a_zone_whose_check_digits_hold()
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(clock: clock);
        var at = host.Token("coordinator", "AT");
        var now = clock.GetUtcNow();
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-ETD-1");
        var operation = await Demo.CreateOperationAsync(host, at, now, ["AL"]);
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], escorts: 2));
        Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);
        var request = await ConfirmedIdentificationAsync(host, at, returnee, "AL");

        var answer = await host.PostAsync($"/api/v1/returnees/{returnee}/eu-travel-document", at,
            Input(request, validUntil: "2026-12-31", dateOfBirth: "1990-03-15"));

        Assert.True(answer.Status == HttpStatusCode.OK, "producing the document: " + answer);
        var document = answer.Json;
        Assert.Equal(EuTravelDocumentForm.Regulation, document.GetProperty("regulation").GetString());
        Assert.Equal("AT", document.GetProperty("issuingState").GetString());
        Assert.Equal("National return authority of Austria", document.GetProperty("issuingAuthority").GetString());
        Assert.Equal("AL", document.GetProperty("countryOfReturn").GetString());
        Assert.Equal(operation, document.GetProperty("journeyOperationId").GetString());
        Assert.Equal("VIE", document.GetProperty("journeyFrom").GetString());
        Assert.Equal("BEG", document.GetProperty("journeyTo").GetString());
        Assert.Equal("2026-11-22", document.GetProperty("dateOfIssue").GetString());
        Assert.Contains("Regulation (EC) No 333/2002", document.GetProperty("printing").GetString(), StringComparison.Ordinal);
        var zone = document.GetProperty("machineReadableZone").EnumerateArray().Select(l => l.GetString()!).ToArray();
        Assert.Equal("P<AUTHOXHA<<ARBEN<<<<<<<<<<<<<<<<<<<<<<<<<<<", zone[0]);
        Assert.Equal("AT12345675ALB9003152M2612317", zone[1][..28]);
        // Read back as a reader does: each field's check digit, and the composite over them.
        var line = zone[1];
        Assert.Equal(line[9], MachineReadableZone.CheckDigit(line[..9]));
        Assert.Equal(line[19], MachineReadableZone.CheckDigit(line[13..19]));
        Assert.Equal(line[27], MachineReadableZone.CheckDigit(line[21..27]));
        Assert.Equal(line[43], MachineReadableZone.CheckDigit(line[..10] + line[13..20] + line[21..43]));
    }

    [Fact]
    public async Task A_destination_whose_agreement_does_not_accept_it_is_422_identification()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-ETD-2");
        var request = await ConfirmedIdentificationAsync(host, at, returnee, "PK");

        var refused = await host.PostAsync($"/api/v1/returnees/{returnee}/eu-travel-document", at, Input(request));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal("identification", refused.Json.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Unconfirmed_identity_bad_names_and_another_states_case_are_refused()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-ETD-3");
        var pending = (await host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", at, new { destination = "AL" }))
            .Json.GetProperty("id").GetString()!;
        var path = $"/api/v1/returnees/{returnee}/eu-travel-document";

        var unconfirmed = await host.PostAsync(path, at, Input(pending));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.Status);
        Assert.Equal("identification", unconfirmed.Json.GetProperty("rule").GetString());
        var badName = await host.PostAsync(path, at, Input(pending, surname: "Hoxha<script>"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync(path, host.Token("coordinator", "HR"), Input(pending))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.PostAsync(path, host.Token("partner", "AL"), Input(pending))).Status);
    }

    private static object Input(string request, string validUntil = "2027-06-30", string? dateOfBirth = null, string surname = "Hoxha") =>
        new { identificationRequest = request, documentNumber = "AT1234567", surname, givenNames = "Arben", validUntil, dateOfBirth };

    private static async Task<string> ConfirmedIdentificationAsync(GatewayHost host, string coordinator, string returnee, string destination)
    {
        var sent = await host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", coordinator, new { destination });
        Assert.True(sent.Status == HttpStatusCode.Created, "identification request: " + sent);
        var id = sent.Json.GetProperty("id").GetString()!;
        var confirmed = await host.PostAsync($"/api/v1/identification-requests/{id}/confirm", host.Token("partner", destination), new { });
        Assert.True(confirmed.Status == HttpStatusCode.OK, "confirming identity: " + confirmed);
        return id;
    }
}
