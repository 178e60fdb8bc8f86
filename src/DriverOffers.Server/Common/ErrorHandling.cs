using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Common;

/// <summary>
/// Turns what escapes a handler into RFC 7807 problem details: malformed JSON names the field, a broken
/// business rule is a 409 with its message, a lost optimistic-concurrency race is a 409 too.
/// </summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var http = httpContext;
        // The exception handler middleware clears the endpoint before calling handlers; its feature keeps it.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        var body = endpoint?.Metadata.GetMetadata<JsonBody.Metadata>();
        var (status, title, detail, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "The request body is not valid.", JsonMessage(json, Expected(http, body, json)), JsonErrors(json, Expected(http, body, json))),
            BadHttpRequestException { StatusCode: 415 } => (415, "Unsupported media type.", "Content-Type must be application/json.", null),
            // The framework's own message is a hint for the developer ("Did you mean to use a Service instead?"). On a
            // route with a JSON body and its other parameters read as text, a 400 without an inner exception can only
            // be that the body was empty or JSON null.
            BadHttpRequestException { StatusCode: 400, InnerException: null } when body is not null =>
                (400, "The request body is required.", BodyRequired(http, body), new() { ["body"] = [BodyRequired(http, body)] }),
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid.", bad.Message, null),
            RuleViolationException rule => (409, "The request conflicts with the current state.", rule.Message, null),
            DbUpdateConcurrencyException => (409, "Someone else changed this first.", "Reload and try again.", null),
            UnauthorizedAccessException => (401, "Unauthorized", "Sign in again.", null),
            _ => (500, "Something went wrong on our side.", "The error was logged.", (Dictionary<string, string[]>?)null),
        };
        if (status == 500)
        {
            log.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
        }
        http.Response.StatusCode = status;
        var problem = errors is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static string BodyRequired(HttpContext http, JsonBody.Metadata body)
    {
        var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        return $"The request body is required: {JsonBody.Describe(body.RequestType, json.Value.SerializerOptions)} (see docs/protocol.md).";
    }

    /// <summary>What the field a wrong value went into takes, so "weight_lbs has the wrong type or format" also says
    /// "it must be a number" (decision 118).</summary>
    private static string? Expected(HttpContext http, JsonBody.Metadata? body, JsonException json)
    {
        if (body is null)
        {
            return null;
        }
        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        return JsonBody.ExpectedKind(body.RequestType, options.Value.SerializerOptions, json.Path);
    }

    /// <summary>"$.status" → "status"; the message says what was wrong with it.</summary>
    internal static Dictionary<string, string[]> JsonErrors(JsonException json, string? expected = null)
    {
        var field = UnknownProperty(json) ?? DuplicateProperty(json) ?? (string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.'));
        return new() { [field] = [JsonMessage(json, expected)] };
    }

    private static string? UnknownProperty(JsonException json) =>
        json.Message.Contains("could not be mapped", StringComparison.Ordinal) && json.Message.Split('\'') is { Length: > 2 } parts
            ? parts[1]
            : null;

    /// <summary>The name of a property given twice: the path points at it when a typed request is read, and only the
    /// message names it when a JSON element (a hub argument) is.</summary>
    private static string? DuplicateProperty(JsonException json)
    {
        if (!json.Message.Contains("uplicate", StringComparison.Ordinal))
        {
            return null;
        }
        if (!string.IsNullOrEmpty(json.Path) && json.Path != "$")
        {
            return json.Path.TrimStart('$', '.');
        }
        return json.Message.Split('\'') is { Length: > 2 } parts ? parts[1] : null;
    }

    internal static string JsonMessage(JsonException json, string? expected = null)
    {
        if (UnknownProperty(json) is { } name)
        {
            return $"Unknown property '{name}' is not allowed; see docs/protocol.md for the fields this request takes.";
        }
        if (DuplicateProperty(json) is { } duplicate)
        {
            return $"{duplicate} is given more than once.";
        }
        if (json is JsonFieldException && !string.IsNullOrEmpty(json.Path) && json.Path != "$")
        {
            return $"{json.Path.TrimStart('$', '.')} {json.Message}";
        }
        return string.IsNullOrEmpty(json.Path) || json.Path == "$"
            ? "The body must be a JSON object matching the documented request."
            : expected is null
                ? $"{json.Path.TrimStart('$', '.')} has the wrong type or format."
                : $"{json.Path.TrimStart('$', '.')} has the wrong type or format: it must be {expected}.";
    }
}

/// <summary>Shorthands so handlers read as the rule they apply.</summary>
public static class Problems
{
    public static ValidationProblem Invalid(Validation v) => TypedResults.ValidationProblem(v.Errors, title: "Some fields are not valid.");

    public static ValidationProblem Invalid(Outcome.Invalid invalid) => TypedResults.ValidationProblem(invalid.Errors, title: "Some fields are not valid.");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Some fields are not valid.");

    /// <summary>A 429 with Retry-After (header, and <c>retry_after_seconds</c> for clients that can't read headers). The
    /// framework has no default <c>type</c> for 429, so it is given here as for every other status.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan wait, string what) =>
        TooManyRequests(http, wait, "Too many attempts", seconds => $"Too many {what}. Try again in {seconds} seconds.");

    /// <inheritdoc cref="TooManyRequests(HttpContext, TimeSpan, string)"/>
    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan wait, string title, Func<int, string> detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail(seconds), statusCode: 429,
            title: title, type: "https://tools.ietf.org/html/rfc6585#section-4",
            extensions: new Dictionary<string, object?> { ["retry_after_seconds"] = seconds });
    }

    /// <summary>A use case's <see cref="Outcome.TooMany"/> as a 429.</summary>
    public static ProblemHttpResult TooMany(HttpContext http, Outcome.TooMany tooMany) =>
        TooManyRequests(http, tooMany.RetryAfter, "Too many messages", _ => tooMany.Detail);

    public static ProblemHttpResult Conflict(string detail, object? current = null)
    {
        var extensions = current is null ? null : new Dictionary<string, object?> { ["current"] = current };
        return TypedResults.Problem(detail, statusCode: 409, title: "The request conflicts with the current state.", extensions: extensions);
    }
}
