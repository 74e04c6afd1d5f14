using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Grains.Countries;

namespace ReturnOps.Gateway.Countries;

public sealed record CountryResource(string Code, string Name, CountryGroup Group, IReadOnlyList<string> Airports, string? Authority, string? Endpoint);

/// <summary>Body of <c>PUT /countries/{code}</c>.</summary>
public sealed record CountryInput(
    [property: MaxLength(RequestLimits.MaxName)] string Name,
    CountryGroup Group,
    [property: MaxLength(CountryInput.MaxAirports), ItemsMaxLength(3)] IReadOnlyList<string> Airports,
    [property: MaxLength(RequestLimits.MaxName)] string? Authority = null,
    [property: MaxLength(RequestLimits.MaxUrl)] string? Endpoint = null)
{
    /// <summary>More departure airports than any participant has.</summary>
    public const int MaxAirports = 50;
}

/// <summary>The participants and destinations: data, not code, so an admin adds one at run time.</summary>
public static class CountriesApi
{
    public static IEndpointRouteBuilder MapCountriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/countries", "Countries");
        group.MapGet("/", ListAsync).WithSummary("List participants and destinations")
            .WithDescription("Every signed-in role but a reintegration provider. Each country's ISO 3166 alpha-2 code, name, group, departure " +
                "airports, authority and endpoint: the codes operations, agreements and bookings refer to.");
        group.MapPut("/{code}", PutAsync).RequireAuthorization(Policies.Admin).WithSummary("Create or update a country")
            .WithDescription("Admin only. Stores the country under its code, replacing what was there (a malformed code is 400): countries are " +
                "data, so a new destination needs no release.")
            .ProducesETag();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<CountryResource>>> ListAsync(IGrainFactory grains)
    {
        var countries = await grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List();
        return TypedResults.Ok<IReadOnlyList<CountryResource>>([.. countries.Select(ToResource)]);
    }

    private static async Task<Ok<CountryResource>> PutAsync(string code, CountryInput input, IGrainFactory grains, HttpResponse response)
    {
        ApiConventions.CountryCode(code);
        var stored = await grains.GetGrain<ICountryGrain>(code).Put(new Country(code, input.Name, input.Group, input.Airports, input.Authority, input.Endpoint));
        var resource = ToResource(stored);
        response.Headers.ETag = ETags.FromContent(resource);
        return TypedResults.Ok(resource);
    }

    private static CountryResource ToResource(Country c) => new(c.Code, c.Name, c.Group, c.Airports, c.Authority, c.Endpoint);
}
