using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Hosting.OpenApi;

/// <summary>
/// The document's shared parts: its description, the credentials it names, the problem schema and the response headers
/// every operation refers to, and what each tag covers.
/// </summary>
public sealed class GatewayDocument : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string MetricsToken = "metricsToken";

    private static readonly Dictionary<string, string> s_tags = new(StringComparer.Ordinal)
    {
        ["Health"] = "Probes and the Prometheus scrape; no user token.",
        ["Countries"] = "Participants and destinations.",
        ["Agreements"] = "Readmission and identification clocks per destination: agreements and practical arrangements.",
        ["Returnees"] = "Cases, visible only to the owning country's coordinators.",
        ["Readmission requests"] = "Requests to destinations and their replies.",
        ["Identification requests"] = "Identity, nationality and travel documents from destinations (rule 17).",
        ["Operations"] = "Return operations, their bookings, manifests, oversight and event streams.",
        ["Statistics"] = "Counts for the secretariat.",
        ["Notifications"] = "The caller's own feed of notices.",
        ["Subscriptions"] = "Webhooks of member-state and partner systems.",
        ["Deliveries"] = "Outbound messages, dead letters and replay.",
        ["Audit"] = "The tamper-evident access log.",
        ["Bookings"] = "A member state's bookings across operations, for its own planning.",
        ["Costs"] = "An operation's costs, co-financing and the cost statement (CSV for spreadsheets).",
        ["Reintegration"] = "Consent, referrals to reintegration providers in the country of return, their steps and the providers.",
        ["Calendars"] = "Operations as iCalendar feeds, read with a per-caller secret in the address.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "ReturnOps gateway";
        document.Info.Description = "The Joint Coordination Platform's API for member-state and partner systems. Errors are RFC 9457 problem documents.";
        // The framework names the requested base address with a trailing slash; paths start with one (linters: an error).
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        var components = document.Components ??= new OpenApiComponents();
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "HS256 JWT, issuer and audience returnops; claims sub, role and country; at most 12 hours. Validated as RFC8725 "
                + "(JSON Web Token Best Current Practices) asks: only the configured algorithms (HS256, and a trusted issuer's when one is configured; never `none`), "
                + "issuer, audience and lifetime checked, numeric `exp` required, unknown `crit` extensions refused.",
        };
        components.SecuritySchemes[MetricsToken] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The scraper's token (Gateway:MetricsToken), not a JWT. Without one configured, /metrics answers loopback callers only.",
        };
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        components.Schemas[ProblemSchema.Id] = ProblemSchema.Create(document);
        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, header) in ResponseHeaders.Components)
        {
            components.Headers[name] = header;
        }
        document.Tags = new HashSet<OpenApiTag>(
            (document.Tags ?? new HashSet<OpenApiTag>()).Select(t => new OpenApiTag { Name = t.Name, Description = t.Name is { } name && s_tags.TryGetValue(name, out var d) ? d : t.Description }));
        return Task.CompletedTask;
    }
}
