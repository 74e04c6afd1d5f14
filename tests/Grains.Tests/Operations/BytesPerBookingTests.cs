using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReturnOps.Grains.Operations;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Operations;

/// <summary>
/// Issue 13: what one booking writes must not grow with the operation. The probe counts the parameters of the operation
/// grain's writes while one booking is made on an operation holding 29, then 599 bookings (the 30th and the 600th).
/// </summary>
public sealed class BytesPerBookingTests(SharedPostgres postgres, ITestOutputHelper output) : DomainTestBase(postgres)
{
    private const string OperationType = "return-operation";
    private static readonly string[] Countries = [.. Enumerable.Range(0, 20).Select(i => $"{(char)('A' + i)}Y")];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_600th_booking_writes_about_what_the_30th_writes(string provider)
    {
        ProbedStorage? probe = null;
        await StartAsync(provider, configure: silo => silo.Services.AddSingleton<IStorageProvider>(services =>
            probe = new ProbedStorage(Storage.CreateProvider("probed-" + Guid.NewGuid().ToString("N"), services.GetRequiredService<ILoggerFactory>()))));
        var operation = await AnnouncedAsync(Plan(capacity: BookingLimits.MaxSeatCapacity));
        var returnees = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            returnees.Add(await Returnee(Countries[i % Countries.Length], c => c with { Voluntary = true }));
        }

        var bytes = new Dictionary<int, long>();
        for (var i = 0; i < 600; i++)
        {
            var before = probe!.Written(OperationType).Bytes;
            await Book(operation, Countries[i % Countries.Length], $"b-{i + 1}", [returnees[i]], escorts: 0);
            bytes[i + 1] = probe.Written(OperationType).Bytes - before;
        }

        output.WriteLine($"{provider}: booking 30 wrote {bytes[30]:N0} bytes, booking 600 wrote {bytes[600]:N0} bytes");
        Assert.True(bytes[600] < bytes[30] * 3 / 2, $"booking 600 wrote {bytes[600]} bytes, booking 30 wrote {bytes[30]}: the write grows with the operation");
    }
}
