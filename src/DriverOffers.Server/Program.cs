using DriverOffers.Server;
using DriverOffers.Server.Data;

var app = AppSetup.Build(args);
await app.Services.PrepareDatabaseAsync();
if (args.Contains("--migrate-only"))
{
    return;
}
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        Console.WriteLine($"Driver Offers is running at {url}  (demo logins: carl.banks / {DemoData.Password}, vladyslav / {DemoData.Password})");
    }
});
await app.RunAsync();
