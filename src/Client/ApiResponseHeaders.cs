namespace ReturnOps.Client;

/// <summary>What the generated answers carry in their headers, by name.</summary>
public static class ApiResponseHeaders
{
    /// <summary>
    /// The answer's <c>ETag</c>: give it back as <c>if_Match</c> to change the resource only if nobody changed it since it
    /// was read (412 otherwise). Null when the answer has none.
    /// </summary>
    public static string? ETag(this ApiResponse response) => response.Header("ETag");

    /// <summary>The answer's <c>Location</c> (a created resource).</summary>
    public static string? Location(this ApiResponse response) => response.Header("Location");

    /// <summary>True when the gateway answered a repeated POST from its record (the first attempt had been applied).</summary>
    public static bool Replayed(this ApiResponse response) =>
        string.Equals(response.Header("Idempotent-Replayed"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Header(this ApiResponse response, string name) =>
        response.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
