using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Presence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MySql.EntityFrameworkCore.Extensions;

namespace DriverOffers.Server.Data.Providers;

/// <summary>MySQL / MariaDB (Oracle's MySql.EntityFrameworkCore). Migrations in Data/Migrations/MySql.</summary>
public sealed class MySqlAppDb(DbContextOptions<MySqlAppDb> options) : AppDb(options)
{
    public override bool TakesListParameters => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // MySQL's default collations ignore case; identifiers and hashes must match exactly, as on the other providers
        // (a resend of "abc" is not a resend of "ABC").
        modelBuilder.Entity<ChatMessage>().Property(x => x.ClientMessageId).ForMySQLHasCollation(BinaryCollation);
        modelBuilder.Entity<DriverAccessCode>().Property(x => x.CodeHash).ForMySQLHasCollation(BinaryCollation);
        modelBuilder.Entity<SocketSession>().Property(x => x.SocketId).ForMySQLHasCollation(BinaryCollation);
    }

    private const string BinaryCollation = "utf8mb4_bin";
}

/// <summary>Builds the MySQL model for <c>dotnet ef</c>; no server is contacted.</summary>
internal sealed class MySqlDesignTimeFactory : IDesignTimeDbContextFactory<MySqlAppDb>
{
    public MySqlAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MySqlAppDb>().UseMySQL("Server=localhost;Database=design_time").Options);
}
