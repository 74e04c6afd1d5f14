using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReturnOps.Client.Events;

/// <summary>
/// Reads <c>GET /api/v1/operations/{id}/events</c>: an <c>operation</c> event carrying the operation's view when the stream
/// opens and after each change, its event id the operation's version. The gateway ends a stream when the caller's token
/// expires; the reader then opens a new one (the client's token source gives a fresh token) and leaves out a view it has
/// already passed on, so the caller sees each version once, in order, for as long as it reads.
/// </summary>
internal static class OperationEvents
{
    public static async IAsyncEnumerable<OperationView> ReadAsync(HttpClient http, string operationId, TimeSpan reconnectDelay,
        TimeProvider clock, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? lastId = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/operations/{Uri.EscapeDataString(operationId)}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastId);
            }
            // A refusal (403, 404) ends the reading with the problem; a dropped connection only ends this stream.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var parser = SseParser.Create(stream);
            var views = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (await NextAsync(views))
                {
                    var item = views.Current;
                    if (item.EventType != "operation" || (parser.LastEventId is { Length: > 0 } id && id == lastId))
                    {
                        continue;
                    }
                    lastId = parser.LastEventId;
                    if (JsonSerializer.Deserialize<OperationView>(item.Data, ReturnOpsApi.Json) is { } view)
                    {
                        yield return view;
                    }
                }
            }
            finally
            {
                await views.DisposeAsync();
            }
            await Task.Delay(reconnectDelay, clock, cancellationToken);
        }
    }

    /// <summary>The next event, or false when the stream ended (the token's expiry) or the connection broke.</summary>
    private static async Task<bool> NextAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return false;
        }
    }
}
