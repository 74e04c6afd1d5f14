using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The gateway's one serializer setup, strict on input: unknown members, duplicate members, numbers in
/// strings, integer enum values and missing required values are all malformed bodies (400); a decimal that cannot be held
/// exactly is refused (422, <see cref="ExactDecimalConverter"/>).
/// </summary>
public static class GatewayJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = 32;
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.Converters.Add(new ExactDecimalConverter());
    }

    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
