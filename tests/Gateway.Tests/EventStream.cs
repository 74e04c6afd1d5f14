namespace ReturnOps.Gateway.Tests;

/// <summary>Reads server-sent events one at a time, failing with a message after a bound instead of hanging.</summary>
public static class EventStream
{
    public static async Task<string> ReadEventAsync(StreamReader reader)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15))
                ?? throw new EndOfStreamException("The event stream ended while an event was awaited.");
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    return string.Join("\n", lines);
                }
                continue;
            }
            lines.Add(line);
        }
    }
}
