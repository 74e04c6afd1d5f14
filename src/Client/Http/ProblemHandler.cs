using System.Text.Json;
using Json = System.Text.Json.JsonElement;
using ReturnOps.Client.Problems;

namespace ReturnOps.Client.Http;

/// <summary>
/// Turns a problem answer into <see cref="ReturnOpsProblemException"/> once the retries are spent, so every refusal reaches
/// the caller the same way, with its rule code, whatever the operation.
/// </summary>
internal sealed class ProblemHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return response;
        }
        using (response)
        {
            throw await ReadAsync(response, cancellationToken);
        }
    }

    private static async Task<ReturnOpsProblemException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        try
        {
            // As bytes: the retry handler may have read (and buffered) the body already.
            using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            var problem = body.RootElement;
            return new ReturnOpsProblemException(
                response.StatusCode,
                Text(problem, "type") ?? "about:blank",
                Text(problem, "title") ?? response.ReasonPhrase ?? response.StatusCode.ToString(),
                Text(problem, "detail"),
                Text(problem, "rule"),
                problem.TryGetProperty("violations", out var list) && list.ValueKind == JsonValueKind.Array
                    ? [.. list.EnumerateArray().Select(v => new RuleViolation { Rule = Text(v, "rule") ?? "", Detail = Text(v, "detail") ?? "" })]
                    : [],
                retryAfter);
        }
        catch (JsonException)
        {
            return new ReturnOpsProblemException(response.StatusCode, "about:blank", response.ReasonPhrase ?? response.StatusCode.ToString(),
                "The gateway's problem document could not be read.", null, [], retryAfter);
        }
    }

    private static string? Text(Json element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
