using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;

if (args.Length > 0 && args[0] == "token")
{
    return TokenCommand.Run(args[1..]);
}

var app = GatewayApp.Build(args);
await app.StartAsync();
foreach (var url in app.Urls)
{
    Console.WriteLine($"ReturnOps gateway listening on {url} (storage: {app.Configuration["Storage:Provider"] ?? "Sqlite"}).");
}
if (app.Environment.IsDevelopment())
{
    Console.WriteLine("Get a token: dotnet run --project src/Gateway -v q -- token --role coordinator --country AT");
}
Console.WriteLine("OpenAPI: /openapi/v1.json · health: /health/ready · metrics: /metrics");
await app.WaitForShutdownAsync();
return 0;
