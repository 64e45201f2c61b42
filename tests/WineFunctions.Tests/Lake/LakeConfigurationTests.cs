using Microsoft.Extensions.Configuration;
using WineFunctions.Lake;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Lake;

[Trait(Categories.Name, Categories.Unit)]
public sealed class LakeConfigurationTests
{
    private static LakeSettings Read(params (string Key, string Value)[] values) =>
        LakeConfiguration.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Reads_every_setting_of_an_s3_lake()
    {
        var settings = Read(("Lake:Kind", "s3"), ("Lake:S3:Bucket", "wine-lake"), ("Lake:S3:ServiceUrl", "http://127.0.0.1:4568"),
            ("Lake:S3:Region", "eu-central-1"), ("Lake:S3:ForcePathStyle", "true"), ("Lake:S3:AccessKey", "AK"), ("Lake:S3:SecretKey", "SK"));

        Assert.Equal(LakeKind.S3, settings.Kind);
        Assert.Equal(new S3LakeSettings { Bucket = "wine-lake", ServiceUrl = "http://127.0.0.1:4568", Region = "eu-central-1", ForcePathStyle = true, AccessKey = "AK", SecretKey = "SK" },
            settings.S3);
        Assert.Empty(settings.Problems());
    }

    [Fact]
    public void An_azure_function_reaches_an_s3_lake_by_a_role_it_assumes_with_its_managed_identity_never_a_stored_key()
    {
        var federated = Read(("Lake:Kind", "S3"), ("Lake:S3:Bucket", "wine-lake"), ("Lake:S3:WebIdentityRoleArn", "arn:aws:iam::123456789012:role/wine/sink-azure"));
        Assert.Equal(("arn:aws:iam::123456789012:role/wine/sink-azure", "api://AzureADTokenExchange"), (federated.S3!.WebIdentityRoleArn, federated.S3.WebIdentityAudience));
        Assert.Empty(federated.Problems());
        // Opening it asks no one anything yet: the token and the role's credentials are fetched on the first request.
        Assert.Equal("s3://wine-lake", federated.Open().Location);
        Assert.Contains("must be an IAM role ARN", Assert.Single(
            Read(("Lake:Kind", "S3"), ("Lake:S3:Bucket", "b"), ("Lake:S3:WebIdentityRoleArn", "sink-azure")).Problems()));
        Assert.Contains("give one", Assert.Single(
            Read(("Lake:Kind", "S3"), ("Lake:S3:Bucket", "b"), ("Lake:S3:WebIdentityRoleArn", "arn:aws:iam::1:role/r"), ("Lake:S3:AccessKey", "AK")).Problems()));
    }

    [Fact]
    public void Reads_folder_and_blob_settings_and_keeps_the_defaults_of_what_is_not_set()
    {
        Assert.Equal(new LakeSettings(), Read());
        Assert.Equal(new LakeSettings { Folder = "/data/lake" }, Read(("Lake:Folder", "/data/lake")));
        Assert.Equal(new LakeSettings { Kind = LakeKind.Blob, BlobContainerUrl = "https://acct.blob.core.windows.net/lake", BlobContainer = "lake2", BlobConnectionString = "UseDevelopmentStorage=true" },
            Read(("Lake:Kind", "Blob"), ("Lake:BlobContainerUrl", "https://acct.blob.core.windows.net/lake"), ("Lake:BlobContainer", "lake2"), ("Lake:BlobConnectionString", "UseDevelopmentStorage=true")));
        Assert.Equal(["Lake:S3:Bucket is required when Lake:Kind is S3"], Read(("Lake:Kind", "S3")).Problems());
    }

    [Theory]
    [InlineData("Lake:Kind", "Cellar", "Lake:Kind is 'Cellar', not one of Folder, S3, Blob")]
    [InlineData("Lake:Kind", "1", "Lake:Kind is '1', not one of Folder, S3, Blob")]
    [InlineData("Lake:S3:ForcePathStyle", "yes", "Lake:S3:ForcePathStyle is 'yes', not true or false")]
    public void A_value_that_cannot_be_read_is_named(string key, string value, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => Read((key, value))).Message);
    }
}
