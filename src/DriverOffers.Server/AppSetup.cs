using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Hosting;
using DriverOffers.Server.Realtime;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace DriverOffers.Server;

/// <summary>Builds the whole server. Program.cs runs it; integration tests start it the same way on a free port.</summary>
public static class AppSetup
{
    /// <summary>
    /// Defaults under every other configuration source (appsettings, environment, command line all override them).
    /// Hosting diagnostics logs only request start/finish lines (Information), yet while its logger is enabled at any
    /// level it gives every request an <c>Activity</c> and a logging scope, which a hub connection keeps as long as
    /// it is open (docs/decisions/075-connection-memory.md).
    /// Request bodies are capped at 1 MB (<c>Kestrel:Limits:MaxRequestBodySize</c>): 413 beyond.
    /// SignalR's hub dispatcher logs every failed hub call at Error with a stack trace, the ordinary refusals
    /// (HubException: not found, validation, rate limit) too; that is its only entry above Debug, and HubErrorFilter
    /// logs in its place (refusals at Debug, real failures at Error). Its connection handler does the same for a refused
    /// connect (the per-person cap), its only entry above Debug too: HubErrorFilter logs that in one line.
    /// The host logs a failed start at Error with the whole stack trace (an address already in use is a screen of it);
    /// Hosting/RunServer reports it in one line instead. A background service that fails is still logged, with its
    /// exception, by the host's Critical entry that stops the server.
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        ["Logging:LogLevel:Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher"] = "Critical",
        ["Logging:LogLevel:Microsoft.AspNetCore.SignalR.HubConnectionHandler"] = "Critical",
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
        // The largest request the API takes is a few tens of KB (an offer with 1,000 driver ids, a 4,000-character note);
        // Kestrel's 30 MB default let anyone, signed in or not, make the server read and decode 30 MB per request.
        ["Kestrel:Limits:MaxRequestBodySize"] = "1048576",
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // No reloading appsettings on change: that watches the content root recursively, and the SQLite database and its
        // WAL live under it (data/), so every commit woke a file watcher (a tenth of the server's CPU in the chat bench).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = DefaultContentRoot(args),
        });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        configure?.Invoke(builder);
        var services = builder.Services;
        ConsoleLogScopes.RecordOnlyIfPrinted(services, builder.Configuration);

        services.TryAddSingleton<TimeProvider>(new MicrosecondClock());
        // A request's header strings are otherwise kept after it for the connection's next request to reuse; a hub
        // connection's upgraded request has no next one, so they lived as long as the WebSocket (~0.3 KB each,
        // docs/decisions/086-connection-memory-fifth-pass.md). REST requests allocate their few header strings anew.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.DisableStringReuse = true);
        // Kestrel:Limits:* (the body size cap among the defaults above) are read only when bound.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge &&
                c.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max)
            {
                c.ProblemDetails.Detail ??= $"The request body is larger than the {max} bytes allowed.";
            }
        });
        // Let malformed bodies reach ErrorHandling, which names the offending field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ErrorHandling>();
        services.AddOpenApi(DecimalConverter.DescribeAsNumber);
        services.AddTrustedProxies(builder.Configuration);
        services.AddDatabase(builder.Configuration, builder.Environment);
        services.AddDriverOffersAuth(builder.Configuration, builder.Environment);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddRealtime(builder.Configuration);
        services.AddHostedService<NativeMemoryTrim>();
        services.AddSingleton<MessageWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageWriter>());
        services.AddGeo();
        services.AddOffers();
        services.AddDrivers(builder.Configuration);
        services.AddMessaging(builder.Configuration);

        var app = builder.Build();
        app.UseTrustedProxies();
        // Problem details are for REST (and the web app's files). A hub connection's request lasts as long as the
        // connection, and each of these middlewares would keep its awaiting state for it (~0.3 KB per connection);
        // hub errors are answered by SignalR and HubErrorFilter.
        app.UseWhen(http => !http.Request.Path.StartsWithSegments(OffersHub.Path), web =>
        {
            web.UseMiddleware<SecurityHeaders>();
            web.UseExceptionHandler();
            web.UseStatusCodePages();
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // Hub requests with a token the hub accepts are authenticated and authorized without these two middlewares, whose
        // state would live as long as the connection; every other request, a refused hub request too, goes through them.
        app.UseMiddleware<AuthenticateHubRequest>();
        app.UseWhen(http => !AuthenticateHubRequest.Accepted(http), standard =>
        {
            standard.UseAuthentication();
            standard.UseAuthorization();
        });
        // They are in a branch, which keeps its own copy of these marks; without them WebApplication would add both
        // middlewares again in front of the whole pipeline, for every request.
        var marks = ((IApplicationBuilder)app).Properties;
        marks["__AuthenticationMiddlewareSet"] = true;
        marks["__AuthorizationMiddlewareSet"] = true;

        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
            app.MapScalarApiReference("/api/docs");
        }
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        var api = app.MapGroup("");
        api.MapAuth();
        api.MapOffers();
        api.MapProposals();
        api.MapChat();
        api.MapGeo();
        api.MapDrivers();
        api.MapOutbox();
        api.ContentTypeCheckedByHandler();
        app.MapRealtime();
        // The web app owns every other path (client-side routing), except unknown API and hub paths.
        app.MapFallback("/api/{**rest}", UnknownApiRoute.Handle);
        app.MapFallbackToFile("index.html");
        return app;
    }

    /// <summary>
    /// The content root (appsettings.json, wwwroot, the data folder) is the working directory, as usual, when that is the
    /// server's folder (<c>dotnet run</c>, or <c>cd out</c> first); started from anywhere else (<c>dotnet
    /// /opt/driver-offers/DriverOffers.Server.dll</c>, a service without a working directory), it is the folder of the
    /// server's files: otherwise it ran without its settings or web app and put its data where it was started.
    /// <c>--contentRoot</c> (or <c>ASPNETCORE_CONTENTROOT</c>) still decides when given.
    /// </summary>
    private static string? DefaultContentRoot(string[] args)
    {
        const string settings = "appsettings.json";
        var given = new ConfigurationBuilder().AddCommandLine(args).Build()[WebHostDefaults.ContentRootKey]
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") ?? Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT");
        return given is null && !File.Exists(Path.Combine(Directory.GetCurrentDirectory(), settings)) &&
            File.Exists(Path.Combine(AppContext.BaseDirectory, settings))
            ? AppContext.BaseDirectory
            : null;
    }
}
