using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Azure.Core;
using Azure.Identity;

namespace WineFunctions.Lake;

/// <summary>
/// AWS credentials of an IAM role assumed with the Azure managed identity's token (STS
/// AssumeRoleWithWebIdentity): an Azure function reaches an S3 lake with no AWS key stored
/// anywhere. The role's trust policy names the identity and the token's audience; the credentials
/// renew themselves before they expire.
/// </summary>
internal sealed class AzureWebIdentityCredentials(string roleArn, string audience, string region, TokenCredential? azure = null) : RefreshingAWSCredentials
{
    // AZURE_CLIENT_ID (set by Terraform) picks the app's user-assigned identity.
    private readonly TokenCredential _azure = azure ?? new DefaultAzureCredential();

    protected override CredentialsRefreshState GenerateNewCredentials() => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var token = await _azure.GetTokenAsync(new TokenRequestContext([audience + "/.default"]), CancellationToken.None);
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), RegionEndpoint.GetBySystemName(region));
        var response = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = roleArn,
            RoleSessionName = "wine-functions",
            WebIdentityToken = token.Token,
        });
        var credentials = response.Credentials;
        // The SDK judges expiry by the wall clock, so the fallback is on it too.
        return new CredentialsRefreshState(new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            credentials.Expiration?.ToUniversalTime() ?? DateTime.UtcNow.AddMinutes(15));
    }
}
