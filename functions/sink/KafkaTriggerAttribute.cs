// Our stand-in for the worker attribute of Microsoft.Azure.Functions.Worker.Extensions.Kafka, which the
// registry here does not serve. Same namespace, class name (the SDK derives the binding type
// "kafkaTrigger" from it), properties and defaults, so functions.metadata is what the real one makes
// and the host's Kafka extension (Microsoft.Azure.WebJobs.Extensions.Kafka) reads it unchanged.
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

[assembly: ExtensionInformation("Microsoft.Azure.WebJobs.Extensions.Kafka", "4.3.1")]

namespace Microsoft.Azure.Functions.Worker;

public enum BrokerProtocol { NotSet = -1, Plaintext, Ssl, SaslPlaintext, SaslSsl }

public enum BrokerAuthenticationMode { NotSet = -1, Gssapi, Plain, ScramSha256, ScramSha512, OAuthBearer }

public enum KafkaMessageKeyDataType { Int = 0, Long, String, Float, Double, Binary }

public enum OAuthBearerMethod { Default, Oidc }

[BindingCapabilities(KnownBindingCapabilities.FunctionLevelRetry)]
public sealed class KafkaTriggerAttribute : TriggerBindingAttribute, ISupportCardinality
{
    private bool _isBatched;

    public KafkaTriggerAttribute(string brokerList, string topic)
    {
        BrokerList = brokerList;
        Topic = topic;
    }

    public string Topic { get; private set; }
    public string BrokerList { get; private set; }
    public string? ConsumerGroup { get; set; }
    public string? AvroSchema { get; set; }
    public string? KeyAvroSchema { get; set; }
    public KafkaMessageKeyDataType KeyDataType { get; set; } = KafkaMessageKeyDataType.String;
    public BrokerAuthenticationMode AuthenticationMode { get; set; } = BrokerAuthenticationMode.NotSet;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public BrokerProtocol Protocol { get; set; } = BrokerProtocol.NotSet;
    public string? SslKeyLocation { get; set; }
    public string? SslCaLocation { get; set; }
    public string? SslCertificateLocation { get; set; }
    public string? SslKeyPassword { get; set; }
    public long LagThreshold { get; set; } = 1000;
    public string? SchemaRegistryUrl { get; set; }
    public string? SchemaRegistryUsername { get; set; }
    public string? SchemaRegistryPassword { get; set; }
    public OAuthBearerMethod OAuthBearerMethod { get; set; }
    public string? OAuthBearerClientId { get; set; }
    public string? OAuthBearerClientSecret { get; set; }
    public string? OAuthBearerScope { get; set; }
    public string? OAuthBearerTokenEndpointUrl { get; set; }
    public string? OAuthBearerExtensions { get; set; }

    // The SDK's metadata generators look for a property literally named "IsBatched":
    // true => "cardinality": "Many", false => "One" (the IsBatched key itself is removed).
    // DefaultValue here is Microsoft.Azure.Functions.Worker.Extensions.Abstractions.DefaultValueAttribute
    // (NOT System.ComponentModel): the SDK reads it to emit defaults into the binding metadata.
    [DefaultValue(false)]
    public bool IsBatched
    {
        get => _isBatched;
        set => _isBatched = value;
    }

    Cardinality ISupportCardinality.Cardinality
    {
        get => _isBatched ? Cardinality.Many : Cardinality.One;
        set => _isBatched = value == Cardinality.Many;
    }
}
