using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReturnOps.Client;

/// <summary>The generated client's JSON settings, completed with what the contract needs and the generator leaves out.</summary>
public partial class ReturnOpsApi
{
    /// <summary>The options every answer and request of the client is read and written with (the event stream's views too).</summary>
    internal static JsonSerializerOptions Json { get; } = Configure(new JsonSerializerOptions());

    // Enums are strings on the wire (api.md: "Joint", "Confirmed"); the generated enums carry no converter of their own.
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => Configure(settings);

    private static JsonSerializerOptions Configure(JsonSerializerOptions settings)
    {
        settings.Converters.Add(new JsonStringEnumConverter());
        return settings;
    }
}
