using System.Globalization;
using System.Text.Json;

namespace ReturnOps.Gateway.Problems;

/// <summary>Writes problem documents: from the exception middleware, status code pages and the rate limiter.</summary>
public static class ProblemWriter
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static async Task WriteAsync(HttpContext context, Problem problem)
    {
        var response = context.Response;
        response.StatusCode = problem.Status;
        response.ContentType = Problem.ContentType;
        if (problem.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        await JsonSerializer.SerializeAsync(response.Body, problem, s_json, context.RequestAborted);
    }

    public static byte[] Serialize(Problem problem) => JsonSerializer.SerializeToUtf8Bytes(problem, s_json);
}
