using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using WineFunctions.Lake;
using WineFunctions.Tests.Deploy;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Zones;

/// <summary>
/// Each function's lake grant (LakeGrant) is what Terraform grants it and what it needs: the local
/// stack run within the grants, failure paths included, refuses nothing and leaves no grant unused;
/// Terraform's S3 policies give exactly the declared prefixes.
/// </summary>
[Collection(Collections.Librdkafka)]
public sealed partial class LakeGrantTests
{
    [Fact]
    [Trait(Categories.Name, Categories.Unit)]
    public async Task An_operation_outside_the_grant_is_refused_as_the_cloud_would_and_recorded()
    {
        await using var lake = await LakeStore.FolderAsync();
        var usage = new LakeGrantUsage();
        var predict = new GrantedObjectStore(lake.Store, LakeGrant.Of("predict"), usage);
        await predict.PutAsync("predictions/date=2026-12-02/x.parquet", new byte[] { 1 }, new Dictionary<string, string>(), CancellationToken.None);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => predict.PutAsync("models/v9/model.onnx", new byte[] { 1 }, new Dictionary<string, string>(), CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => predict.GetAsync("predictions/date=2026-12-02/x.parquet", CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await predict.ListAsync("ratings/", CancellationToken.None).ToListAsync());
        Assert.Equal(3, usage.Denied.Count);
        Assert.Null(await lake.Store.GetAsync("models/v9/model.onnx", CancellationToken.None)); // refused before it reached the store
        var unused = usage.Unused(["predict"]).ToList();
        Assert.DoesNotContain(("predict", LakeOperation.Write, "predictions/"), unused);
        Assert.Contains(("predict", LakeOperation.Read, "models/"), unused);
    }

    [Fact]
    public async Task Terraforms_S3_policies_grant_each_function_exactly_its_declared_prefixes()
    {
        var plan = await TerraformPlan.OfAsync("split-aws-azure");
        var policies = plan.Find("data__aws_iam_policy_document")
            .Where(p => (p.Module.Contains("s3_lake_access", StringComparison.Ordinal) && p.Name == "lake") ||
                (p.Module.Contains("predict_aws", StringComparison.Ordinal) && p.Name == "predict"))
            .ToDictionary(p => p.Module.Contains("predict_aws", StringComparison.Ordinal) ? "predict" : LakeAccessKey().Match(p.Module).Groups[1].Value.Replace('_', '-'));
        Assert.Equal(["predict", "ratings-api", "sink", "train-trigger"], policies.Keys.Order(StringComparer.Ordinal));
        foreach (var (function, policy) in policies)
        {
            var granted = (from statement in policy.Arguments["statement"]!.AsArray()
                           from action in statement!["actions"]!.AsArray().Select(a => (string)a!)
                           from resource in statement["resources"]!.AsArray().Select(r => (string)r!)
                           let prefix = LakePrefix().Match(resource)
                           where prefix.Success && action is "s3:GetObject" or "s3:PutObject" or "s3:DeleteObject"
                           select $"{action} {prefix.Groups[1].Value}").Order(StringComparer.Ordinal).ToList();
            var grant = LakeGrant.Of(function);
            var declared = grant.Read.Select(p => $"s3:GetObject {p}").Concat(grant.Write.Select(p => $"s3:PutObject {p}"))
                .Concat(grant.Delete.Select(p => $"s3:DeleteObject {p}")).Order(StringComparer.Ordinal).ToList();
            Assert.True(declared.SequenceEqual(granted), $"{function}: Terraform grants [{string.Join(", ", granted)}], LakeGrant declares [{string.Join(", ", declared)}]");
        }
    }

    [Fact]
    public async Task Wine_up_within_the_grants_refuses_nothing_and_leaves_no_grant_unused()
    {
        var folder = Directory.CreateTempSubdirectory("wine-grants-");
        try
        {
            var endpointsFile = Path.Combine(folder.FullName, "endpoints.json");
            // 90 s: the bad upload waits behind the seed model's training (about 50 s alone, its repeated cross-validation).
            await using var wine = WineProcess.Start(folder.FullName,
                "up", "--duration", "00:01:30", "--rate", "40", "--mqtt-port", "0", "--ratings-port", "0", "--lake", "lake", "--endpoints-file", endpointsFile,
                "--enforce-grants", "--zones", "sink=edge,predict=edge,train=edge,ratings=edge,lake=core");
            var deadline = DateTime.UtcNow.AddMinutes(1);
            var endpoints = await wine.EndpointsAsync(endpointsFile, TimeSpan.FromMinutes(1));
            var api = endpoints.RatingsApi!;
            // What takes the failure paths: a record on the samples topic that is no sample (the sink dead-letters it), a training
            // upload that is no data set (the train-trigger dead-letters it), and (below, once samples flow, so the bridge has
            // subscribed) a device's sample with an impossible pH (the bridge dead-letters it, the sink keeps that in the lake),
            // as an operator's mistake or a broken probe would.
            using (var producer = new Confluent.Kafka.ProducerBuilder<byte[]?, byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = endpoints.KafkaBootstrapServers }).Build())
            {
                await producer.ProduceAsync(endpoints.SamplesTopic, new Confluent.Kafka.Message<byte[]?, byte[]> { Value = "no sample at all"u8.ToArray() });
            }
            await new FolderObjectStore(Path.Combine(folder.FullName, "lake")).PutAsync("training/not-a-data-set.csv", "colour;nothing\nred;1\n"u8.ToArray(),
                new Dictionary<string, string>(), CancellationToken.None);
            using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.CustomerToken);
            // The customer rates a batch once the API has indexed one, and asks for recommendations (distributors in reference/).
            string? batch = null;
            while (batch is null)
            {
                Assert.True(DateTime.UtcNow < deadline.AddSeconds(30), $"no batch in the catalogue: {wine.Output}");
                var catalogue = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/v1/batches"))!;
                batch = (string?)catalogue["batches"]!.AsArray().FirstOrDefault()?["batchId"];
                await Task.Delay(batch is null ? 500 : 0);
            }
            // A batch in the catalogue means samples flow: the bridge is subscribed, so the broker delivers this one to it.
            var device = endpoints.MqttAccounts.First(a => a.Role == WineFunctions.Mqtt.MqttRole.Device);
            var impossible = WineFunctions.Samples.WineSample.Create("s-impossible", "b-broken-probe", device.WarehouseId!, device.Username, DateTimeOffset.UtcNow,
                WineFunctions.Samples.WineColour.Red, TrainingData.Simulated(1, seed: 8)[0].Values) with { PH = 9.5 };
            await MqttPublisher.PublishAtLeastOnceAsync(endpoints.MqttPort, device.Username, device.Password,
                WineFunctions.Mqtt.WarehouseTopics.Samples(device.WarehouseId!), WineFunctions.Samples.SampleJson.Serialize(impossible));
            using var rating = new StringContent("""{"stars":5}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/v1/batches/{batch}/ratings", rating)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/customers/dev-customer/recommendations")).StatusCode);

            Assert.True(await wine.WaitForExitAsync(TimeSpan.FromMinutes(3)), wine.Output);
            var text = Regex.Replace(wine.Output, @"\s+", " ");
            Assert.True(wine.ExitCode == 0, text);
            Assert.Contains("Lake grants enforced: 0 operations refused", text);
            Assert.Equal("none", UnusedLine().Match(text).Groups[1].Value);

            // The bridge's dead letter is in the lake, and wine trace finds it with its reason and its crossing into the lake's zone.
            var (exitCode, trace) = await Stack.WineUpTests.RunWineAsync(folder.FullName, "trace", "s-impossible", "--lake", "lake");
            Assert.True(exitCode == 0, trace);
            Assert.Contains("sample s-impossible (batch b-broken-probe)", trace);
            Assert.Contains($"dead-lettered by the bridge: {LakeLayout.BridgeDeadLetters}", trace);
            Assert.Contains("pH", trace);
            Assert.Contains("crossed trust zones: edge -> core", trace);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"s3_lake_access\[""([a-z_]+)""\]")]
    private static partial Regex LakeAccessKey();

    [GeneratedRegex(@"^arn:aws:s3:::standin-lake/(.+)\*\z")]
    private static partial Regex LakePrefix();

    [GeneratedRegex(@"unused grants: (.*?)\. ")]
    private static partial Regex UnusedLine();
}
