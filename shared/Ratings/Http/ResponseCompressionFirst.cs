using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// JSON and the page compressed for phones (Brotli, else gzip; HTTPS included, as no secret is
/// reflected into an answer), put first in whichever ASP.NET Core pipeline hosts the API: Kestrel
/// in <c>wine up</c>, or the Functions worker's ASP.NET Core integration, which both honour startup filters.
/// </summary>
internal sealed class ResponseCompressionFirst : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseResponseCompression();
        next(app);
    };
}
