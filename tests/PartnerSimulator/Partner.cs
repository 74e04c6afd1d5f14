using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ReturnOps.Client.Webhooks;

namespace ReturnOps.PartnerSimulator;

/// <summary>
/// A member state's or partner's webhook receiver on loopback: verifies signatures, refuses stale timestamps and
/// tampered bodies, de-duplicates by message id, records everything, and misbehaves on request. Stopping it makes
/// connections refused; starting it again reuses its port.
/// </summary>
public sealed class Partner : IAsyncDisposable
{
    public const string WebhookPath = "/webhooks";

    private readonly Lock _lock = new();
    private readonly string _secret;
    private readonly TimeProvider _clock;
    private readonly string[] _args;
    private readonly Queue<PartnerBehaviour> _script = new();
    private readonly List<ReceivedDelivery> _received = [];
    private readonly List<ReceivedDelivery> _applied = [];
    private readonly HashSet<string> _appliedIds = new(StringComparer.Ordinal);
    private readonly Dictionary<WebhookCheck, int> _rejections = [];
    private WebApplication? _app;
    private TaskCompletionSource _hangRelease = NewSignal();
    private TaskCompletionSource _hangArrived = NewSignal();

    private Partner(string secret, TimeProvider clock, string[] args)
    {
        _secret = secret;
        _clock = clock;
        _args = args;
    }

    public int Port { get; private set; }

    /// <summary>Where deliveries go: the URL to subscribe.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}{WebhookPath}");

    /// <summary>How requests are answered once the script is used up.</summary>
    public PartnerBehaviour Behaviour { get; set; } = PartnerBehaviour.Ok;

    /// <summary>How long <see cref="PartnerBehaviour.Slow"/> waits, in real time: the partner is another system.</summary>
    public TimeSpan Slowness { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A timestamp further than this from the partner's clock is refused.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every correctly signed request, duplicates included, in arrival order.</summary>
    public IReadOnlyList<ReceivedDelivery> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Messages whose effect was applied: once per message id, in the order applied.</summary>
    public IReadOnlyList<ReceivedDelivery> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    public int Rejected(WebhookCheck reason)
    {
        lock (_lock)
        {
            return _rejections.GetValueOrDefault(reason);
        }
    }

    /// <summary>Starts on <c>http://127.0.0.1:0</c> (a free port) unless <paramref name="args"/> give <c>--urls</c>.</summary>
    public static async Task<Partner> StartAsync(string secret, TimeProvider? clock = null, params string[] args)
    {
        var partner = new Partner(secret, clock ?? TimeProvider.System, args);
        await partner.StartServerAsync(args.Contains("--urls") ? null : "http://127.0.0.1:0");
        return partner;
    }

    /// <summary>The next requests are answered so, one each, before <see cref="Behaviour"/> applies again.</summary>
    public void Script(params PartnerBehaviour[] answers)
    {
        lock (_lock)
        {
            foreach (var answer in answers)
            {
                _script.Enqueue(answer);
            }
        }
    }

    /// <summary>Completes when a request is being held by <see cref="PartnerBehaviour.Hang"/>.</summary>
    public Task WhenHanging => _hangArrived.Task;

    /// <summary>Lets held requests go: they answer 503 and apply nothing.</summary>
    public void ReleaseHanging()
    {
        var release = _hangRelease;
        _hangRelease = NewSignal();
        _hangArrived = NewSignal();
        release.TrySetResult();
    }

    /// <summary>Stops listening: deliveries now fail with "connection refused".</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            ReleaseHanging();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public Task StartAgainAsync() => StartServerAsync($"http://127.0.0.1:{Port}");

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartServerAsync(string? url)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = _args });
        builder.Logging.ClearProviders();
        if (url is not null)
        {
            builder.WebHost.UseUrls(url);
        }
        var app = builder.Build();
        app.MapPost(WebhookPath, (Func<HttpContext, Task<IResult>>)HandleAsync);
        MapControl(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers;
        // The member states' own check: the typed client's verifier, written from docs/messaging.md, not from the sender's code.
        var rejection = new WebhookVerifier(_secret) { Tolerance = Tolerance }
            .Verify(headers[WebhookVerifier.TimestampHeader], headers[WebhookVerifier.SignatureHeader], body, _clock.GetUtcNow());
        if (rejection != WebhookCheck.Valid)
        {
            lock (_lock)
            {
                _rejections[rejection] = _rejections.GetValueOrDefault(rejection) + 1;
            }
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: rejection.ToString());
        }
        using var envelope = JsonDocument.Parse(body);
        var id = envelope.RootElement.GetProperty("id").GetString()!;
        if (id != headers["X-ReturnOps-Message-Id"])
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Message id header and body differ");
        }
        var answer = NextAnswer();
        var delivery = new ReceivedDelivery(id, envelope.RootElement.GetProperty("type").GetString()!,
            envelope.RootElement.GetProperty("data").GetRawText(), answer);
        lock (_lock)
        {
            _received.Add(delivery);
        }
        switch (answer)
        {
            case PartnerBehaviour.Fail:
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            case PartnerBehaviour.Hang:
                var release = _hangRelease.Task;
                _hangArrived.TrySetResult();
                await release.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            case PartnerBehaviour.Slow:
                await Task.Delay(Slowness, context.RequestAborted);
                Apply(delivery);
                return Results.Ok();
            case PartnerBehaviour.LostAck:
                Apply(delivery);
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            default:
                Apply(delivery);
                return Results.Ok();
        }
    }

    private PartnerBehaviour NextAnswer()
    {
        lock (_lock)
        {
            return _script.TryDequeue(out var scripted) ? scripted : Behaviour;
        }
    }

    private void Apply(ReceivedDelivery delivery)
    {
        lock (_lock)
        {
            if (_appliedIds.Add(delivery.MessageId))
            {
                _applied.Add(delivery);
            }
        }
    }

    /// <summary>For use by hand: <c>POST /control/behaviour/Fail</c>, <c>GET /control/received</c>, <c>GET /control/applied</c>.</summary>
    private void MapControl(WebApplication app)
    {
        app.MapPost("/control/behaviour/{behaviour}", (string behaviour) =>
        {
            if (!Enum.TryParse<PartnerBehaviour>(behaviour, ignoreCase: true, out var parsed))
            {
                return Results.Problem(statusCode: (int)HttpStatusCode.BadRequest, title: "Unknown behaviour: " + string.Join(", ", Enum.GetNames<PartnerBehaviour>()));
            }
            Behaviour = parsed;
            if (parsed != PartnerBehaviour.Hang)
            {
                ReleaseHanging();
            }
            return Results.NoContent();
        });
        app.MapGet("/control/received", () => Results.Json(Received.Select(r => new { r.MessageId, r.Type, Answer = r.Answer.ToString() })));
        app.MapGet("/control/applied", () => Results.Json(Applied.Select(r => new { r.MessageId, r.Type })));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
