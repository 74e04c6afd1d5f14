using ReturnOps.Runtime;
using ReturnOps.Silo.Hosting;

// A worker replica: `Storage__Provider=Postgres Storage__ConnectionString=... dotnet run --project src/Silo -- --urls http://127.0.0.1:5191`.
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
var runtime = app.Services.GetRequiredService<GrainRuntime>();
foreach (var url in app.Urls)
{
    Console.WriteLine($"ReturnOps silo worker {runtime.Options.SiloName} on {url} (dispatcher: {(silo.Dispatcher ? "on" : "off")}, " +
        $"reminders: {(silo.Reminders ? "on" : "off")}); health: /health/ready · metrics: /metrics");
}
await app.WaitForShutdownAsync();
return 0;
