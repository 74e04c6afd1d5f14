using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The gateway refuses what its OpenAPI document says it does not take, from the one source both read: the validation attributes
/// on the request records and on the handlers' parameters (<c>[MaxLength]</c>, <c>[StringLength]</c>, <c>[Range]</c>,
/// <see cref="ItemsMaxLengthAttribute"/>), and for a string parameter that names none, <see cref="MaxIdLength"/> in the path and
/// <see cref="MaxParameterLength"/> in the query (<see cref="OpenApi.RequestLimitSchemas"/> declares the same). A parameter beyond
/// its limit is a malformed request (400); a body field beyond its limit is 422 <c>validation</c>, as the grains answer a value out
/// of range. Either way before the handler runs, so nothing is read, stored or sent. The grains keep their own checks: this is
/// the contract's edge, not the only guard.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest path value: every id (<see cref="ApiConventions.IsId"/>), code and feed secret fits.</summary>
    public const int MaxIdLength = 80;

    /// <summary>The longest query value: a page cursor (<see cref="PageCursor"/>) is the longest the gateway reads.</summary>
    public const int MaxParameterLength = 400;

    /// <summary>A name, reference, category or short reason in a body.</summary>
    public const int MaxName = 200;

    /// <summary>A free text in a body: a description, summary, note or reason given at length.</summary>
    public const int MaxText = 2000;

    /// <summary>A web address in a body (browsers and proxies commonly stop at about 2,000 characters).</summary>
    public const int MaxUrl = 2000;

    /// <summary>How deep a body's records are followed: deeper than any request record nests (an operation's legs are two).</summary>
    private const int MaxDepth = 4;

    /// <summary>An endpoint filter for every API endpoint: the raw path and query values, then the bound parameters and body.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var services = factory.ApplicationServices.GetService<IServiceProviderIsService>();
        bool IsBody(ParameterInfo p) => IsRecord(p.ParameterType) && services?.IsService(p.ParameterType) != true;
        var checks = factory.MethodInfo.GetParameters()
            .Select((p, i) => (Name: p.Name!, Index: i, Body: IsBody(p), Limits: p.GetCustomAttributes<ValidationAttribute>().ToArray()))
            .Where(p => p.Body || p.Limits.Length > 0).ToArray();
        return context =>
        {
            if (RawValueProblem(context.HttpContext.Request) is { } raw)
            {
                throw RequestProblemException.BadRequest(raw);
            }
            foreach (var (name, index, body, limits) in checks)
            {
                var value = context.Arguments[index];
                if (!body)
                {
                    if (limits.FirstOrDefault(a => !a.IsValid(value)) is { } broken)
                    {
                        throw RequestProblemException.BadRequest(broken.FormatErrorMessage(name));
                    }
                    continue;
                }
                var problems = new List<string>();
                if (value is not null)
                {
                    CheckRecord(value, "", problems, 0);
                }
                if (problems.Count > 0)
                {
                    throw new DomainRuleException(RuleCode.Validation, string.Join(" ", problems));
                }
            }
            return next(context);
        };
    }

    /// <summary>The limit a string parameter without an attribute of its own gets, by where it is sent.</summary>
    public static int DefaultMaxLength(bool inPath) => inPath ? MaxIdLength : MaxParameterLength;

    /// <summary>
    /// Every path and query value within the default limits, whatever it binds to (a date or a number too): a parameter with an
    /// attribute of its own is tighter still, and no parameter is looser.
    /// </summary>
    private static string? RawValueProblem(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && text.Length > MaxIdLength)
            {
                return $"The path's {name} is at most {MaxIdLength} characters.";
            }
        }
        foreach (var (name, values) in request.Query)
        {
            if (values.Any(v => v?.Length > MaxParameterLength))
            {
                return $"The query's {name} is at most {MaxParameterLength} characters.";
            }
        }
        return null;
    }

    /// <summary>A request record (a record that is no service: the framework reads it from the JSON body), or one inside it.</summary>
    private static bool IsRecord(Type type) => type.IsClass && type.GetMethod("<Clone>$") is not null;

    /// <summary>Every property's attributes, then the records and lists of records inside, each problem named by its JSON path.</summary>
    private static void CheckRecord(object value, string path, List<string> problems, int depth)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            var inner = property.GetValue(value);
            var name = path + JsonName(property.Name);
            problems.AddRange(property.GetCustomAttributes<ValidationAttribute>(inherit: true).Where(a => !a.IsValid(inner)).Select(a => a.FormatErrorMessage(name)));
            if (depth >= MaxDepth)
            {
                continue;
            }
            if (inner is not null && IsRecord(inner.GetType()))
            {
                CheckRecord(inner, name + ".", problems, depth + 1);
            }
            else if (inner is IEnumerable items and not string)
            {
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not null && IsRecord(item.GetType()))
                    {
                        CheckRecord(item, $"{name}[{i}].", problems, depth + 1);
                    }
                    i++;
                }
            }
        }
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>
/// Every string in a list has at most <see cref="Length"/> characters (DataAnnotations bound a list's count, not its items).
/// <see cref="RequestLimits"/> enforces it and the OpenAPI document declares it as the items' <c>maxLength</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ItemsMaxLengthAttribute(int length) : ValidationAttribute($"{{0}} has items of at most {length} characters")
{
    public int Length { get; } = length;

    public override bool IsValid(object? value) => value is not IEnumerable items || items.OfType<string>().All(s => s.Length <= Length);
}
