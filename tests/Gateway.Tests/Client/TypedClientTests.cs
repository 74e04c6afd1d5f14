using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Client;
using ReturnOps.Client.Http;
using ReturnOps.Client.Problems;
using ReturnOps.Client.Tokens;
using ReturnOps.Client.Webhooks;
using ReturnOps.Gateway.Tests.Contract;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Client;

/// <summary>
/// The typed client (src/Client) against the real gateway: generated from the document the gateway serves, so these tests
/// fail when the two drift apart. Its answers also pass the contract check (the transport is <see cref="ContractCheckingHandler"/>).
/// </summary>
public sealed class TypedClientTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    // One departure for every operation of a test: a body built twice must be the same request (same Idempotency-Key).
    private static readonly DateTimeOffset Departure = TimeProvider.System.GetUtcNow().AddDays(20);

    private static readonly ReturnOpsClientOptions Quick = new() { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task A_member_state_books_with_the_operations_ETag_and_a_stale_ETag_is_refused_with_412()
    {
        var host = await StartAsync();
        using var at = Connect(host, new StaticToken(host.Token("coordinator", "AT")));
        var operation = await CreateAnnouncedOperationAsync(at.Api, ["AL"]);
        var first = await CreateReturneeAsync(at.Api, "AT-client-1");
        var second = await CreateReturneeAsync(at.Api, "AT-client-2");

        var read = await at.Api.OperationsGetAsync(operation);
        var etag = read.ETag();
        Assert.NotNull(etag);
        var booked = await at.Api.BookingsBookAsync(operation, etag, new BookingInput { Returnees = [first], Escorts = 2 });

        Assert.Equal(201, booked.StatusCode);
        Assert.Equal(BookingStatus.Confirmed, booked.Result.Status);
        var stale = await Assert.ThrowsAsync<ReturnOpsProblemException>(() =>
            at.Api.BookingsBookAsync(operation, etag, new BookingInput { Returnees = [second], Escorts = 2 }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        var bookings = await at.Api.BookingsListAsync(operation, null, null);
        Assert.Single(bookings.Result.Items);
    }

    [Fact]
    public async Task A_refusal_reaches_the_caller_as_an_exception_with_the_rule_code()
    {
        var host = await StartAsync();
        using var at = Connect(host, new StaticToken(host.Token("coordinator", "AT")));
        var operation = await CreateAnnouncedOperationAsync(at.Api, ["AL"]);
        var pakistani = await CreateReturneeAsync(at.Api, "AT-client-pk", nationality: "PK");

        var refused = await Assert.ThrowsAsync<ReturnOpsProblemException>(() =>
            at.Api.BookingsBookAsync(operation, null, new BookingInput { Returnees = [pakistani], Escorts = 2 }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.True(refused.Broke("destination-of-return"), refused.Message);
        Assert.Equal("urn:returnops:problem:destination-of-return", refused.Type);
    }

    [Fact]
    public async Task A_booking_whose_answer_was_lost_is_retried_with_the_same_key_and_booked_once()
    {
        var host = await StartAsync();
        var losing = new LoseFirstAnswer(HttpMethod.Post, "/bookings", new ContractCheckingHandler(new SocketsHttpHandler()));
        using var at = ReturnOpsClient.Create(host.Address, new StaticToken(host.Token("coordinator", "AT")), Quick, losing);
        var operation = await CreateAnnouncedOperationAsync(at.Api, ["AL"]);
        var returnee = await CreateReturneeAsync(at.Api, "AT-client-lost");

        var booked = await at.Api.BookingsBookAsync(operation, null, new BookingInput { Returnees = [returnee], Escorts = 2 });

        Assert.Equal(2, losing.Attempts);
        Assert.Single(losing.Keys.Distinct());
        Assert.True(booked.Replayed(), "the retry should be answered from the gateway's record of the first attempt");
        var bookings = await at.Api.BookingsListAsync(operation, null, null);
        Assert.Equal(booked.Result.Id, Assert.Single(bookings.Result.Items).Id);
    }

    [Fact]
    public async Task Calls_in_an_idempotency_scope_share_its_key_so_a_system_that_restarted_repeats_nothing()
    {
        var host = await StartAsync();
        using var at = Connect(host, new StaticToken(host.Token("coordinator", "AT")));
        OperationView first, again;
        using (IdempotencyKey.Use("at-system-operation-2026-41"))
        {
            first = (await at.Api.OperationsCreateAsync(OperationInput(["AL"]))).Result;
        }
        using (IdempotencyKey.Use("at-system-operation-2026-41"))
        {
            again = (await at.Api.OperationsCreateAsync(OperationInput(["AL"]))).Result;
        }
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, (await at.Api.OperationsListAsync(null, null, null, null, null, null, null, null, null)).Result.Total);
    }

    [Fact]
    public async Task A_refused_token_is_renewed_once_and_the_call_goes_through()
    {
        var host = await StartAsync();
        var issued = 0;
        var tokens = new RefreshingToken(_ => Task.FromResult(new IssuedToken(
            Interlocked.Increment(ref issued) == 1 ? "not-a-token" : host.Token("coordinator", "AT"), TimeProvider.System.GetUtcNow().AddHours(1))));
        using var at = Connect(host, tokens);

        var countries = await at.Api.CountriesListAsync();

        Assert.NotEmpty(countries.Result);
        Assert.Equal(2, issued);
    }

    [Fact]
    public async Task A_token_is_replaced_before_it_expires_and_callers_arriving_together_share_one_issue()
    {
        var clock = new FakeTimeProvider(TestCluster.Start);
        var issued = 0;
        var gate = new TaskCompletionSource();
        var tokens = new RefreshingToken(async _ =>
        {
            var n = Interlocked.Increment(ref issued);
            await gate.Task;
            return new IssuedToken($"token-{n}", clock.GetUtcNow().AddMinutes(5));
        }, clock);

        var together = Enumerable.Range(0, 20).Select(_ => tokens.GetTokenAsync(false, CancellationToken.None).AsTask()).ToList();
        gate.SetResult();
        Assert.All(await Task.WhenAll(together), t => Assert.Equal("token-1", t));
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("token-1", await tokens.GetTokenAsync(false, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("token-2", await tokens.GetTokenAsync(false, CancellationToken.None));
        Assert.Equal(2, issued);
    }

    [Fact]
    public async Task The_event_stream_reader_passes_on_the_operation_now_and_after_a_booking()
    {
        var host = await StartAsync();
        using var at = Connect(host, new StaticToken(host.Token("coordinator", "AT")));
        var operation = await CreateAnnouncedOperationAsync(at.Api, ["AL"]);
        var returnee = await CreateReturneeAsync(at.Api, "AT-client-stream");
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var views = at.OperationEventsAsync(operation, reading.Token).GetAsyncEnumerator(reading.Token);

        Assert.True(await views.MoveNextAsync(), "no view when the stream opened");
        var before = views.Current;
        await at.Api.BookingsBookAsync(operation, null, new BookingInput { Returnees = [returnee], Escorts = 2 });
        Assert.True(await views.MoveNextAsync(), "no view after the booking");

        Assert.Equal(0, before.Seats.Confirmed);
        Assert.Equal(3, views.Current.Seats.Confirmed);
        Assert.True(views.Current.Version > before.Version);
    }

    [Fact]
    public async Task A_partner_clears_the_shared_manifest_through_the_client()
    {
        var host = await StartAsync();
        using var at = Connect(host, new StaticToken(host.Token("coordinator", "AT")));
        using var albania = Connect(host, new StaticToken(host.Token("partner", "AL")));
        var operation = await CreateAnnouncedOperationAsync(at.Api, ["AL"]);
        var returnee = await CreateReturneeAsync(at.Api, "AT-client-manifest");
        await at.Api.BookingsBookAsync(operation, null, new BookingInput { Returnees = [returnee], Escorts = 2 });
        await at.Api.OperationsChangeStatusAsync(operation, null, new StatusInput { To = OperationStatus.BookingClosed });
        // Rule 16: the destination sees the manifest only once the organiser has shared it.
        var hidden = await Assert.ThrowsAsync<ReturnOpsProblemException>(() => albania.Api.OversightManifestAsync(operation));
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        await at.Api.OversightShareManifestAsync(operation, null, null);

        var manifest = await albania.Api.OversightManifestAsync(operation);
        var cleared = await albania.Api.OversightClearAsync(operation, null, new ClearanceInput { Cleared = true, RejectedReturnees = [] });

        Assert.Contains(manifest.Result.Entries, e => e.ReturneeId == returnee);
        Assert.Contains(cleared.Result.Clearances, c => c.Destination == "AL" && c.Cleared && c.Current);
    }

    [Fact]
    public void The_webhook_verifier_accepts_the_old_and_the_new_secret_and_refuses_a_changed_body_or_a_stale_timestamp()
    {
        const string oldSecret = "old-secret-of-a-member-state-32-chars";
        const string newSecret = "new-secret-of-a-member-state-32-chars";
        var now = TestCluster.Start;
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes("""{"id":"m-1","type":"booking.confirmed"}""");
        var verifier = new WebhookVerifier(oldSecret, newSecret);
        // The platform's own signer (the sender's code) against the receiver's verifier (written from docs/messaging.md).
        var signedWithNew = ReturnOps.Silo.Messaging.Webhooks.WebhookSignature.Compute(newSecret, timestamp, body);
        var signedWithOld = ReturnOps.Silo.Messaging.Webhooks.WebhookSignature.Compute(oldSecret, timestamp, body);

        Assert.Equal(WebhookCheck.Valid, verifier.Verify(timestamp, signedWithNew, body, now));
        Assert.Equal(WebhookCheck.Valid, verifier.Verify(timestamp, signedWithOld, body, now));
        Assert.Equal(WebhookCheck.BadSignature, new WebhookVerifier(oldSecret).Verify(timestamp, signedWithNew, body, now));
        Assert.Equal(WebhookCheck.BadSignature, verifier.Verify(timestamp, signedWithNew, Encoding.UTF8.GetBytes("""{"id":"m-1","type":"booking.cancelled"}"""), now));
        Assert.Equal(WebhookCheck.StaleTimestamp, verifier.Verify(timestamp, signedWithNew, body, now.AddMinutes(6)));
        Assert.Equal(WebhookCheck.MissingHeaders, verifier.Verify(null, signedWithNew, body, now));
    }

    private static ReturnOpsClient Connect(GatewayHost host, ITokenSource tokens) =>
        ReturnOpsClient.Create(host.Address, tokens, Quick, new ContractCheckingHandler(new SocketsHttpHandler()));

    private static OperationInput OperationInput(string[] destinations)
    {
        var departure = Departure;
        return new OperationInput
        {
            Type = OperationType.Joint,
            Destinations = destinations,
            Legs = [new LegInput { From = "VIE", To = "TIA", Departure = departure }],
            SeatCapacity = 40,
            BookingDeadline = departure.AddDays(-10),
        };
    }

    private static async Task<string> CreateAnnouncedOperationAsync(IReturnOpsApi api, string[] destinations)
    {
        var created = await api.OperationsCreateAsync(OperationInput(destinations));
        Assert.NotNull(created.Location());
        await api.OperationsChangeStatusAsync(created.Result.Id, created.ETag(), new StatusInput { To = OperationStatus.Announced });
        return created.Result.Id;
    }

    private static async Task<string> CreateReturneeAsync(IReturnOpsApi api, string reference, string nationality = "AL")
    {
        var created = await api.ReturneesCreateAsync(new ReturneeInput
        {
            Reference = reference,
            Nationality = nationality,
            BirthYear = 1990,
            Sex = "M",
            DecisionEnforceable = true,
            NonRefoulementCleared = true,
            TravelDocumentValidUntil = new DateTimeOffset(2030, 12, 31, 0, 0, 0, TimeSpan.Zero),
            Vulnerabilities = [],
        });
        return created.Result.Id;
    }

    /// <summary>Lets the first matching request reach the gateway, then loses its answer, as a dropped connection would.</summary>
    private sealed class LoseFirstAnswer(HttpMethod method, string pathEnd, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _attempts;

        public int Attempts => _attempts;

        public List<string> Keys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method != method || !request.RequestUri!.AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal))
            {
                return response;
            }
            lock (Keys)
            {
                Keys.Add(request.Headers.GetValues("Idempotency-Key").Single());
            }
            if (Interlocked.Increment(ref _attempts) == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived.");
            }
            return response;
        }
    }
}
