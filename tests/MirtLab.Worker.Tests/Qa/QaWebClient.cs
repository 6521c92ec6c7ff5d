using System.Net;
using System.Text.RegularExpressions;

namespace MirtLab.Worker.Tests.Qa;

/// <summary>A cookie-keeping HTTP client for the QA pages that does not follow redirects, so tests see them.</summary>
internal sealed partial class QaWebClient : IDisposable
{
    private readonly HttpClient _client;

    public QaWebClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The anti-forgery token of the first form on a page.</summary>
    public async Task<string> TokenAsync(string path)
    {
        var html = await GetTextAsync(path);
        return TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"No anti-forgery token on {path}");
    }

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form) =>
        _client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));

    public async Task<HttpResponseMessage> SignInAsync(string name, string password)
    {
        var token = await TokenAsync("/signin");
        return await PostAsync("/signin", [new("__RequestVerificationToken", token), new("Name", name), new("Password", password)]);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
