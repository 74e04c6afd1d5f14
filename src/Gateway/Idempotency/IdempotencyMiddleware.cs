using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Idempotency;

/// <summary>
/// Every POST carries an <c>Idempotency-Key</c>. The first request with a key acts and its response is
/// stored; a duplicate with the same body gets that response again (<c>Idempotent-Replayed: true</c>),
/// waiting for it if the first is still running; the same key with another body is refused (422).
/// Runs after authorization, so keys are per authenticated caller (role, country and sub) and refused requests store nothing.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, IdempotencyLeases leases,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock, IOptions<GatewayOptions> options)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);

    public async Task InvokeAsync(HttpContext context)
    {
        // Only a POST to an API endpoint that takes POSTs: a POST to a route of other methods is answered 405, not asked for a
        // key, and the pages' sign-out is a browser's form post, not an API call.
        if (!HttpMethods.IsPost(context.Request.Method) || context.User.Identity?.IsAuthenticated != true
            || !context.Request.Path.StartsWithSegments(Hosting.ApiConventions.BasePath)
            || context.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) != true)
        {
            await next(context);
            return;
        }
        var key = context.Request.Headers[KeyHeader].ToString();
        if (key.Length is 0 or > 200 || !key.All(c => c is > ' ' and <= '~'))
        {
            throw RequestProblemException.BadRequest("POST requests need an Idempotency-Key header of 1 to 200 visible ASCII characters.");
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentInGrainAttribute>() is not null)
        {
            // The grain keeps this endpoint's keys with what they decided, in the same commit: no lease, no stored answer here.
            await next(context);
            return;
        }
        // The full identity, not sub alone: a caller of another role or country with the same sub has keys of its own.
        var caller = context.User.IdentityKey();
        var hash = await RequestHashAsync(context);
        var waitUntil = clock.GetUtcNow() + TimeSpan.FromSeconds(options.Value.IdempotencyWaitSeconds);
        while (true)
        {
            var state = await store.BeginAsync(caller, key, hash, context.RequestAborted);
            if (state is KeyState.Owned)
            {
                await ActAsync(context, caller, key);
                return;
            }
            var storedHash = state switch
            {
                KeyState.Completed c => c.RequestHash,
                KeyState.InProgress p => p.RequestHash,
                _ => hash,
            };
            if (storedHash != hash)
            {
                throw new DomainRuleException(RuleCode.IdempotencyKeyReuse, "This Idempotency-Key was used for a different request.");
            }
            if (state is KeyState.Completed completed)
            {
                await ReplayAsync(context, completed.Response);
                return;
            }
            var pending = (KeyState.InProgress)state;
            // Its owner renews the lease while it runs: an expired one means the owner's gateway died (or stalled for longer
            // than the expiry), and this request acts in its place.
            if (pending.ClaimedMs > 0 && leases.Expired(pending.ClaimedMs)
                && await store.TakeOverAsync(caller, key, pending.ClaimedMs, context.RequestAborted))
            {
                await ActAsync(context, caller, key);
                return;
            }
            if (clock.GetUtcNow() > waitUntil)
            {
                throw new RequestProblemException(StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still in progress; retry later.");
            }
            // The first request progresses in real time whatever clock the domain runs on: poll on the wall clock.
            await Task.Delay(s_poll, TimeProvider.System, context.RequestAborted);
        }
    }

    /// <summary>Runs the request into a buffer, keeps its answer (a client error is an answer too), then sends it.</summary>
    private async Task ActAsync(HttpContext context, string caller, string key)
    {
        // Renewed until the key is answered or abandoned, so no other gateway takes it over while this request runs.
        using var held = leases.Hold(caller, key);
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            try
            {
                await next(context);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var problem = ProblemMapper.ForException(exception);
                if (problem.Status >= 500)
                {
                    throw;
                }
                context.Response.Clear();
                await ProblemWriter.WriteAsync(context, problem);
            }
            var response = context.Response;
            if (response.StatusCode >= 500)
            {
                await store.AbandonAsync(caller, key, CancellationToken.None);
            }
            else
            {
                await store.CompleteAsync(caller, key, new StoredResponse(response.StatusCode, response.ContentType,
                    response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                    response.Headers.ETag.ToString() is { Length: > 0 } e ? e : null,
                    Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)), CancellationToken.None);
            }
        }
        catch
        {
            await AbandonQuietlyAsync(caller, key);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task AbandonQuietlyAsync(string caller, string key)
    {
        try
        {
            await store.AbandonAsync(caller, key, CancellationToken.None);
        }
        catch (ReturnOps.Storage.StorageUnavailableException)
        {
            // The key stays pending; a retry takes it over once its lease has passed.
        }
    }

    /// <summary>Sends the stored answer again; a replayed answer with personal data is an access like the first.</summary>
    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditedAttribute>() is { } audited)
        {
            await AuditRecorder.RecordAsync(context, audited.Action + ".replayed", stored.StatusCode);
        }
        var response = context.Response;
        response.StatusCode = stored.StatusCode;
        response.ContentType = stored.ContentType;
        if (stored.Location is not null)
        {
            response.Headers.Location = stored.Location;
        }
        if (stored.ETag is not null)
        {
            response.Headers.ETag = stored.ETag;
        }
        response.Headers[ReplayedHeader] = "true";
        await response.WriteAsync(stored.Body, context.RequestAborted);
    }

    /// <summary>SHA-256 over method, path, query and body; reading the body enforces the size limit (413).</summary>
    private static async Task<string> RequestHashAsync(HttpContext context)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(request.Method + " " + request.Path + request.QueryString + "\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
