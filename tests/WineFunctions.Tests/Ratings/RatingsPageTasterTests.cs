using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>A taster's journey through the page in a real browser, at a phone's and a desktop's size.</summary>
[Collection(BrowserCollection.Browser)]
public sealed class RatingsPageTasterTests
{
    private const string Taster = DevelopmentIssuer.DevTasterId;

    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public async Task A_taster_signs_in_with_one_click_and_scores_a_batch_awaiting_their_score_which_then_leaves_the_list(string size)
    {
        await using var site = await PageSite.StartAsync(batches: 6);
        // Scored before: never awaiting.
        var earlier = site.Batches[0].BatchId;
        using var scored = await site.App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{earlier}/taster-scores", site.App.Issuer.TasterToken(Taster), """{"score":6}""");
        scored.EnsureSuccessStatusCode();
        using var page = PageBrowser.Start(Viewport.Named(size), "taster");
        page.Open(site.App.Server.Url + "/web/");

        page.Until(() => page.Find("#dev-taster").Displayed, "the one-click sign-in is offered");
        page.Click("#dev-taster");
        page.UntilText("#who", $"{Taster} (taster)");
        Assert.DoesNotContain(page.FindAll("#tabs a[data-view='mine']"), a => a.Displayed);
        page.Click("#tabs a[data-view='to-score']");
        page.Until(() => page.FindAll("#awaiting li[data-batch]").Count == site.Batches.Count - 1, "every batch but the scored one awaits");
        Assert.Empty(page.FindAll($"#awaiting li[data-batch='{earlier}']"));
        page.Screenshot("awaiting");
        page.AssertLayout();
        page.AssertAccessible("awaiting");

        var batch = site.Batches[2].BatchId;
        page.Click($"#awaiting li[data-batch='{batch}'] a");
        page.UntilText("#card-summary", "no taster scores yet");
        page.Until(() => !page.Find("#rate").Displayed, "no rating stars for a taster");
        page.Screenshot("card");
        page.AssertLayout();
        page.AssertAccessible("the card");
        page.Click("#score-buttons button[data-value='7']");
        page.UntilText("#card-summary", "tasters' median 7 of 10 (1 score)");
        page.UntilText("#my-score", "You scored it 7 of 10");
        page.Screenshot("scored");

        page.Click("#back");
        page.Until(() => page.FindAll("#awaiting li[data-batch]").Count == site.Batches.Count - 2, "the scored batch left the list");
        Assert.Empty(page.FindAll($"#awaiting li[data-batch='{batch}']"));
        page.Screenshot("awaiting-after");

        page.Click("#tabs a[data-view='scores']");
        page.UntilText($"#my-scores li[data-batch='{batch}'] .value", "7 of 10");
        page.UntilText($"#my-scores li[data-batch='{earlier}'] .value", "6 of 10");
        page.Screenshot("my-scores");
        page.AssertLayout();
        page.AssertAccessible("my scores");
    }
}
