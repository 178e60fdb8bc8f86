using System.Net;
using System.Reflection;
using System.Text;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Common;

/// <summary>What any route answers to a request it cannot read: a problem details body that says what is allowed.</summary>
public sealed class RequestErrorsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<HttpResponseMessage> Send(string method, string url, string? body, string? contentType)
    {
        using var carl = await server.LoginAs("carl.banks");
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : new(contentType);
        }
        return await carl.SendAsync(request);
    }

    [Theory]
    [InlineData("POST", "/api/auth/login", "", "a JSON object with username, password")]
    [InlineData("POST", "/api/auth/login", "null", "a JSON object with username, password")]
    [InlineData("POST", "/api/driver/auth/exchange", "", "a JSON object with code")]
    [InlineData("POST", "/api/offers", "", "a JSON object with pickup_location")]
    [InlineData("PUT", "/api/offers/1", "", "a JSON object with")]
    [InlineData("POST", "/api/offers/1/book", "", "a JSON object with driver_id")]
    [InlineData("POST", "/api/offers/1/chat/107", "", "a JSON object with message")]
    [InlineData("PUT", "/api/proposals/1/respond", "", "a JSON object with action")]
    public async Task A_json_route_called_without_a_body_says_the_body_is_required_and_what_it_holds(
        string method, string url, string body, string expected)
    {
        var response = await Send(method, url, body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var (field, message) = await response.SingleError();
        Assert.Equal("body", field);
        Assert.StartsWith("The request body is required: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/offers", """{"pickup_location": "A", "delivery_location": "B", "proposed_rate": 1500, "weight_lbs": "heavy"}""", "weight_lbs", "a number")]
    [InlineData("/api/offers", """{"pickup_location": "A", "delivery_location": "B", "proposed_rate": 1500, "auto_book": "yes"}""", "auto_book", "true or false")]
    [InlineData("/api/offers", """{"pickup_location": 5, "delivery_location": "B", "proposed_rate": 1500}""", "pickup_location", "text (a JSON string)")]
    [InlineData("/api/offers", """{"pickup_location": "A", "delivery_location": "B", "proposed_rate": 1500, "driver_ids": 107}""", "driver_ids", "a list of whole numbers, e.g. [107, 120]")]
    [InlineData("/api/offers/1/book", """{"driver_id": "107"}""", "driver_id", "a whole number")]
    public async Task A_value_of_the_wrong_type_is_told_what_the_field_takes(string url, string body, string field, string expected)
    {
        var response = await Send("POST", url, body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((field, $"{field} has the wrong type or format: it must be {expected}."), await response.SingleError());
    }

    [Fact]
    public async Task A_body_over_a_megabyte_is_refused_with_413_before_it_is_read_signed_in_or_not()
    {
        var huge = "{\"username\": \"x\", \"password\": \"" + new string('a', 2 * 1024 * 1024) + "\"}";
        using var anonymous = server.Client();
        var login = await anonymous.PostAsync("/api/auth/login", new StringContent(huge, Encoding.UTF8, "application/json"));
        var offer = await Send("POST", "/api/offers", huge, "application/json");

        foreach (var response in new[] { login, offer })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("1048576", (await response.Body()).Str("detail"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("POST", "/api/auth/login", "text/plain")]
    [InlineData("POST", "/api/offers", "text/plain")]
    [InlineData("PUT", "/api/proposals/1/respond", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/api/auth/login", null)]
    public async Task A_json_route_sent_another_content_type_is_a_415_naming_application_json(string method, string url, string? contentType)
    {
        var response = await Send(method, url, "{\"username\": \"carl.banks\"}", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Body();
        Assert.Equal(415, problem.GetProperty("status").GetInt32());
        Assert.Equal("Content-Type must be application/json.", problem.Str("detail"));
    }

    [Fact]
    public async Task An_unknown_api_route_is_still_a_404_whatever_the_content_type()
    {
        var response = await Send("POST", "/api/auth/no-such-route", "hello", "text/plain");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such API route.", (await response.Body()).Str("detail"));
    }

    [Theory]
    [InlineData("POST", "/api/chat/5/read", "PUT")]
    [InlineData("PATCH", "/api/offers/12", "GET, PUT, DELETE")]
    [InlineData("GET", "/api/offers/12/book", "POST")]
    [InlineData("DELETE", "/api/offers", "GET, POST")]
    public async Task A_known_route_called_with_another_method_is_a_405_naming_the_allowed_ones(string method, string url, string allow)
    {
        var response = await Send(method, url, null, null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow.Split(", ").Order(), response.Content.Headers.Allow.Order());
        Assert.Contains(allow, (await response.Body()).Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PATCH", "/api/offers/abc")]
    [InlineData("GET", "/api/offers/12/nothing")]
    public async Task A_path_no_route_has_stays_a_404_whatever_the_method(string method, string url)
    {
        var response = await Send(method, url, null, null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("{\"username\": ", "username")]
    [InlineData("{\"username\": 5, \"password\": \"x\"}", "username")]
    public async Task Malformed_json_is_a_400_naming_where_it_went_wrong(string body, string field)
    {
        var response = await Send("POST", "/api/auth/login", body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.SingleError()).Field);
    }

    [Fact]
    public async Task A_property_given_twice_is_a_400_naming_it_and_nothing_is_stored()
    {
        var before = server.Scoped(db => db.Offers.Count());
        var body = """
            {"pickup_location": "Rockford, IL", "delivery_location": "Dallas, TX", "proposed_rate": 100, "proposed_rate": 5000}
            """;

        var response = await Send("POST", "/api/offers", body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (field, message) = await response.SingleError();
        Assert.Equal("proposed_rate", field);
        Assert.Equal("proposed_rate is given more than once.", message);
        Assert.Equal(before, server.Scoped(db => db.Offers.Count()));
    }

    /// <summary>
    /// A number, bool or date bound straight from the query string fails in the framework, whose 400 names the C#
    /// parameter and says nothing of what is allowed; handlers read query values as text and parse them into field
    /// errors (Validation.WholeNumber, DriverQueries). Route values are exempt: their constraints make a bad one a 404.
    /// </summary>
    [Fact]
    public void Every_query_parameter_is_read_as_text_so_a_bad_value_names_its_field()
    {
        var typed = new List<string>();
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
            {
                continue;
            }
            var routeValues = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in handler.GetParameters())
            {
                var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
                var simple = type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTime)
                    || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(TimeSpan);
                if (simple && !routeValues.Contains(parameter.Name!))
                {
                    typed.Add($"{endpoint.RoutePattern.RawText} {parameter.Name}: {parameter.ParameterType.Name}");
                }
            }
        }
        Assert.Empty(typed);
    }
}
