using System.Text.Json.Serialization;

namespace ReturnOps.Runtime.Tests.Grains;

[JsonSerializable(typeof(CounterState))]
[JsonSerializable(typeof(LedgerState))]
[JsonSerializable(typeof(AlarmState))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
