using YamlDotNet.RepresentationModel;

namespace RealName.UnitTests.Deployment;

/// <summary>
/// Every manifest under deploy/kubernetes parses (YamlDotNet) and holds what running the grid needs: each object its
/// apiVersion, kind, name and namespace; Deployments a selector matching their pod labels, images, resources, and
/// liveness and readiness probes on ports the container declares; a PodDisruptionBudget per Deployment; every
/// ConfigMap, Secret and PVC a pod refers to defined here or made by the CloudNativePG Cluster; PostgreSQL only through
/// that operator (no StatefulSet). What it cannot check offline: the objects against the Kubernetes and CloudNativePG
/// schemas (no schema validator restores here), that the images exist, and anything a cluster decides at apply time.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(RepoRoot(), "deploy", "kubernetes");

    private static readonly IReadOnlyList<(string File, YamlMappingNode Doc)> Objects = Load();

    [Fact]
    public void Every_object_has_api_version_kind_name_and_the_grids_namespace()
    {
        Assert.NotEmpty(Objects);
        foreach (var (file, doc) in Objects)
        {
            Assert.False(string.IsNullOrEmpty(Text(doc, "apiVersion")), $"{file}: apiVersion");
            var kind = Text(doc, "kind");
            Assert.False(string.IsNullOrEmpty(kind), $"{file}: kind");
            Assert.False(string.IsNullOrEmpty(Text(doc, "metadata", "name")), $"{file} {kind}: metadata.name");
            if (kind != "Namespace")
            {
                Assert.True(Text(doc, "metadata", "namespace") == "realname", $"{file} {kind} {Text(doc, "metadata", "name")}: namespace realname");
            }
        }
    }

    [Fact]
    public void Silo_and_gateway_deployments_select_their_pods_and_probe_declared_ports()
    {
        var deployments = Of("Deployment").ToList();
        Assert.Equal(["realname-gateway", "realname-silo"], deployments.Select(d => Text(d, "metadata", "name")).Order().ToArray());
        foreach (var deployment in deployments)
        {
            var name = Text(deployment, "metadata", "name");
            var selector = Map(deployment, "spec", "selector", "matchLabels");
            var podLabels = Map(deployment, "spec", "template", "metadata", "labels");
            Assert.NotEmpty(selector.Children);
            foreach (var (key, value) in selector.Children)
            {
                Assert.True(podLabels.Children.TryGetValue(key, out var label) && label.ToString() == value.ToString(), $"{name}: selector {key} matches the pod labels");
            }

            foreach (var container in Seq(deployment, "spec", "template", "spec", "containers").Cast<YamlMappingNode>())
            {
                var where = $"{name}/{Text(container, "name")}";
                Assert.False(string.IsNullOrEmpty(Text(container, "image")), $"{where}: image");
                Assert.NotNull(Find(container, "resources", "requests", "memory"));
                var ports = Seq(container, "ports").Cast<YamlMappingNode>().ToList();
                var names = ports.Select(p => Text(p, "name")).ToHashSet();
                var numbers = ports.Select(p => Text(p, "containerPort")).ToHashSet();
                foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
                {
                    var handler = Map(container, probe);
                    var port = (Find(handler, "httpGet", "port") ?? Find(handler, "tcpSocket", "port") ?? Find(handler, "grpc", "port"))?.ToString();
                    Assert.True(port is not null && (names.Contains(port) || numbers.Contains(port)), $"{where}: {probe} on a declared port (got {port})");
                }
            }
        }
    }

    [Fact]
    public void Each_deployment_has_a_disruption_budget_selecting_its_pods()
    {
        var budgets = Of("PodDisruptionBudget").ToList();
        foreach (var deployment in Of("Deployment"))
        {
            var podLabels = Map(deployment, "spec", "template", "metadata", "labels");
            Assert.Contains(budgets, b =>
                (Find(b, "spec", "minAvailable") ?? Find(b, "spec", "maxUnavailable")) is not null
                && Map(b, "spec", "selector", "matchLabels").Children.All(kv => podLabels.Children.TryGetValue(kv.Key, out var v) && v.ToString() == kv.Value.ToString()));
        }
    }

    [Fact]
    public void Every_config_map_secret_and_volume_a_pod_uses_is_defined_here_or_by_the_database_operator()
    {
        // CloudNativePG makes <cluster>-app (the database owner's credentials) for each Cluster.
        var made = Of("Cluster").Select(c => Text(c, "metadata", "name") + "-app").ToHashSet();
        var defined = Objects.Select(o => $"{Text(o.Doc, "kind")}/{Text(o.Doc, "metadata", "name")}").ToHashSet();
        foreach (var deployment in Of("Deployment"))
        {
            var pod = Map(deployment, "spec", "template", "spec");
            foreach (var node in Descendants(pod))
            {
                if (node.Children.TryGetValue("configMapRef", out var cm) || node.Children.TryGetValue("configMapKeyRef", out cm))
                {
                    Assert.Contains("ConfigMap/" + Text((YamlMappingNode)cm, "name"), defined);
                }

                if (node.Children.TryGetValue("secretRef", out var secret) || node.Children.TryGetValue("secretKeyRef", out secret))
                {
                    var secretName = Text((YamlMappingNode)secret, "name");
                    Assert.True(defined.Contains("Secret/" + secretName) || made.Contains(secretName), $"Secret {secretName} is defined or made by the operator");
                }

                if (node.Children.TryGetValue("persistentVolumeClaim", out var claim))
                {
                    Assert.Contains("PersistentVolumeClaim/" + Text((YamlMappingNode)claim, "claimName"), defined);
                }

                if (node.Children.TryGetValue("serviceAccountName", out var account))
                {
                    Assert.Contains("ServiceAccount/" + account, defined);
                }
            }
        }
    }

    [Fact]
    public void PostgreSQL_comes_from_a_CloudNativePG_cluster_with_replicas_and_the_grid_role()
    {
        Assert.DoesNotContain(Objects, o => Text(o.Doc, "kind") == "StatefulSet");
        var cluster = Assert.Single(Of("Cluster"));
        Assert.StartsWith("postgresql.cnpg.io/", Text(cluster, "apiVersion"), StringComparison.Ordinal);
        Assert.True(int.Parse(Text(cluster, "spec", "instances"), System.Globalization.CultureInfo.InvariantCulture) >= 2, "at least one replica");
        Assert.Contains(Seq(cluster, "spec", "managed", "roles").Cast<YamlMappingNode>(), r => Text(r, "name") == "realname_grid" && Text(r, "superuser") == "false");
        Assert.False(string.IsNullOrEmpty(Text(cluster, "spec", "storage", "size")));
    }

    [Fact]
    public void The_silo_runs_with_Kubernetes_hosting_and_the_pod_identity_it_needs()
    {
        var silo = Of("Deployment").Single(d => Text(d, "metadata", "name") == "realname-silo");
        var container = (YamlMappingNode)Seq(silo, "spec", "template", "spec", "containers")[0];
        var env = Seq(container, "env").Cast<YamlMappingNode>().Select(e => Text(e, "name")).ToHashSet();
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "Cluster__Kubernetes", "ConnectionStrings__RealName", "ConnectionStrings__RealNameOwner" })
        {
            Assert.Contains(name, env);
        }

        Assert.Contains(Of("RoleBinding"), b => Seq(b, "subjects").Cast<YamlMappingNode>().Any(s => Text(s, "name") == Text(silo, "spec", "template", "spec", "serviceAccountName")));
    }

    private static IEnumerable<YamlMappingNode> Of(string kind) => Objects.Where(o => Text(o.Doc, "kind") == kind).Select(o => o.Doc);

    private static List<(string, YamlMappingNode)> Load()
    {
        var objects = new List<(string, YamlMappingNode)>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            objects.AddRange(stream.Documents.Select(d => (Path.GetFileName(file), (YamlMappingNode)d.RootNode)));
        }

        return objects;
    }

    private static YamlNode? Find(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(key, out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => Find(node, path)?.ToString() ?? "";

    private static YamlMappingNode Map(YamlNode node, params string[] path) =>
        Find(node, path) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"missing mapping {string.Join('.', path)}");

    private static List<YamlNode> Seq(YamlNode node, params string[] path) => (Find(node, path) as YamlSequenceNode)?.Children.ToList() ?? [];

    private static IEnumerable<YamlMappingNode> Descendants(YamlNode node) => node switch
    {
        YamlMappingNode map => new[] { map }.Concat(map.Children.Values.SelectMany(Descendants)),
        YamlSequenceNode seq => seq.Children.SelectMany(Descendants),
        _ => [],
    };

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RealName.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RealName.sln not found");
    }
}
