using System.Net;
using System.Text.Json.Nodes;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>What the page is told about signing in, and the development sign-in the Kestrel host maps with a development key.</summary>
public sealed class RatingsPageSettingsTests
{
    [Fact]
    public async Task With_a_development_key_the_page_signs_in_as_the_dev_customer_or_taster_with_tokens_the_API_takes()
    {
        await using var site = await PageSite.StartAsync(batches: 2);
        var config = JsonNode.Parse(await site.App.Http.GetStringAsync("/web/config.json"))!;
        Assert.Equal("development", (string?)config["signIn"]);
        Assert.Null(config["authority"]);
        var page = await site.App.Http.GetAsync("/web/");
        Assert.Equal("default-src 'self'; frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());

        foreach (var (role, subject, path) in new[]
        {
            ("customer", DevelopmentIssuer.DevCustomerId, $"/api/v1/customers/{DevelopmentIssuer.DevCustomerId}/ratings"),
            ("taster", DevelopmentIssuer.DevTasterId, $"/api/v1/tasters/{DevelopmentIssuer.DevTasterId}/scores"),
        })
        {
            using var signIn = await site.App.SendAsync(HttpMethod.Post, "/web/dev-sign-in?role=" + role);
            Assert.Equal("no-store", signIn.Headers.CacheControl!.ToString());
            var token = JsonNode.Parse(await signIn.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;
            Assert.Equal((subject, role), ((string?)token["subject"], (string?)token["role"]));
            using var own = await site.App.SendAsync(HttpMethod.Get, path, (string)token["accessToken"]!);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }
        using var other = await site.App.SendAsync(HttpMethod.Post, "/web/dev-sign-in?role=admin");
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    [Trait(Categories.Name, Categories.Unit)]
    public void With_an_authority_and_a_page_client_the_page_is_told_to_sign_in_there_and_may_fetch_from_it()
    {
        const string authority = "https://login.example.org/tenant/";
        var settings = new JwtSettings { Issuer = authority, Authority = authority, PageClientId = "wine-page", PageScope = "openid api://wine/ratings" };
        var config = WebConfig.For(settings, developmentSignIn: false);
        Assert.Equal(new WebConfig("oidc", "https://login.example.org/tenant", "wine-page", "openid api://wine/ratings"), config);
        Assert.Equal("https://login.example.org", config.AuthorityOrigin());
        // Without a page client the page only browses; with the development sign-in mapped that one wins.
        Assert.Equal(new WebConfig("none"), WebConfig.For(settings with { PageClientId = null }, developmentSignIn: false));
        Assert.Equal(new WebConfig("development"), WebConfig.For(settings, developmentSignIn: true));
    }

    [Fact]
    [Trait(Categories.Name, Categories.Unit)]
    public void A_page_client_needs_an_authority_and_settings_without_one_still_pass()
    {
        var development = new RatingsOptions { Jwt = new DevelopmentIssuer().Settings };
        Assert.Empty(development.Problems());
        Assert.Contains("Ratings:Jwt:PageClientId needs Ratings:Jwt:Authority, where the page signs people in",
            (development with { Jwt = development.Jwt with { PageClientId = "wine-page" } }).Problems());
        Assert.Contains("Ratings:Jwt:PageScope must not be empty (default openid)", (development with { Jwt = development.Jwt with { PageScope = " " } }).Problems());
        var production = new RatingsOptions { Jwt = new JwtSettings { Issuer = "https://login.example.org", Authority = "https://login.example.org", PageClientId = "wine-page" } };
        Assert.Empty(production.Problems(development: false));
    }
}
