using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace ReturnOps.RowLockingBaseline;

/// <summary>
/// The baseline service: an ASP.NET Core minimal API over PostgreSQL that accepts the gateway's tokens (same issuer,
/// audience and key) and books in one row-locking transaction. No grains, no cache, no outbox dispatcher.
/// </summary>
public static class BaselineApp
{
    public static WebApplication Build(string connectionString, string signingKey, string url)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error).SetMinimumLevel(LogLevel.Error);
        // Made by the container, so that stopping the app closes the pool's connections.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RowLockingBookings>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = "returnops",
                ValidAudience = "returnops",
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RequireExpirationTime = true,
                NameClaimType = "sub",
                RoleClaimType = "role",
            };
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy("coordinator", p => p.RequireRole("coordinator").RequireClaim("country"));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/operations/{id}/bookings", BookAsync).RequireAuthorization("coordinator");
        app.MapDelete("/operations/{id}/bookings/{bookingId:long}", CancelAsync).RequireAuthorization("coordinator");
        return app;
    }

    private static async Task<Results<Created<BookingAnswer>, NotFound, ProblemHttpResult, BadRequest<string>>> BookAsync(
        string id, BookingInput input, HttpContext http, RowLockingBookings bookings)
    {
        if (http.Request.Headers["Idempotency-Key"].ToString() is not { Length: > 0 and <= 200 } key)
        {
            return TypedResults.BadRequest("An Idempotency-Key header is required.");
        }
        var country = http.User.FindFirst("country")!.Value;
        var outcome = await bookings.BookAsync(id, country, http.User.Identity?.Name ?? "", key, input);
        return outcome switch
        {
            BookingOutcome.Booked booked => TypedResults.Created($"/operations/{id}/bookings/{booked.Booking.Id}", booked.Booking),
            BookingOutcome.Refused refused => TypedResults.Problem(refused.Detail, statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["rule"] = refused.Rule }),
            _ => TypedResults.NotFound(),
        };
    }

    /// <summary>The gateway's <c>DELETE /operations/{id}/bookings/{bookingId}</c>: 204, 404 for another country's or unknown booking, 409 once closed.</summary>
    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> CancelAsync(string id, long bookingId, HttpContext http, RowLockingBookings bookings)
    {
        var country = http.User.FindFirst("country")!.Value;
        return await bookings.CancelAsync(id, bookingId, country, http.User.Identity?.Name ?? "") switch
        {
            CancelOutcome.Cancelled => TypedResults.NoContent(),
            CancelOutcome.Closed => TypedResults.Problem("The operation does not take changes to bookings now.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["rule"] = "invalid-transition" }),
            _ => TypedResults.NotFound(),
        };
    }
}
