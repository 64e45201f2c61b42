using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>A customer's journey through the page in a real browser, at a phone's and a desktop's size.</summary>
[Collection(BrowserCollection.Browser)]
public sealed class RatingsPageCustomerTests
{
    private const string Customer = DevelopmentIssuer.DevCustomerId;

    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public async Task A_customer_signs_in_with_one_click_browses_rates_changes_withdraws_and_sees_recommendations_with_an_offer(string size)
    {
        await using var site = await PageSite.StartAsync(batches: 14);
        using var page = PageBrowser.Start(Viewport.Named(size), "customer");
        page.Open(site.App.Server.Url + "/web/");
        page.Until(() => page.Find("#dev-customer").Displayed, "the one-click sign-in is offered");
        page.Screenshot("signed-out");

        page.Click("#dev-customer");
        page.UntilText("#who", $"{Customer} (customer)");
        page.Until(() => page.FindAll("#batch-list li[data-batch]").Count == 12, "the first page of batches");
        page.Screenshot("batches");
        page.AssertLayout();
        page.AssertAccessible("batches");

        // Paging and filters ask the API, and the list says what it answered.
        page.Click("#more");
        page.Until(() => page.FindAll("#batch-list li[data-batch]").Count == 14, "the second page of batches");
        page.Click("#colour option[value='white']");
        page.Until(() => page.FindAll("#batch-list li[data-batch]").Count == 7
            && page.FindAll("#batch-list li .value").All(v => v.Text.StartsWith("white", StringComparison.Ordinal)), "only white batches");
        page.Click("#colour option[value='']");
        // The whole catalogue again before going on: a click on the filtered list could land on an element being replaced.
        page.Until(() => page.FindAll("#batch-list li .value").Any(v => v.Text.StartsWith("red", StringComparison.Ordinal)), "red batches back");

        var batch = site.Batches[^1].BatchId; // the most recently sampled: on the first page
        page.Until(() => page.FindAll($"#batch-list li[data-batch='{batch}'] a").Count == 1, "the batch is listed");
        page.Click($"#batch-list li[data-batch='{batch}'] a");
        page.UntilText("#card-summary", "no ratings yet");
        page.Screenshot("card");
        page.AssertLayout();
        page.AssertAccessible("the card");

        page.Type("#rate-note", "Fresh and fruity");
        page.Click("#star-buttons button[data-value='4']");
        page.UntilText("#card-summary", "1 rating, average 4.00 stars");
        page.Until(() => page.Find("#star-buttons button[data-value='4']").GetDomAttribute("aria-pressed") == "true", "the 4 stays pressed");
        page.Screenshot("rated");
        await site.App.FlushLakeAsync();
        var stored = await site.Lake.Store.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync();
        var rating = Opinions.Ratings.Read((await site.Lake.Store.GetAsync(Assert.Single(stored).Key, CancellationToken.None))!.Content)!;
        Assert.Equal((Customer, batch, 4, "Fresh and fruity"), (rating.CustomerId, rating.BatchId, rating.Stars, rating.Note));

        page.Click("#tabs a[data-view='mine']");
        page.UntilText($"#my-ratings li[data-batch='{batch}'] .value", "4 stars");
        page.Screenshot("my-ratings");
        page.AssertLayout();
        page.AssertAccessible("my ratings");
        page.Click($"#my-ratings li[data-batch='{batch}'] button[data-value='5']");
        page.UntilText($"#my-ratings li[data-batch='{batch}'] .value", "5 stars");
        Assert.Equal(5, (await site.StoredRatingAsync(batch))!["stars"]!.GetValue<int>());
        page.Screenshot("changed");

        page.Click("#tabs a[data-view='for-you']");
        page.UntilText("#recommendations li:first-child .offer", "distance unknown");
        page.Locate(site.App.Server.Url, 45.75, 4.85);
        page.Click("#locate");
        var expected = await site.NearestOfferAsync(45.75, 4.85);
        page.UntilText("#recommendations li:first-child .offer", expected);
        page.Screenshot("recommendations");
        page.AssertLayout();
        page.AssertAccessible("recommendations");

        page.Click("#tabs a[data-view='mine']");
        page.Until(() => page.FindAll($"#my-ratings li[data-batch='{batch}'] .withdraw").Count == 1, "my rating is listed");
        page.Click($"#my-ratings li[data-batch='{batch}'] .withdraw");
        page.UntilText("#my-ratings li.empty", "not rated a batch yet");
        Assert.Null(await site.StoredRatingAsync(batch));
        page.Screenshot("withdrawn");
    }
}
