using System.Net;
using System.Text.Json;

namespace ReturnOps.Gateway.Tests;

/// <summary>Reads a keyset-paged list whole, the way a client does: following <c>nextAfter</c> as <c>after</c>.</summary>
internal static class ListPages
{
    /// <summary>Follows <c>nextAfter</c> from <paramref name="path"/> to the end; every page must be 200.</summary>
    public static async Task<List<JsonElement>> AllAsync(GatewayHost host, string path, string token, Func<Task>? betweenPages = null)
    {
        var items = new List<JsonElement>();
        string? after = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var answer = await host.GetAsync(after is null ? path : $"{path}{separator}after={Uri.EscapeDataString(after)}", token);
            Assert.True(answer.Status == HttpStatusCode.OK, $"page {pages + 1} of {path}: {answer}");
            items.AddRange(answer.Json.GetProperty("items").EnumerateArray());
            var next = answer.Json.GetProperty("nextAfter");
            if (next.ValueKind == JsonValueKind.Null)
            {
                return items;
            }
            after = next.GetString();
            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }
        throw new InvalidOperationException($"{path} did not end within 1000 pages.");
    }

}
