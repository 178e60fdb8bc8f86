using DriverOffers.Server;
using DriverOffers.Server.Data;

var migrateOnly = args.Contains("--migrate-only");
var app = AppSetup.Build(args.Where(a => a != "--migrate-only").ToArray());
await app.Services.PrepareDatabaseAsync(migrateOnly);
if (migrateOnly)
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
