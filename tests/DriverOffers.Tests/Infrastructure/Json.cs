using System.Net.Http.Json;
using System.Text.Json;
using DriverOffers.Server.Common;

namespace DriverOffers.Tests.Infrastructure;

public static class Json
{
    public static Task<JsonElement> Body(this HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<JsonElement>(ApiJson.Options);

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, ApiJson.Options);

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, ApiJson.Options);

    /// <summary>The field names a 400 problem-details response complains about.</summary>
    public static async Task<string[]> ErrorFields(this HttpResponseMessage response)
    {
        var body = await response.Body();
        return body.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(p => p.Name).ToArray()
            : [];
    }

    /// <summary>The one field a 400 problem-details response complains about, and its first message.</summary>
    public static async Task<(string Field, string Message)> SingleError(this HttpResponseMessage response)
    {
        var errors = (await response.Body()).GetProperty("errors").EnumerateObject().ToList();
        var error = Assert.Single(errors);
        return (error.Name, error.Value[0].GetString()!);
    }
}
