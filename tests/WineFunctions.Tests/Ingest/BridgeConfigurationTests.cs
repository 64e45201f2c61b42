using Microsoft.Extensions.Configuration;
using WineFunctions.Ingest;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ingest;

[Trait(Categories.Name, Categories.Unit)]
public sealed class BridgeConfigurationTests
{
    [Fact]
    public void Settings_bind_from_configuration_and_a_topic_list_replaces_the_default()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:Mqtt:Host"] = "broker.example",
            ["Bridge:Mqtt:Topics:0"] = "wine/wh-07/samples",
            ["Bridge:Kafka:BootstrapServers"] = "kafka:9092",
            ["Bridge:Kafka:Settings:security.protocol"] = "SASL_SSL",
        }).Build();
        var options = configuration.GetSection("Bridge").Get<BridgeOptions>()!;
        Assert.Equal("broker.example", options.Mqtt.Host);
        Assert.Equal(["wine/wh-07/samples"], options.Mqtt.SubscribedTopics);
        Assert.Equal(["wine/+/samples"], new MqttSettings().SubscribedTopics);
        Assert.Equal("SASL_SSL", options.Kafka.Settings["security.protocol"]);
        Assert.Equal("wine.samples", options.Kafka.Topic);
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void Every_bad_setting_is_named()
    {
        var options = new BridgeOptions
        {
            Mqtt = new MqttSettings { Host = "", ClientId = "someone-else", Username = "wine-bridge", Topics = ["other/#"] },
            Kafka = new KafkaSettings { DeadLetterTopic = "wine.samples" },
            Buffer = new BufferSettings { MaxBytes = 10 },
        };
        var problems = options.Problems();
        foreach (var setting in new[] { "Bridge:Mqtt:Host", "Bridge:Mqtt:ClientId", "Bridge:Mqtt:Topics", "Bridge:Kafka:BootstrapServers", "Bridge:Kafka:DeadLetterTopic", "Bridge:Buffer:MaxBytes" })
        {
            Assert.Contains(problems, p => p.StartsWith(setting));
        }
    }
}
