using ReturnOps.RowLockingBaseline;

// Standalone: dotnet run -c Release --project bench/RowLockingBaseline -- "<Npgsql connection string>" <signing key> [url]
// The booking-rush driver (bench/BookingRush) hosts the same app in its own process instead.
if (args.Length < 2)
{
    Console.Error.WriteLine("Usage: RowLockingBaseline <connection string> <signing key> [url]");
    return 2;
}
var app = BaselineApp.Build(args[0], args[1], args.Length > 2 ? args[2] : "http://127.0.0.1:5080");
await BaselineSchema.CreateAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>());
await app.RunAsync();
return 0;
