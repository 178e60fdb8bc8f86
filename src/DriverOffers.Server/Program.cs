using DriverOffers.Server.Hosting;

return await RunServer.RunAsync(args);
