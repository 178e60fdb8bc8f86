using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DriverOffers.Server.Data.Providers;

/// <summary>SQLite: the embedded default. Migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteAppDb(DbContextOptions<SqliteAppDb> options) : AppDb(options);

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without a database (tools/add-migration.sh).</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDb>
{
    public SqliteAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite("Data Source=design-time.db").Options);
}
