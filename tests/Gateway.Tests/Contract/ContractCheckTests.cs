using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Contract;

/// <summary>The contract check itself: answers that break the document are caught, and the message says where and how.</summary>
public sealed class ContractCheckTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static async Task<OpenApiContract> ContractAsync(GatewayHost host) =>
        OpenApiContract.Parse((await host.GetAsync(ContractCheckingHandler.DocumentPath, null)).Body);

    private static IReadOnlyList<string> Check(OpenApiContract contract, string method, string path, HttpStatusCode status, string? body,
        string mediaType = "application/problem+json", params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body ?? "", Encoding.UTF8) };
        response.Content.Headers.ContentType = body is null ? null : new MediaTypeHeaderValue(mediaType);
        // The quota fields every answer of a rate-limited operation carries (RateLimitHeaders).
        response.Headers.TryAddWithoutValidation("RateLimit-Policy", "\"caller\";q=300;w=10");
        response.Headers.TryAddWithoutValidation("RateLimit", "\"caller\";r=299");
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return contract.Check(method, path, (int)status, response.Headers, response.Content.Headers, body);
    }

    [Fact]
    public async Task Answers_that_break_the_document_are_named_by_operation_status_and_fault()
    {
        var host = await StartAsync();
        var contract = await ContractAsync(host);
        const string problem = "{\"type\":\"urn:returnops:problem:capacity\",\"title\":\"Unprocessable content\",\"status\":422,\"detail\":\"Full.\",\"rule\":\"capacity\"}";

        Assert.Empty(Check(contract, "POST", "/api/v1/operations/op-1/bookings", HttpStatusCode.UnprocessableEntity, problem));

        var extraMember = Check(contract, "POST", "/api/v1/operations/op-1/bookings", HttpStatusCode.UnprocessableEntity, problem.Replace("}", ",\"stack\":\"at X\"}", StringComparison.Ordinal));
        Assert.Contains(extraMember, v => v.StartsWith("POST /api/v1/operations/{id}/bookings (bookingsBook) answered 422: body:", StringComparison.Ordinal) && v.Contains("stack", StringComparison.Ordinal));

        var undeclared = Check(contract, "GET", "/api/v1/countries", HttpStatusCode.PaymentRequired, problem.Replace("422", "402", StringComparison.Ordinal));
        Assert.Contains(undeclared, v => v.StartsWith("GET /api/v1/countries (countriesList) answered 402: the status is not declared", StringComparison.Ordinal));

        var noRetryAfter = Check(contract, "GET", "/api/v1/countries", HttpStatusCode.TooManyRequests, problem.Replace("422", "429", StringComparison.Ordinal));
        Assert.Contains(noRetryAfter, v => v.Contains("header Retry-After is declared required but was not sent", StringComparison.Ordinal));

        var strayETag = Check(contract, "GET", "/api/v1/operations/op-1/bookings", HttpStatusCode.OK, "{\"items\":[]}", "application/json", ("ETag", "\"1\""));
        Assert.Contains(strayETag, v => v.Contains("header ETag: \"1\" is sent but not declared", StringComparison.Ordinal));

        var wrongMedia = Check(contract, "GET", "/api/v1/operations/op-1", HttpStatusCode.NotFound, "not found", "text/plain");
        Assert.Contains(wrongMedia, v => v.Contains("media type text/plain is not declared", StringComparison.Ordinal));

        var wrongShape = Check(contract, "GET", "/api/v1/countries", HttpStatusCode.OK, "[{\"code\":1}]", "application/json");
        Assert.Contains(wrongShape, v => v.StartsWith("GET /api/v1/countries (countriesList) answered 200: body: at '/0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_violating_answer_fails_the_request_that_received_it()
    {
        var host = await StartAsync();
        var contract = await ContractAsync(host);
        // The most literal template wins: /overdue is an operation of its own, not /{id}.
        Assert.Equal("/api/v1/readmission-requests/overdue", contract.Find("GET", "/api/v1/readmission-requests/overdue").Template);
        Assert.Null(contract.Find("PUT", "/api/v1/operations").Operation);
        // A route outside the document is held to a problem answer only where the API lives.
        Assert.Empty(Check(contract, "GET", "/index.html", HttpStatusCode.OK, "<html></html>", "text/html"));
        Assert.NotEmpty(Check(contract, "GET", "/api/v1/secret-admin", HttpStatusCode.OK, "{}", "application/json"));
    }
}
