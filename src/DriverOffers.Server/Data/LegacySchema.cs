using System.Data.Common;
using DriverOffers.Server.Data.Providers;
using DriverOffers.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace DriverOffers.Server.Data;

/// <summary>
/// The legacy dispatch system's <c>users</c> and <c>Trucks</c> tables, created only in standalone mode, per provider
/// with the column names and (as far as the provider has them) the types of the dispatch system's MySQL schema.
/// Migrations never touch them (they are excluded), so attach mode can point at a live legacy database.
/// </summary>
public static class LegacySchema
{
    public static async Task EnsureCreatedAsync(AppDb db, CancellationToken ct)
    {
        var ddl = db switch
        {
            SqliteAppDb => Sqlite,
            MySqlAppDb => MySql,
            PostgresAppDb => Postgres,
            _ => throw new InvalidOperationException($"No legacy schema for {db.GetType().Name}."),
        };
        await db.Database.ExecuteSqlRawAsync(ddl, ct);
    }

    /// <summary>Attach mode: fails at start-up, naming the table, when users/Trucks are missing or lack a mapped column.</summary>
    public static async Task EnsureReadableAsync(AppDb db, CancellationToken ct)
    {
        try
        {
            await db.Users.AsNoTracking().OrderBy(u => u.Id).Take(1).ToListAsync(ct);
        }
        catch (DbException e)
        {
            throw new StartupException($"Database:Mode=attach: the existing 'users' table cannot be read with the expected columns: {e.Message}", e);
        }
        try
        {
            await db.Trucks.AsNoTracking().OrderBy(t => t.Id).Take(1).ToListAsync(ct);
        }
        catch (DbException e)
        {
            throw new StartupException($"Database:Mode=attach: the existing 'Trucks' table cannot be read with the expected columns: {e.Message}", e);
        }
    }

    private const string Sqlite = """
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
        """;

    // The dispatch system's own schema: enum role, tinyint flags, DECIMAL coordinates, TIMESTAMP that MySQL bumps
    // on every change (what live truck updates poll).
    private const string MySql = """
        CREATE TABLE IF NOT EXISTS users (
            id INT NOT NULL AUTO_INCREMENT,
            username VARCHAR(100) NOT NULL,
            email VARCHAR(255) NOT NULL,
            password VARCHAR(255) NOT NULL,
            full_name VARCHAR(255) NOT NULL,
            mobile_number VARCHAR(50) NULL,
            role ENUM('dispatcher','manager','admin') NOT NULL DEFAULT 'dispatcher',
            is_active TINYINT(1) NOT NULL DEFAULT 1,
            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            PRIMARY KEY (id),
            UNIQUE KEY username (username),
            UNIQUE KEY email (email)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE IF NOT EXISTS Trucks (
            ID INT NOT NULL AUTO_INCREMENT,
            TruckNumber VARCHAR(50) NULL,
            Status VARCHAR(50) NULL,
            DriverName VARCHAR(255) NULL,
            CellPhone VARCHAR(50) NULL,
            CityStateZip VARCHAR(255) NULL,
            Dimensions VARCHAR(255) NULL,
            rate VARCHAR(50) NULL,
            mail VARCHAR(255) NULL,
            latitude DECIMAL(10,8) NULL,
            longitude DECIMAL(11,8) NULL,
            assigned_dispatcher_id INT NULL,
            isActive TINYINT(1) NOT NULL DEFAULT 1,
            updated_at TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            PRIMARY KEY (ID),
            KEY idx_trucks_active_status (isActive, Status),
            KEY idx_trucks_updated_at (updated_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        """;

    // PascalCase names are quoted: unquoted PostgreSQL identifiers fold to lower case, and EF always quotes.
    // A trigger does what MySQL's ON UPDATE CURRENT_TIMESTAMP does for Trucks.updated_at (an explicit value wins).
    private const string Postgres = """
        CREATE TABLE IF NOT EXISTS users (
            id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            username varchar(100) NOT NULL UNIQUE,
            email varchar(255) NOT NULL UNIQUE,
            password varchar(255) NOT NULL,
            full_name varchar(255) NOT NULL,
            mobile_number varchar(50) NULL,
            role varchar(20) NOT NULL DEFAULT 'dispatcher' CHECK (role IN ('dispatcher','manager','admin')),
            is_active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS "Trucks" (
            "ID" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            "TruckNumber" varchar(50) NULL,
            "Status" varchar(50) NULL,
            "DriverName" varchar(255) NULL,
            "CellPhone" varchar(50) NULL,
            "CityStateZip" varchar(255) NULL,
            "Dimensions" varchar(255) NULL,
            rate varchar(50) NULL,
            mail varchar(255) NULL,
            latitude numeric(10,8) NULL,
            longitude numeric(11,8) NULL,
            assigned_dispatcher_id integer NULL,
            "isActive" boolean NOT NULL DEFAULT true,
            updated_at timestamptz NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS idx_trucks_active_status ON "Trucks" ("isActive", "Status");
        CREATE INDEX IF NOT EXISTS idx_trucks_updated_at ON "Trucks" (updated_at);
        CREATE OR REPLACE FUNCTION trucks_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
                NEW.updated_at := now();
            END IF;
            RETURN NEW;
        END $$;
        CREATE OR REPLACE TRIGGER trucks_touch_updated_at BEFORE UPDATE ON "Trucks"
            FOR EACH ROW EXECUTE FUNCTION trucks_touch_updated_at();
        """;
}
