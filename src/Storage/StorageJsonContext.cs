using System.Text.Json.Serialization;

namespace ReturnOps.Storage;

/// <summary>A state change on the wire between replicas; short names keep many in one NOTIFY.</summary>
internal sealed record StateChangeNotice(string T, string K, long V, string O);

[JsonSerializable(typeof(StateChangeNotice[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
