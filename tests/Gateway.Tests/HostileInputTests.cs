using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Thousands of generated hostile requests against every writing endpoint: each is answered with a 4xx
/// problem, never a 5xx, and the domain's storage is byte for byte what it was before.
/// </summary>
public sealed class HostileInputTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const int Requests = 2_000;

    private sealed record Target(string Method, string Path, string Role, JsonObject Body);

    private sealed record Attack(string Kind, string Method, string Path, string? Token, string? Body, string? ContentType, bool WithKey);

    private static readonly string[] s_nasty =
    [
        "'; DROP TABLE grain_state; --", "\" OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "{{7*7}}",
        "${jndi:ldap://x}", "ＡＴ", "\u202eLA", "ZZ", "A", "ABCD", "null", "", " ",
    ];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_thousand_hostile_requests_get_no_5xx_and_change_nothing(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var now = TimeProvider.System.GetUtcNow();
        var op = await Demo.CreateOperationAsync(host, at, now, ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-H-1");
        var booked = await Demo.CreateReturneeAsync(host, at, "AT-H-3");
        var booking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([booked], 2, 1))).Json.GetProperty("id").GetString();
        Target[] targets =
        [
            new("POST", "/api/v1/operations", "coordinator", Node(Demo.Operation(now, ["AL"]))),
            new("POST", "/api/v1/returnees", "coordinator", Node(Demo.Returnee("AT-H-2"))),
            new("POST", $"/api/v1/operations/{op}/bookings", "coordinator", Node(Demo.Booking([returnee], 2, 1))),
            new("POST", $"/api/v1/operations/{op}/status", "coordinator", Node(new { to = "BookingClosed" })),
            new("POST", $"/api/v1/returnees/{returnee}/readmission-requests", "coordinator", Node(new { destination = "RS" })),
            new("PATCH", $"/api/v1/returnees/{returnee}", "coordinator", Node(new { sex = "F" })),
            new("PUT", "/api/v1/countries/NG", "admin", Node(new { name = "Nigeria", group = "ThirdCountry", airports = new[] { "LOS" } })),
            new("PUT", "/api/v1/agreements/RS", "admin", Node(new { replyDays = 12, extensionDays = 2, silenceMeansAcceptance = true, transferDays = 30 })),
            new("POST", $"/api/v1/operations/{op}/monitors", "secretariat", Node(new { monitor = "m-1" })),
            // Unmutated, these are refused too: one escort named for two, and no no-shows before departure.
            new("PUT", $"/api/v1/operations/{op}/bookings/{booking}/staff", "coordinator", Node(Demo.Staff("AT", 1, 1))),
            new("POST", $"/api/v1/operations/{op}/no-shows", "coordinator", Node(new { returneeId = booked, reason = "Absconded" })),
        ];
        var before = await DomainRows.SnapshotAsync(host);
        var random = new Random(20261122);
        var attacks = Enumerable.Range(0, Requests).Select(_ => Generate(random, targets[random.Next(targets.Length)], host)).ToList();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(attacks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (attack, _) =>
        {
            var answer = await SendAsync(host, attack);
            kinds.AddOrUpdate(attack.Kind + ":" + answer.Code, 1, (_, n) => n + 1);
            var isProblem = answer.ContentHeaders?.ContentType?.MediaType == "application/problem+json";
            if (answer.Code is < 400 or >= 500 || !isProblem || answer.Body.Contains("   at ", StringComparison.Ordinal))
            {
                failures.Add($"{attack.Kind} {attack.Method} {attack.Path} [{attack.ContentType}] {Truncate(attack.Body)} -> {answer.Code} {Truncate(answer.Body)}");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers:\n" + string.Join("\n", failures.Take(30)));
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
        // Every kind of attack was generated and answered.
        Assert.True(kinds.Keys.Select(k => k.Split(':')[0]).Distinct().Count() >= 12, string.Join(", ", kinds.Select(k => k.Key + "=" + k.Value)));
    }

    private static Attack Generate(Random random, Target target, GatewayHost host)
    {
        var token = target.Role == "admin" ? host.Token("admin") : target.Role == "secretariat" ? host.Token("secretariat") : host.Token("coordinator", "AT");
        var body = target.Body.DeepClone().AsObject();
        var json = target.Method == "PATCH" ? "application/merge-patch+json" : "application/json";
        switch (random.Next(15))
        {
            case 0:
                return new("no-token", target.Method, target.Path, null, body.ToJsonString(), json, true);
            case 1:
                string[] forged =
                [
                    token[..^6] + "AAAAAA", "Bearer", "x.y.z", token.Split('.')[0] + ".eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.", Convert.ToBase64String(Encoding.UTF8.GetBytes(token)),
                    host.Tokens.Issue("late", "admin", null, TimeSpan.FromSeconds(-120)),
                ];
                return new("forged-token", target.Method, target.Path, forged[random.Next(forged.Length)], body.ToJsonString(), json, true);
            case 2:
                var wrongRole = target.Role == "coordinator" ? host.Token(random.Next(2) == 0 ? "fro" : "monitor") : host.Token("coordinator", "HR");
                return new("wrong-role", target.Method, target.Path, wrongRole, body.ToJsonString(), json, true);
            case 3:
                string[] types = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png"];
                return new("content-type", target.Method, target.Path, token, body.ToJsonString(), types[random.Next(types.Length)], true);
            case 4:
                body[body.First().Key] = new string('x', 66_000 + random.Next(100_000));
                return new("oversized", target.Method, target.Path, token, body.ToJsonString(), json, true);
            case 5:
                var text = body.ToJsonString();
                return new("truncated", target.Method, target.Path, token, text[..random.Next(text.Length - 1)], json, true);
            case 6:
                var key = body.ElementAt(random.Next(body.Count)).Key;
                body[key] = WrongType(body[key], random);
                return new("wrong-type", target.Method, target.Path, token, body.ToJsonString(), json, true);
            case 7:
                var number = body.FirstOrDefault(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number).Key;
                string[] huge = ["1e400", "99999999999999999999999999999999", "-1e308", "2147483648", "1.5", "-0.0000001e-400"];
                var hugeText = number is null ? body.ToJsonString() : body.ToJsonString().Replace($"\"{number}\":", $"\"{number}\":{huge[random.Next(huge.Length)]},\"_{number}\":", StringComparison.Ordinal);
                return new("huge-number", target.Method, target.Path, token, number is null ? "[" + huge[random.Next(huge.Length)] + "]" : hugeText, json, true);
            case 8:
                var depth = 40 + random.Next(3_000);
                var nested = random.Next(2) == 0 ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                return new("deep-nesting", target.Method, target.Path, token, nested, json, true);
            case 9:
                body["unexpected" + random.Next(100)] = random.Next(2) == 0 ? "x" : new JsonObject { ["admin"] = true };
                return new("unknown-field", target.Method, target.Path, token, body.ToJsonString(), json, true);
            case 10:
                return new("unknown-code", target.Method, target.Path, token, UnknownCode(body, random), json, true);
            case 11:
                // An empty or blank value is no filter at all in a query: only non-blank ones attack it.
                var nasty = s_nasty[random.Next(s_nasty.Length - 2)];
                return random.Next(3) switch
                {
                    0 => new("nasty-path", target.Method, target.Path.Replace("/api/v1/", "/api/v1/" + Uri.EscapeDataString(nasty) + "/", StringComparison.Ordinal),
                        token, body.ToJsonString(), json, true),
                    1 => new("nasty-query", "GET", "/api/v1/operations?status=" + Uri.EscapeDataString(nasty) + "&destination=" + Uri.EscapeDataString(nasty), token, null, null, false),
                    _ => new("nasty-id", target.Method, target.Path.Contains("op-", StringComparison.Ordinal)
                        ? target.Path.Replace(target.Path.Split('/')[4], Uri.EscapeDataString(nasty + "op"), StringComparison.Ordinal)
                        : "/api/v1/returnees/" + Uri.EscapeDataString(nasty), token, body.ToJsonString(), json, true),
                };
            case 12:
                return new("no-idempotency-key", "POST", target.Path, token, body.ToJsonString(), json, false);
            case 13:
                string[] junk = ["", "null", "[]", "\"text\"", "42", "{\"a\":1,\"a\":2}", "\u0000\u0001", "{,}", "{\"x\":\"\\uD800\"}", "<xml/>"];
                return new("junk-body", target.Method, target.Path, token, junk[random.Next(junk.Length)], json, true);
            default:
                string[] methods = ["PUT", "PATCH", "DELETE", "POST"];
                var method = methods[random.Next(methods.Length)];
                return new("wrong-method", method, "/api/v1/countries", token, body.ToJsonString(), json, true);
        }
    }

    /// <summary>A value of another JSON kind than the original (null is never used: some fields may be null).</summary>
    private static JsonNode WrongType(JsonNode? original, Random random)
    {
        JsonNode[] options =
        [
            JsonValue.Create("not-" + random.Next(1000)), JsonValue.Create(random.Next(-5, 5)), JsonValue.Create(true),
            new JsonArray(JsonValue.Create(1)), new JsonObject { ["x"] = 1 },
        ];
        var kind = original?.GetValueKind();
        var pick = options.Where(o => o.GetValueKind() != kind && !(kind is JsonValueKind.True or JsonValueKind.False && o.GetValueKind() == JsonValueKind.True)).ToArray();
        return pick[random.Next(pick.Length)];
    }

    /// <summary>Codes the platform does not know, where codes go: destinations, enums, airports, nationality, returnee ids.</summary>
    private static string UnknownCode(JsonObject body, Random random)
    {
        string[] codes = ["ZZ", "QQ", "aa", "A1", "XXX", "'--", "<b>", "Mars", "SELECT"];
        var code = codes[random.Next(codes.Length)];
        foreach (var name in new[] { "destinations", "destination", "to", "type", "group", "airports", "nationality", "returnees", "legs", "sex" })
        {
            if (body[name] is null)
            {
                continue;
            }
            body[name] = name switch
            {
                "destinations" or "airports" => new JsonArray(JsonValue.Create(code)),
                "returnees" => new JsonArray(JsonValue.Create("rt-" + code)),
                "legs" => new JsonArray(new JsonObject { ["from"] = code, ["to"] = "TIA", ["departure"] = "2030-01-01T00:00:00Z" }),
                "nationality" => JsonValue.Create(code.Length == 2 ? code + "X" : code),
                "sex" => JsonValue.Create(code),
                _ => JsonValue.Create(code + "-unknown"),
            };
            if (name != "sex" || random.Next(2) == 0)
            {
                return body.ToJsonString();
            }
        }
        body["monitor"] = 7;
        return body.ToJsonString();
    }

    private static async Task<Answer> SendAsync(GatewayHost host, Attack attack)
    {
        using var request = new HttpRequestMessage(new HttpMethod(attack.Method), attack.Path);
        if (attack.Token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + attack.Token);
        }
        if (attack.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(attack.Body));
            if (attack.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", attack.ContentType);
            }
        }
        if (attack.WithKey)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }
        return await host.SendAsync(request);
    }


    private static JsonObject Node(object value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web)!.AsObject();

    private static string Truncate(string? text) => text is null ? "" : text.Length > 160 ? text[..160] + "…" : text;
}
