using ReturnOps.PartnerSimulator;

// By hand: dotnet run --project tests/PartnerSimulator -- --urls http://127.0.0.1:5099 --secret <at least 32 characters>
var secretIndex = Array.IndexOf(args, "--secret");
if (secretIndex < 0 || secretIndex + 1 >= args.Length)
{
    Console.Error.WriteLine("usage: PartnerSimulator --secret <secret> [--urls http://127.0.0.1:5099]");
    return 2;
}
await using var partner = await Partner.StartAsync(args[secretIndex + 1], TimeProvider.System, args);
Console.WriteLine($"Partner simulator listening: webhooks at {partner.Url}; POST /control/behaviour/{{Ok|Fail|Hang|Slow|LostAck}}, GET /control/received. Ctrl+C stops.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
return 0;
