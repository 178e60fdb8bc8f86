using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DriverOffers.Server.Data.Providers;

/// <summary>MySQL / MariaDB (Oracle's MySql.EntityFrameworkCore). Migrations in Data/Migrations/MySql.</summary>
public sealed class MySqlAppDb(DbContextOptions<MySqlAppDb> options) : AppDb(options);

/// <summary>Builds the MySQL model for <c>dotnet ef</c>; no server is contacted.</summary>
internal sealed class MySqlDesignTimeFactory : IDesignTimeDbContextFactory<MySqlAppDb>
{
    public MySqlAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MySqlAppDb>().UseMySQL("Server=localhost;Database=design_time").Options);
}
