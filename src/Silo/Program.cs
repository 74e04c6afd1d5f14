using ReturnOps.Silo.Hosting;

// A silo replica: `Storage__Provider=Postgres Storage__ConnectionString=... Cluster__Membership=AdoNet dotnet run --project src/Silo -- --urls http://127.0.0.1:5191`.
WebApplication app;
try
{
    app = SiloWorker.Build(args);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
await app.StartAsync();
var silo = app.Services.GetRequiredService<SiloOptions>();
var cluster = app.Services.GetRequiredService<ClusterSettings>();
foreach (var url in app.Urls)
{
    Console.WriteLine($"ReturnOps silo {silo.ReplicaName} on {url} (silo port {cluster.SiloPort}, gateway port {cluster.GatewayPort}, " +
        $"dispatcher: {(silo.Dispatcher ? "on" : "off")}); health: /health/ready · metrics: /metrics");
}
await app.WaitForShutdownAsync();
return 0;
