using System.Net;
using System.Text.Json.Nodes;
using WineFunctions.Ratings;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>The page's production sign-in: an OpenID Connect authority, the authorization code flow with PKCE.</summary>
[Collection(BrowserCollection.Browser)]
public sealed class RatingsPageSignInTests
{
    [Fact]
    public async Task With_an_authority_the_page_signs_in_through_the_code_flow_with_PKCE_and_the_API_takes_the_token()
    {
        await using var authority = await OidcStandIn.StartAsync("olivia", "customer");
        await using var site = await PageSite.StartAsync(batches: 4,
            new JwtSettings { Issuer = authority.Url, Authority = authority.Url, PageClientId = OidcStandIn.ClientId, PageScope = "openid wine-ratings" });
        var web = site.App.Server.Url + "/web/";
        authority.RedirectUri = web;
        var config = JsonNode.Parse(await site.App.Http.GetStringAsync("/web/config.json"))!;
        Assert.Equal(("oidc", authority.Url, OidcStandIn.ClientId), ((string?)config["signIn"], (string?)config["authority"], (string?)config["clientId"]));
        // Without a development key there is no one-click sign-in.
        using var dev = await site.App.SendAsync(HttpMethod.Post, "/web/dev-sign-in?role=customer");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, dev.StatusCode);

        using var page = PageBrowser.Start(Viewport.PhoneSize, "oidc");
        page.Open(web);
        page.Until(() => page.Find("#oidc-sign-in").Displayed, "the sign-in button is offered");
        page.Until(() => !page.Find("#dev-customer").Displayed, "no one-click sign-in in production");
        page.Screenshot("signed-out");
        page.Click("#oidc-sign-in");
        page.UntilText("#who", "olivia (customer)");
        page.Screenshot("signed-in");
        // The code and state are gone from the address, and the authority was asked for a code with an S256 challenge.
        Assert.Equal(web, page.Driver.Url);
        var asked = Assert.Single(authority.Authorizations);
        Assert.Equal(("S256", OidcStandIn.ClientId, "openid wine-ratings", web),
            (asked["code_challenge_method"], asked["client_id"], asked["scope"], asked["redirect_uri"]));
        Assert.Equal(1, authority.TokensIssued);

        // The API takes the authority's token: a one-tap rating counts.
        var batch = site.Batches[^1].BatchId;
        page.Until(() => page.FindAll($"#batch-list li[data-batch='{batch}'] a").Count == 1, "the batch is listed");
        page.Click($"#batch-list li[data-batch='{batch}'] a");
        page.UntilText("#my-rating", "Tap the stars to rate.");
        page.Click("#star-buttons button[data-value='3']");
        page.UntilText("#card-summary", "1 rating, average 3.00 stars");
        page.Screenshot("rated");
        page.AssertAccessible("signed in at the authority");
    }

    [Fact]
    public async Task The_stand_in_authority_gives_a_token_only_for_the_verifier_that_matches_the_challenge()
    {
        await using var authority = await OidcStandIn.StartAsync("olivia", "customer");
        authority.RedirectUri = "http://127.0.0.1:1/web/";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(authority.Url) };

        using var wrong = await http.PostAsync("/token", Form(await CodeAsync(http, authority.RedirectUri), "wrong"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(0, authority.TokensIssued);
        using var right = await http.PostAsync("/token", Form(await CodeAsync(http, authority.RedirectUri), "right"));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(1, authority.TokensIssued);
    }

    /// <summary>A code for the challenge of the verifier "right" (its SHA-256, base64url).</summary>
    private static async Task<string> CodeAsync(HttpClient http, string redirectUri)
    {
        const string challenge = "JwQvTm7KfQsqfuQCbfLs-lHTM55tEiqgmRGOzYVjutk";
        using var redirect = await http.GetAsync($"/authorize?response_type=code&client_id={OidcStandIn.ClientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
            $"&state=s&code_challenge={challenge}&code_challenge_method=S256");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
    }

    private static FormUrlEncodedContent Form(string code, string verifier) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = OidcStandIn.ClientId,
        ["redirect_uri"] = "http://127.0.0.1:1/web/", ["code_verifier"] = verifier,
    });
}
