using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Data;

/// <summary>
/// The legacy dispatch system's <c>users</c> and <c>Trucks</c> tables, created only in standalone mode.
/// Migrations never touch them (they are excluded), so attach mode can point at a live legacy database.
/// </summary>
public static class LegacySchema
{
    public static async Task EnsureCreatedAsync(AppDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            throw new InvalidOperationException($"Standalone mode for provider {db.Database.ProviderName} is not implemented yet.");
        }
        await db.Database.ExecuteSqlRawAsync("""
            CREATE TABLE IF NOT EXISTS users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                username TEXT NOT NULL UNIQUE,
                email TEXT NOT NULL UNIQUE,
                password TEXT NOT NULL,
                full_name TEXT NOT NULL,
                mobile_number TEXT NULL,
                role TEXT NOT NULL DEFAULT 'dispatcher' CHECK (role IN ('dispatcher','manager','admin')),
                is_active INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
            );
            CREATE TABLE IF NOT EXISTS Trucks (
                ID INTEGER PRIMARY KEY AUTOINCREMENT,
                TruckNumber TEXT NULL,
                Status TEXT NULL,
                DriverName TEXT NULL,
                CellPhone TEXT NULL,
                CityStateZip TEXT NULL,
                Dimensions TEXT NULL,
                rate TEXT NULL,
                mail TEXT NULL,
                latitude NUMERIC NULL,
                longitude NUMERIC NULL,
                assigned_dispatcher_id INTEGER NULL,
                isActive INTEGER NOT NULL DEFAULT 1,
                updated_at TEXT NULL DEFAULT CURRENT_TIMESTAMP
            );
            CREATE INDEX IF NOT EXISTS idx_trucks_active_status ON Trucks (isActive, Status);
            CREATE INDEX IF NOT EXISTS idx_trucks_updated_at ON Trucks (updated_at);
            """, ct);
    }
}
