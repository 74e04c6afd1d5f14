using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// deploy/k8s checked offline (no Kubernetes server is reachable here): every document parses and has a known shape,
/// silos are set up as Orleans' Kubernetes hosting needs them (downward API, labels, RBAC, ports), gateways are Orleans
/// clients of the same cluster, every process gets the settings it refuses to start without, every setting named
/// in an env var exists in the code, and the pods are hardened (issue 11: unprivileged, read-only root filesystem, spread,
/// a NetworkPolicy per role, TLS to PostgreSQL).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<IReadOnlyList<KubernetesDocument>> s_manifests = new(KubernetesDocument.LoadAll);

    private static readonly HashSet<string> s_knownKinds =
    [
        "v1/ServiceAccount", "v1/Service", "v1/ConfigMap", "apps/v1/Deployment", "apps/v1/StatefulSet", "policy/v1/PodDisruptionBudget",
        "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding", "networking.k8s.io/v1/NetworkPolicy",
    ];

    /// <summary>Where the pods mount PostgreSQL's CA certificate (Secret <c>returnops-postgres-ca</c>, key <c>root.crt</c>).</summary>
    private const string PostgresCaDirectory = "/etc/returnops/postgres";

    private static IReadOnlyList<KubernetesDocument> Manifests => s_manifests.Value;

    private static KubernetesDocument Silos => Workload("silo");

    private static KubernetesDocument Gateways => Workload("gateway");

    [Fact]
    public void Every_document_is_a_known_kind_with_a_unique_name()
    {
        Assert.True(Manifests.Count >= 8, $"expected the silo's and the gateway's documents, found {Manifests.Count}");
        foreach (var manifest in Manifests)
        {
            Assert.Contains($"{manifest.Text("apiVersion")}/{manifest.Text("kind")}", s_knownKinds);
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", manifest.Name);
        }
        foreach (var twice in Manifests.GroupBy(m => $"{m.Text("kind")}/{m.Name}").Where(g => g.Count() > 1))
        {
            Assert.Fail($"{twice.Key} is defined {twice.Count()} times");
        }
    }

    [Fact]
    public void Every_selector_matches_the_pods_it_is_meant_for()
    {
        foreach (var workload in Workloads())
        {
            var labels = workload.Labels("spec.template.metadata.labels");
            foreach (var (key, value) in workload.Labels("spec.selector.matchLabels"))
            {
                Assert.True(labels.TryGetValue(key, out var label) && label == value, $"{workload}: selector {key}={value} does not match its pod template");
            }
        }
        foreach (var selecting in Manifests.Where(m => m.Kind is "Service" or "PodDisruptionBudget"))
        {
            var selector = selecting.Kind == "Service" ? selecting.Labels("spec.selector") : selecting.Labels("spec.selector.matchLabels");
            var selected = Workloads().Where(w => selector.All(s => w.Labels("spec.template.metadata.labels").GetValueOrDefault(s.Key) == s.Value)).ToList();
            Assert.True(selected.Count == 1, $"{selecting} selects {selected.Count} workloads, expected 1");
            if (selecting.Kind == "Service")
            {
                var ports = selected[0].Containers().SelectMany(ContainerPorts).ToList();
                foreach (var port in selecting.Sequence("spec.ports").Cast<YamlMappingNode>())
                {
                    var target = KubernetesDocument.Text(port, "targetPort");
                    Assert.True(ports.Any(p => p.Name == target || p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == target),
                        $"{selecting}: targetPort {target} is not a port of {selected[0]}");
                }
            }
        }
    }

    [Fact]
    public void Every_container_is_probed_on_health_ready_and_health_live_of_its_http_port()
    {
        foreach (var workload in Workloads())
        {
            foreach (var container in workload.Containers())
            {
                var name = $"{workload}/{KubernetesDocument.Text(container, "name")}";
                var http = ContainerPorts(container).SingleOrDefault(p => p.Name == "http");
                Assert.True(http.Number > 0, $"{name} declares no port named http");
                Assert.Equal($"http://+:{http.Number}", EnvValue(container, "ASPNETCORE_URLS"));
                foreach (var (probe, path) in new[] { ("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live") })
                {
                    Assert.True(KubernetesDocument.Find(container, $"{probe}.httpGet") is YamlMappingNode, $"{name} has no {probe}");
                    Assert.Equal(path, KubernetesDocument.Text(container, $"{probe}.httpGet.path"));
                    Assert.Equal("http", KubernetesDocument.Text(container, $"{probe}.httpGet.port"));
                }
            }
        }
    }

    [Fact]
    public void Silos_join_the_cluster_in_postgres_with_kubernetes_hosting()
    {
        var silo = Silos.Containers().Single();
        Assert.Equal("Postgres", EnvValue(silo, "Storage__Provider"));
        AssertFromSecret(silo, "Storage__ConnectionString");
        // A silo's /metrics takes the gateway's rule (issue 14): without the token a scraper in the cluster would get 403.
        AssertFromSecret(silo, "Silo__MetricsToken");
        Assert.Equal("AdoNet", EnvValue(silo, "Cluster__Membership"));
        Assert.Equal("true", EnvValue(silo, "Cluster__Kubernetes"));
        // What Orleans' Kubernetes hosting reads (KubernetesHostingOptions), from the downward API.
        AssertFromField(silo, "POD_NAME", "metadata.name");
        AssertFromField(silo, "POD_NAMESPACE", "metadata.namespace");
        AssertFromField(silo, "POD_IP", "status.podIP");
        AssertFromField(silo, "ORLEANS_SERVICE_ID", "metadata.labels['orleans/serviceId']");
        AssertFromField(silo, "ORLEANS_CLUSTER_ID", "metadata.labels['orleans/clusterId']");
        // The silo's name in the membership table must be its pod's: the hosting matches silos to pods by name.
        AssertFromField(silo, "Silo__Name", "metadata.name");
        Assert.Null(EnvValue(silo, "Silo__Dispatcher"));
    }

    [Fact]
    public void Silos_declare_the_silo_and_gateway_ports_they_listen_on()
    {
        var silo = Silos.Containers().Single();
        var ports = ContainerPorts(silo).ToDictionary(p => p.Name, p => p.Number);
        Assert.Equal(11111, ports.GetValueOrDefault("silo"));
        Assert.Equal(30000, ports.GetValueOrDefault("gateway"));
        Assert.Equal("11111", EnvValue(silo, "Cluster__SiloPort") ?? "11111");
        Assert.Equal("30000", EnvValue(silo, "Cluster__GatewayPort") ?? "30000");
    }

    [Fact]
    public void Silo_pods_carry_the_orleans_labels_and_gateways_join_the_same_cluster()
    {
        var labels = Silos.Labels("spec.template.metadata.labels");
        Assert.True(labels.TryGetValue("orleans/serviceId", out var serviceId) && serviceId.Length > 0, "silo pods need the orleans/serviceId label");
        Assert.True(labels.TryGetValue("orleans/clusterId", out var clusterId) && clusterId.Length > 0, "silo pods need the orleans/clusterId label");
        AssertFromField(Silos.Containers().Single(), "Cluster__ServiceId", "metadata.labels['orleans/serviceId']");
        AssertFromField(Silos.Containers().Single(), "Cluster__ClusterId", "metadata.labels['orleans/clusterId']");
        // ClusterSettings' defaults are "returnops": a gateway that sets nothing joins only a cluster labelled so.
        var gateway = Gateways.Containers().Single();
        Assert.Equal(serviceId, EnvValue(gateway, "Cluster__ServiceId") ?? "returnops");
        Assert.Equal(clusterId, EnvValue(gateway, "Cluster__ClusterId") ?? "returnops");
    }

    [Fact]
    public void Silos_run_under_a_service_account_allowed_what_kubernetes_hosting_does_with_pods()
    {
        var account = KubernetesDocument.Text(Silos.Root, "spec.template.spec.serviceAccountName");
        Assert.NotNull(account);
        Assert.Contains(Manifests, m => m.Kind == "ServiceAccount" && m.Name == account);
        var bindings = Manifests.Where(m => m.Kind == "RoleBinding" && m.Sequence("subjects").Cast<YamlMappingNode>()
            .Any(s => KubernetesDocument.Text(s, "kind") == "ServiceAccount" && KubernetesDocument.Text(s, "name") == account)).ToList();
        var binding = Assert.Single(bindings);
        Assert.Equal("Role", binding.Text("roleRef.kind"));
        Assert.Equal("rbac.authorization.k8s.io", binding.Text("roleRef.apiGroup"));
        var role = Assert.Single(Manifests, m => m.Kind == "Role" && m.Name == binding.Text("roleRef.name"));
        // Microsoft.Orleans.Hosting.Kubernetes 10.4.2: reads its pod, labels it, lists and watches the cluster's pods.
        // Nothing more: delete only serves DeleteDefunctSiloPods, which stays off.
        var granted = role.Sequence("rules").Cast<YamlMappingNode>()
            .Where(r => KubernetesDocument.Strings(r, "apiGroups").Contains("") && KubernetesDocument.Strings(r, "resources").Contains("pods"))
            .SelectMany(r => KubernetesDocument.Strings(r, "verbs")).ToHashSet();
        Assert.Equal(new[] { "get", "list", "patch", "watch" }, granted.Order(StringComparer.Ordinal));
        Assert.NotEqual("false", KubernetesDocument.Text(Silos.Root, "spec.template.spec.automountServiceAccountToken"));
    }

    [Fact]
    public void Gateways_are_orleans_clients_of_the_cluster_in_postgres()
    {
        var gateway = Gateways.Containers().Single();
        Assert.Equal("false", EnvValue(gateway, "Gateway__HostsSilo"));
        Assert.Equal("AdoNet", EnvValue(gateway, "Cluster__Membership"));
        Assert.Equal("Postgres", EnvValue(gateway, "Storage__Provider"));
        AssertFromSecret(gateway, "Storage__ConnectionString");
        AssertFromSecret(gateway, "Auth__SigningKey");
        // Without a metrics token /metrics answers loopback only: a scraper in the cluster would get 403.
        AssertFromSecret(gateway, "Gateway__MetricsToken");
        Assert.Null(EnvValue(gateway, "Cluster__Kubernetes"));
        Assert.DoesNotContain(ContainerPorts(gateway), p => p.Number is 11111 or 30000);
        Assert.Null(KubernetesDocument.Text(Gateways.Root, "spec.template.spec.serviceAccountName"));
    }

    [Fact]
    public void Every_setting_named_in_an_env_var_exists_in_the_code()
    {
        var settings = SettingsInCode();
        string[] plain = ["ASPNETCORE_URLS", "TMPDIR", "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID"];
        foreach (var workload in Workloads())
        {
            foreach (var container in workload.Containers())
            {
                var names = KubernetesDocument.Sequence(container, "env").Cast<YamlMappingNode>().Select(e => KubernetesDocument.Text(e, "name")!).ToList();
                foreach (var twice in names.GroupBy(n => n).Where(g => g.Count() > 1))
                {
                    Assert.Fail($"{workload}: env {twice.Key} is set {twice.Count()} times");
                }
                foreach (var name in names.Where(n => !plain.Contains(n) && !n.StartsWith("Logging__", StringComparison.Ordinal)))
                {
                    var parts = name.Split("__");
                    Assert.True(parts.Length == 2 && settings.TryGetValue(parts[0], out var keys) && keys.Contains(parts[1]),
                        $"{workload}: env {name} is no setting of the code (known: {string.Join(", ", settings.Select(s => $"{s.Key}[{string.Join(' ', s.Value)}]"))})");
                }
            }
        }
    }

    [Fact]
    public void Every_container_runs_unprivileged_on_a_read_only_root_filesystem_with_tmp_writable()
    {
        foreach (var workload in Workloads())
        {
            var pod = KubernetesDocument.Find(workload.Root, "spec.template.spec.securityContext");
            foreach (var container in workload.Containers())
            {
                var name = $"{workload}/{KubernetesDocument.Text(container, "name")}";
                // The container's own setting wins over the pod's (Kubernetes' rule); both are checked as they take effect.
                string? Effective(string path) => KubernetesDocument.Text(container, $"securityContext.{path}") ?? KubernetesDocument.Text(pod, path);
                Assert.True(Effective("seccompProfile.type") == "RuntimeDefault", $"{name}: seccompProfile is not RuntimeDefault");
                Assert.True(Effective("runAsNonRoot") == "true", $"{name}: runAsNonRoot is not true");
                Assert.NotEqual("0", Effective("runAsUser"));
                Assert.True(KubernetesDocument.Text(container, "securityContext.allowPrivilegeEscalation") == "false", $"{name}: allowPrivilegeEscalation is not false");
                Assert.True(KubernetesDocument.Text(container, "securityContext.readOnlyRootFilesystem") == "true", $"{name}: readOnlyRootFilesystem is not true");
                Assert.Equal(new[] { "ALL" }, KubernetesDocument.Strings(container, "securityContext.capabilities.drop"));
                Assert.Empty(KubernetesDocument.Strings(container, "securityContext.capabilities.add"));
                Assert.NotEqual("true", KubernetesDocument.Text(container, "securityContext.privileged"));
                var tmp = Mount(container, "/tmp");
                Assert.True(tmp is not null, $"{name}: nothing writable is mounted on /tmp");
                Assert.True(KubernetesDocument.Find(Volume(workload, KubernetesDocument.Text(tmp, "name")!), "emptyDir") is YamlMappingNode,
                    $"{name}: /tmp is not an emptyDir");
                Assert.Equal("/tmp", EnvValue(container, "TMPDIR"));
            }
        }
    }

    [Fact]
    public void Only_silos_get_a_service_account_token()
    {
        Assert.Equal("false", KubernetesDocument.Text(Gateways.Root, "spec.template.spec.automountServiceAccountToken"));
        // Orleans' Kubernetes hosting watches pods with the silo's token.
        Assert.NotEqual("false", KubernetesDocument.Text(Silos.Root, "spec.template.spec.automountServiceAccountToken"));
    }

    [Fact]
    public void Every_workload_spreads_its_replicas_across_zones_and_nodes()
    {
        foreach (var workload in Workloads())
        {
            var constraints = workload.Sequence("spec.template.spec.topologySpreadConstraints").Cast<YamlMappingNode>().ToList();
            var podLabels = workload.Labels("spec.template.metadata.labels");
            foreach (var key in new[] { "topology.kubernetes.io/zone", "kubernetes.io/hostname" })
            {
                var constraint = constraints.SingleOrDefault(c => KubernetesDocument.Text(c, "topologyKey") == key);
                Assert.True(constraint is not null, $"{workload} is not spread by {key}");
                Assert.Equal("1", KubernetesDocument.Text(constraint, "maxSkew"));
                var selector = KubernetesDocument.Find(constraint, "labelSelector.matchLabels") as YamlMappingNode;
                Assert.True(selector is not null && selector.Children.All(c => podLabels.GetValueOrDefault(((YamlScalarNode)c.Key).Value!) == ((YamlScalarNode)c.Value).Value),
                    $"{workload}: the spread by {key} does not select its own pods");
            }
            // A node without a zone label would be unschedulable under DoNotSchedule: zones are a preference, nodes a rule.
            Assert.Equal("ScheduleAnyway", KubernetesDocument.Text(constraints.Single(c => KubernetesDocument.Text(c, "topologyKey") == "topology.kubernetes.io/zone"), "whenUnsatisfiable"));
            Assert.Equal("DoNotSchedule", KubernetesDocument.Text(constraints.Single(c => KubernetesDocument.Text(c, "topologyKey") == "kubernetes.io/hostname"), "whenUnsatisfiable"));
        }
    }

    [Fact]
    public void Silos_admit_silos_gateways_and_probes_only_on_their_ports_and_reach_only_postgres_each_other_dns_and_listed_webhooks()
    {
        var policy = NetworkPolicyOf(Silos);
        Assert.Equal(new[] { "Egress", "Ingress" }, KubernetesDocument.Strings(policy.Root, "spec.policyTypes").Order(StringComparer.Ordinal));
        var ingress = Rules(policy, "ingress", "from");
        Assert.Equal(new[] { "gateway:TCP/30000", "namespaces:TCP/8080", "silo:TCP/11111" }, ingress.Order(StringComparer.Ordinal));
        var egress = Rules(policy, "egress", "to");
        Assert.Contains("silo:TCP/11111", egress);
        Assert.Contains("anywhere:TCP/5432", egress);
        Assert.Contains("dns:UDP/53", egress);
        Assert.Contains("dns:TCP/53", egress);
        // Everything else is an allow-list of addresses (the API server for Kubernetes hosting, partners' webhooks): no
        // rule opens a port to any address but PostgreSQL's, and no rule opens every port.
        Assert.All(egress.Where(r => r.StartsWith("anywhere:", StringComparison.Ordinal)), r => Assert.Equal("anywhere:TCP/5432", r));
        Assert.Contains(egress, r => r.StartsWith("ip ", StringComparison.Ordinal) && r.EndsWith(":TCP/443", StringComparison.Ordinal));
        Assert.DoesNotContain(egress, r => r.EndsWith(":any", StringComparison.Ordinal));
    }

    [Fact]
    public void Gateways_reach_only_the_silos_gateway_port_postgres_and_dns()
    {
        var policy = NetworkPolicyOf(Gateways);
        Assert.Equal(new[] { "Egress", "Ingress" }, KubernetesDocument.Strings(policy.Root, "spec.policyTypes").Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "anywhere:TCP/8080" }, Rules(policy, "ingress", "from"));
        Assert.Equal(new[] { "anywhere:TCP/5432", "dns:TCP/53", "dns:UDP/53", "silo:TCP/30000" }, Rules(policy, "egress", "to").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Postgres_connections_verify_the_server_against_a_ca_certificate_mounted_from_a_secret()
    {
        // The connection string lives in the Secret; the README's command that creates it is its documented form.
        var readme = File.ReadAllText(Path.Combine(KubernetesDocument.RepositoryRoot(), "deploy", "k8s", "README.md"));
        var documented = Regex.Match(readme, "--from-literal=connection-string='([^']+)'");
        Assert.True(documented.Success, "deploy/k8s/README.md documents no connection string");
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(documented.Groups[1].Value);
        Assert.Equal(Npgsql.SslMode.VerifyFull, connection.SslMode);
        Assert.Equal($"{PostgresCaDirectory}/root.crt", connection.RootCertificate);
        foreach (var workload in Workloads())
        {
            foreach (var container in workload.Containers())
            {
                var mount = Mount(container, PostgresCaDirectory);
                Assert.True(mount is not null, $"{workload}: nothing is mounted on {PostgresCaDirectory}");
                Assert.Equal("true", KubernetesDocument.Text(mount, "readOnly"));
                var volume = Volume(workload, KubernetesDocument.Text(mount, "name")!);
                Assert.Equal("returnops-postgres-ca", KubernetesDocument.Text(volume, "secret.secretName"));
            }
        }
    }

    private static KubernetesDocument NetworkPolicyOf(KubernetesDocument workload)
    {
        var podLabels = workload.Labels("spec.template.metadata.labels");
        return Assert.Single(Manifests, m => m.Kind == "NetworkPolicy" && m.Labels("spec.podSelector.matchLabels") is { Count: > 0 } selector
            && selector.All(s => podLabels.GetValueOrDefault(s.Key) == s.Value));
    }

    /// <summary>
    /// A policy's rules as "peer:PROTOCOL/port" strings. Peers: a component of ours (<c>silo</c>, <c>gateway</c>), <c>dns</c>
    /// (kube-system's kube-dns), <c>namespaces</c> (every pod of the cluster), <c>ip CIDR</c>, or <c>anywhere</c> (no peer).
    /// </summary>
    private static List<string> Rules(KubernetesDocument policy, string direction, string peers)
    {
        var rules = new List<string>();
        foreach (var rule in policy.Sequence($"spec.{direction}").Cast<YamlMappingNode>())
        {
            var ports = KubernetesDocument.Sequence(rule, "ports").Cast<YamlMappingNode>()
                .Select(p => $"{KubernetesDocument.Text(p, "protocol") ?? "TCP"}/{KubernetesDocument.Text(p, "port")}").DefaultIfEmpty("any").ToList();
            var from = KubernetesDocument.Sequence(rule, peers).Cast<YamlMappingNode>().Select(Peer).DefaultIfEmpty("anywhere").ToList();
            rules.AddRange(from.SelectMany(peer => ports.Select(port => $"{peer}:{port}")));
        }
        return rules;
    }

    private static string Peer(YamlMappingNode peer)
    {
        if (KubernetesDocument.Text(peer, "ipBlock.cidr") is { } cidr)
        {
            return $"ip {cidr}";
        }
        var pods = Labels(KubernetesDocument.Find(peer, "podSelector.matchLabels"));
        if (KubernetesDocument.Find(peer, "namespaceSelector") is { } namespaces)
        {
            var namespaceLabels = Labels(KubernetesDocument.Find(namespaces, "matchLabels"));
            return pods.Count == 0 && namespaceLabels.Count == 0 ? "namespaces"
                : namespaceLabels.GetValueOrDefault("kubernetes.io/metadata.name") == "kube-system" && pods.GetValueOrDefault("k8s-app") == "kube-dns" ? "dns"
                : "other";
        }
        return pods.GetValueOrDefault("app.kubernetes.io/name") == "returnops" ? pods.GetValueOrDefault("app.kubernetes.io/component") ?? "other" : "other";
    }

    private static Dictionary<string, string> Labels(YamlNode? map) => map is YamlMappingNode labels
        ? labels.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "")
        : [];

    private static YamlMappingNode? Mount(YamlMappingNode container, string path) =>
        KubernetesDocument.Sequence(container, "volumeMounts").Cast<YamlMappingNode>().SingleOrDefault(m => KubernetesDocument.Text(m, "mountPath") == path);

    private static YamlMappingNode? Volume(KubernetesDocument workload, string name) =>
        workload.Sequence("spec.template.spec.volumes").Cast<YamlMappingNode>().SingleOrDefault(v => KubernetesDocument.Text(v, "name") == name);

    private static IEnumerable<KubernetesDocument> Workloads() => Manifests.Where(m => m.Kind is "Deployment" or "StatefulSet");

    private static KubernetesDocument Workload(string component) =>
        Assert.Single(Workloads(), w => w.Labels("spec.template.metadata.labels").GetValueOrDefault("app.kubernetes.io/component") == component);

    private static IEnumerable<(string Name, int Number)> ContainerPorts(YamlMappingNode container) =>
        KubernetesDocument.Sequence(container, "ports").Cast<YamlMappingNode>().Select(p =>
            (KubernetesDocument.Text(p, "name") ?? "", int.Parse(KubernetesDocument.Text(p, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture)));

    private static YamlMappingNode? EnvVar(YamlMappingNode container, string name) =>
        KubernetesDocument.Sequence(container, "env").Cast<YamlMappingNode>().SingleOrDefault(e => KubernetesDocument.Text(e, "name") == name);

    private static string? EnvValue(YamlMappingNode container, string name) => EnvVar(container, name) is { } env ? KubernetesDocument.Text(env, "value") : null;

    private static void AssertFromField(YamlMappingNode container, string name, string fieldPath)
    {
        var env = EnvVar(container, name);
        Assert.True(env is not null, $"env {name} is missing");
        Assert.Equal(fieldPath, KubernetesDocument.Text(env, "valueFrom.fieldRef.fieldPath"));
    }

    private static void AssertFromSecret(YamlMappingNode container, string name)
    {
        var env = EnvVar(container, name);
        Assert.True(env is not null, $"env {name} is missing");
        Assert.Null(KubernetesDocument.Text(env, "value"));
        Assert.NotNull(KubernetesDocument.Text(env, "valueFrom.secretKeyRef.name"));
        Assert.NotNull(KubernetesDocument.Text(env, "valueFrom.secretKeyRef.key"));
    }

    /// <summary>
    /// The settings each configuration section binds, read from the source that binds it: properties with a setter of the
    /// options class, and keys read by name (<c>"Storage:Provider"</c>). A renamed or removed setting fails here, not in a pod.
    /// </summary>
    private static Dictionary<string, HashSet<string>> SettingsInCode()
    {
        (string Section, string File)[] sources =
        [
            ("Cluster", "src/Silo/Hosting/ClusterSettings.cs"),
            ("Silo", "src/Silo/Hosting/SiloOptions.cs"),
            ("Messaging", "src/Silo/Messaging/MessagingOptions.cs"),
            ("Storage", "src/Silo/Hosting/StorageSettings.cs"),
            ("Grains", "src/Grains/GrainsOptions.cs"),
            ("Gateway", "src/Gateway/Hosting/GatewayOptions.cs"),
            ("Auth", "src/Gateway/Auth/TokenSettings.cs"),
        ];
        return sources.ToDictionary(s => s.Section, s =>
        {
            var code = File.ReadAllText(Path.Combine(KubernetesDocument.RepositoryRoot(), s.File));
            var properties = Regex.Matches(code, @"public\s+[\w?<>\[\], ]+\s+(\w+)\s*\{\s*get;\s*set;").Select(m => m.Groups[1].Value);
            var named = Regex.Matches(code, $"\"{s.Section}:(\\w+)\"").Select(m => m.Groups[1].Value);
            return properties.Concat(named).ToHashSet();
        });
    }
}

