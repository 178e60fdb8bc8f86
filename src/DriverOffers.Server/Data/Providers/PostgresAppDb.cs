using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DriverOffers.Server.Data.Providers;

/// <summary>PostgreSQL (Npgsql). Migrations in Data/Migrations/Postgres.</summary>
public sealed class PostgresAppDb(DbContextOptions<PostgresAppDb> options) : AppDb(options);

/// <summary>Builds the PostgreSQL model for <c>dotnet ef</c>; no server is contacted.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDb>
{
    public PostgresAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
