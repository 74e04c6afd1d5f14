using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Complaints;

/// <summary>
/// Rule 24, a complaints channel people can find: anyone may complain to the fundamental-rights officer without an account and
/// follow the status with the tracking code the form answers with; only the officer reads, answers, forwards, closes and erases.
/// </summary>
public static class ComplaintsApi
{
    public const string TrackingPath = "/complaint-tracking";

    public static IEndpointRouteBuilder MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        var complaints = app.MapApiGroup("/complaints", "Complaints");
        complaints.MapPost("/", SubmitAsync).AllowAnonymous().WithMetadata(new PublicComplaintFormAttribute(), new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ComplaintLimits.MaxBodyBytes))
            .WithSummary("Complain to the fundamental-rights officer about a return operation (no account needed)")
            .WithDescription("Open to anyone: the person returned, a representative, or a witness. `language` is one of en, fr, ar, sq, sr, ur; " +
                "`happenedOn` not in the future; `operationId` (as the complainant knows it) and `contact` are optional. Answers 201 with a " +
                "tracking code shown only this once, which shows the complaint's status and nothing more. Limited per client address and " +
                "for everyone together (429 beyond, with Retry-After); the body is at most 56 kB (413). Needs no Idempotency-Key: a retry is a second complaint.");
        app.MapApiGroup(TrackingPath, "Complaints").MapGet("/{trackingCode}", TrackAsync).AllowAnonymous()
            .WithSummary("The status of a complaint, by its tracking code (no account needed)")
            .WithDescription("Only the status (Received, Answered, Forwarded, Closed); an unknown code is 404. Dashes, spaces and case in the code do not matter.");

        var officer = complaints.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Fro));
        officer.MapGet("/", ListAsync).Audited("complaint.list")
            .WithSummary("Complaints received through the public channel, newest first")
            .WithDescription("The fundamental-rights officer only. `status` narrows the list; at most `limit` (1-500, default 100).");
        officer.MapGet("/{id}", GetAsync).Audited("complaint.read").WithSummary("One complaint")
            .WithDescription("The fundamental-rights officer only. The complainant's text comes back as written: show it as text, never as markup.");
        officer.MapPost("/{id}/answer", AnswerAsync).Audited("complaint.answer").WithSummary("Record the officer's answer to a complaint")
            .WithDescription("The fundamental-rights officer only; an open complaint (409 once closed). The status becomes Answered.");
        officer.MapPost("/{id}/forward", ForwardAsync).Audited("complaint.forward").WithSummary("Forward a complaint to the member state concerned")
            .WithDescription("The fundamental-rights officer only; `country` is a participating state (not a third country). The status becomes Forwarded.");
        officer.MapPost("/{id}/close", CloseAsync).Audited("complaint.close").WithSummary("Close a complaint, with the reason")
            .WithDescription("The fundamental-rights officer only. Its personal data is erased after the retention period (Complaints:RetentionDays).");
        officer.MapDelete("/{id}", EraseAsync).Audited("complaint.erase").WithSummary("Erase a complaint's personal data now")
            .WithDescription("The fundamental-rights officer only. The text, contact, answer and reason go; the status, dates, language and kind of complainant stay for counting. Closes the complaint.");
        return app;
    }

    private static async Task<Created<ComplaintReceipt>> SubmitAsync(ComplaintSubmission form, ComplaintStore store,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ComplaintLanguages.All.Contains(form.Language, StringComparer.Ordinal))
        {
            throw new DomainRuleException(RuleCode.Validation, $"language must be one of {string.Join(", ", ComplaintLanguages.All)}.");
        }
        if (string.IsNullOrWhiteSpace(form.WhatHappened))
        {
            throw new DomainRuleException(RuleCode.Validation, "whatHappened must say what happened.");
        }
        if (form.HappenedOn > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1))
        {
            // A day's grace: the complainant's today may be UTC's tomorrow.
            throw new DomainRuleException(RuleCode.Validation, "happenedOn cannot be in the future.");
        }
        var receipt = await store.SubmitAsync(form, cancellationToken);
        // No Location: the address would carry the code into logs and proxies; the code is in the body, shown this once.
        return TypedResults.Created((string?)null, receipt);
    }

    private static async Task<Ok<ComplaintTracking>> TrackAsync(string trackingCode, HttpContext http, ComplaintStore store, CancellationToken cancellationToken)
    {
        // The code is the credential: no cache on the way may keep the answer.
        http.Response.Headers.CacheControl = "no-store";
        var status = await store.StatusAsync(trackingCode, cancellationToken) ?? throw new ResourceNotFoundException();
        return TypedResults.Ok(new ComplaintTracking(status));
    }

    private static async Task<Ok<IReadOnlyList<ComplaintView>>> ListAsync(ComplaintStore store, CancellationToken cancellationToken,
        [MaxLength(20)] string? status = null, [Range(1, 500)] int limit = 100) =>
        TypedResults.Ok(await store.ListAsync(ApiConventions.EnumOrNull<ComplaintStatus>(status, "status"), limit, cancellationToken));

    private static async Task<Ok<ComplaintView>> GetAsync(string id, ComplaintStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetAsync(id, cancellationToken));

    private static async Task<Ok<ComplaintView>> AnswerAsync(string id, ComplaintAnswer answer, ComplaintStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.AnswerAsync(id, answer, cancellationToken));

    private static async Task<Ok<ComplaintView>> ForwardAsync(string id, ComplaintForward forward, ComplaintStore store, IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        var countries = await grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List();
        if (!countries.Any(c => c.Code == forward.Country && c.Group != CountryGroup.ThirdCountry))
        {
            throw new DomainRuleException(RuleCode.Validation, "country must be a participating state's ISO 3166 alpha-2 code.");
        }
        return TypedResults.Ok(await store.ForwardAsync(id, forward.Country, cancellationToken));
    }

    private static async Task<Ok<ComplaintView>> CloseAsync(string id, ComplaintClosing closing, ComplaintStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.CloseAsync(id, closing, cancellationToken));

    private static async Task<NoContent> EraseAsync(string id, ComplaintStore store, CancellationToken cancellationToken)
    {
        await store.EraseAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }
}
