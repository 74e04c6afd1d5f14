using System.Net;

namespace ReturnOps.Gateway.Tests;

/// <summary>Request bodies and small flows the tests share, in the contract's JSON shape.</summary>
public static class Demo
{
    public static Dictionary<string, object?> Returnee(string reference, bool voluntary = false, string nationality = "AL") => new()
    {
        ["reference"] = reference,
        ["nationality"] = nationality,
        ["birthYear"] = 1990,
        ["sex"] = "M",
        ["unaccompaniedMinor"] = false,
        ["decisionEnforceable"] = true,
        ["appealPending"] = false,
        ["appealSuspensive"] = false,
        ["nonRefoulementCleared"] = true,
        ["travelDocumentValidUntil"] = "2030-12-31",
        ["medicalFlag"] = false,
        ["vulnerabilities"] = Array.Empty<string>(),
        ["voluntary"] = voluntary,
    };

    public static object Operation(DateTimeOffset now, string[] destinations, int seatCapacity = 40, string type = "Joint") => new
    {
        type,
        destinations,
        legs = new[]
        {
            new { from = "VIE", to = "TIA", departure = now.AddDays(20) },
            new { from = "TIA", to = "BEG", departure = now.AddDays(20).AddHours(3) },
        },
        seatCapacity,
        bookingDeadline = now.AddDays(10),
    };

    public static object Booking(string[] returnees, int escorts, int medical = 0, int monitors = 0, int interpreters = 0) =>
        new { returnees, escorts, medical, monitors, interpreters, observers = 0 };

    /// <summary>Body of <c>PUT .../bookings/{id}/staff</c>: the escorts and medical staff of a booking, documents valid until 2030.</summary>
    public static object Staff(string prefix, int escorts, int medical = 0, string validUntil = "2030-12-31") => new
    {
        staff = Enumerable.Range(1, escorts).Select(i => new { reference = $"{prefix}-E{i}", role = "Escort", travelDocumentValidUntil = validUntil })
            .Concat(Enumerable.Range(1, medical).Select(i => new { reference = $"{prefix}-M{i}", role = "Medical", travelDocumentValidUntil = validUntil }))
            .ToArray(),
    };

    /// <summary>Rule 6: names a booking's staff (needed before the operation can be confirmed).</summary>
    public static async Task NameStaffAsync(GatewayHost host, string token, string operation, string bookingId, int escorts, int medical = 0)
    {
        var answer = await host.SendAsync(HttpMethod.Put, $"/api/v1/operations/{operation}/bookings/{bookingId}/staff", token, Staff(bookingId, escorts, medical));
        Assert.True(answer.Status == HttpStatusCode.OK, "naming staff: " + answer);
    }

    public static async Task<string> CreateReturneeAsync(GatewayHost host, string token, string reference, bool voluntary = false)
    {
        var answer = await host.PostAsync("/api/v1/returnees", token, Returnee(reference, voluntary));
        Assert.True(answer.Status == HttpStatusCode.Created, "creating a returnee: " + answer);
        return answer.Json.GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateOperationAsync(GatewayHost host, string token, DateTimeOffset now, string[] destinations, int seatCapacity = 40, bool announce = true)
    {
        var created = await host.PostAsync("/api/v1/operations", token, Operation(now, destinations, seatCapacity));
        Assert.True(created.Status == HttpStatusCode.Created, "creating an operation: " + created);
        var id = created.Json.GetProperty("id").GetString()!;
        if (announce)
        {
            var announced = await host.PostAsync($"/api/v1/operations/{id}/status", token, new { to = "Announced" });
            Assert.True(announced.Status == HttpStatusCode.OK, "announcing: " + announced);
        }
        return id;
    }
}