/// <summary>One YAML document of deploy/k8s, with dotted-path access (<c>spec.template.metadata.labels</c>).</summary>
public sealed class KubernetesDocument(string file, YamlMappingNode root)
{
    public YamlMappingNode Root { get; } = root;

    public string Kind => Text("kind") ?? "";

    public string Name => Text("metadata.name") ?? "";

    public static IReadOnlyList<KubernetesDocument> LoadAll()
    {
        var directory = Path.Combine(RepositoryRoot(), "deploy", "k8s");
        var manifests = new List<KubernetesDocument>();
        foreach (var path in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }
            foreach (var document in stream.Documents)
            {
                var root = document.RootNode as YamlMappingNode
                    ?? throw new InvalidOperationException($"{Path.GetFileName(path)}: a document is not a mapping");
                manifests.Add(new KubernetesDocument(Path.GetFileName(path), root));
            }
        }
        return manifests;
    }

    public string? Text(string path) => Text(Root, path);

    public IEnumerable<YamlNode> Sequence(string path) => Sequence(Root, path);

    public IReadOnlyDictionary<string, string> Labels(string path) => Find(Root, path) is YamlMappingNode map
        ? map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "")
        : new Dictionary<string, string>();

    public IEnumerable<YamlMappingNode> Containers() => Sequence("spec.template.spec.containers").Cast<YamlMappingNode>();

    public static YamlNode? Find(YamlNode? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }
        return node;
    }

    public static string? Text(YamlNode? node, string path) => Find(node, path) is YamlScalarNode scalar ? scalar.Value : null;

    public static IEnumerable<YamlNode> Sequence(YamlNode? node, string path) => Find(node, path) is YamlSequenceNode sequence ? sequence.Children : [];

    public static IReadOnlyList<string> Strings(YamlNode? node, string path) => [.. Sequence(node, path).Select(n => ((YamlScalarNode)n).Value ?? "")];

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReturnOps.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Repository root (ReturnOps.sln) not found.");
    }

    public override string ToString() => $"{file}: {Kind}/{Name}";
}
