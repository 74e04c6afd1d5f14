using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Two gateway replicas over one PostgreSQL database, as in the cluster topology: each an Orleans client of the same two
/// silo replicas. (Two embedded gateways would be two clusters, each with its own activation of every grain.)
/// </summary>
public sealed class ReplicaTests(SharedPostgres postgres) : IAsyncLifetime
{
    private ClusterReplicas _cluster = null!;

    private async Task<(GatewayHost First, GatewayHost Second)> StartTwoGatewaysAsync()
    {
        await _cluster.StartSiloAsync();
        await _cluster.StartSiloAsync();
        return (await _cluster.StartGatewayAsync(), await _cluster.StartGatewayAsync());
    }

    [Fact]
    public async Task Duplicates_spread_over_two_replicas_still_create_one_operation()
    {
        var (first, second) = await StartTwoGatewaysAsync();
        var body = Demo.Operation(TimeProvider.System.GetUtcNow(), ["AL"]);
        var token = first.Token("coordinator", "AT");
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? first : second).PostAsync("/api/v1/operations", token, body, idempotencyKey: "across-replicas")));
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, a.ToString()));
        Assert.Single(answers.Select(a => a.Json.GetProperty("id").GetString()).Distinct());
        Assert.Equal(1, await first.Storage.ScalarAsync("SELECT COUNT(*) FROM operation_list"));
        var verify = await second.GetAsync("/api/v1/audit/verify", second.Token("admin"));
        Assert.True(verify.Json.GetProperty("valid").GetBoolean(), verify.Body);
    }

    [Fact]
    public async Task An_event_stream_on_one_replica_shows_a_change_made_on_the_other()
    {
        var (first, second) = await StartTwoGatewaysAsync();
        var organiser = first.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(first, organiser, TimeProvider.System.GetUtcNow(), ["AL"], announce: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operations/{operation}/events");
        request.Headers.Authorization = new("Bearer", organiser);
        using var response = await second.RawClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Contains("\"status\":\"Draft\"", await EventStream.ReadEventAsync(reader));
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = "Announced" })).Status);
        Assert.Contains("\"status\":\"Announced\"", await EventStream.ReadEventAsync(reader));
    }

    public async ValueTask InitializeAsync() => _cluster = await ClusterReplicas.CreateAsync(postgres.GetAsync);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
