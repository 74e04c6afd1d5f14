using System.Security.Claims;
using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Events;

/// <summary>
/// What an event stream may hold: at most <see cref="GatewayOptions.MaxStreamsPerCaller"/> open streams per caller
/// (the identity key idempotent answers are kept under: role, country and <c>sub</c>), each only until its token's <c>exp</c>,
/// measured on the clock the JWT handler checked the token against (<see cref="TokenClock"/>).
/// </summary>
public sealed class StreamLeases(IOptions<GatewayOptions> options, [FromKeyedServices(TokenClock.Key)] TimeProvider clock)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock;

    /// <summary>
    /// Takes one of the caller's stream slots, or throws a 429 problem when all are taken. The lease's
    /// <see cref="Lease.Token"/> is cancelled when the request ends or the token expires, whichever comes first.
    /// </summary>
    public Lease Open(ClaimsPrincipal user, CancellationToken requestAborted)
    {
        // The handler accepts a token up to 30 s past exp (clock skew); a stream on it would end at once and the page reconnect
        // in a loop until the skew ran out.
        var untilExpiry = UntilExpiry(user);
        if (untilExpiry <= TimeSpan.Zero)
        {
            throw new RequestProblemException(StatusCodes.Status401Unauthorized, "The token has expired; a stream needs a token that is still valid.");
        }
        var caller = user.IdentityKey();
        var limit = options.Value.MaxStreamsPerCaller;
        lock (_open)
        {
            var open = _open.GetValueOrDefault(caller);
            if (open >= limit)
            {
                throw new RequestProblemException(StatusCodes.Status429TooManyRequests,
                    $"At most {limit} event streams may be open per caller; close one first.");
            }
            _open[caller] = open + 1;
        }
        return new Lease(this, caller, untilExpiry, requestAborted);
    }

    /// <summary>Streams open now for all callers (for tests and diagnostics).</summary>
    public int OpenCount
    {
        get
        {
            lock (_open)
            {
                return _open.Values.Sum();
            }
        }
    }

    private TimeSpan UntilExpiry(ClaimsPrincipal user)
    {
        // The handler refused a token without a numeric exp; a missing one here is a principal not made from a token.
        if (!long.TryParse(user.FindFirst("exp")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exp))
        {
            return TimeSpan.Zero;
        }
        var left = DateTimeOffset.FromUnixTimeSeconds(exp) - _clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private void Release(string caller)
    {
        lock (_open)
        {
            if (_open[caller] == 1)
            {
                _open.Remove(caller);
            }
            else
            {
                _open[caller]--;
            }
        }
    }

    /// <summary>One open stream: ends with the request or at the token's expiry; disposing frees the slot.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly StreamLeases _owner;
        private readonly string _caller;
        private readonly CancellationTokenSource _expiry;
        private readonly CancellationTokenSource _linked;
        private int _disposed;

        internal Lease(StreamLeases owner, string caller, TimeSpan untilExpiry, CancellationToken requestAborted)
        {
            _owner = owner;
            _caller = caller;
            _expiry = new CancellationTokenSource(untilExpiry, owner._clock);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _expiry.Token);
        }

        public CancellationToken Token => _linked.Token;

        /// <summary>Whether the token's lifetime has run out (rather than the client leaving).</summary>
        public bool Expired => _expiry.IsCancellationRequested;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _linked.Dispose();
                _expiry.Dispose();
                _owner.Release(_caller);
            }
        }
    }
}
