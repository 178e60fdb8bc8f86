using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace DriverOffers.Bench;

/// <summary>
/// Puts dispatchers and trucks straight into the legacy <c>users</c> and <c>Trucks</c> tables, as the legacy PHP
/// dispatch system would. The server only reads those tables, so the bench needs no admin API for them.
/// Names carry a per-run prefix so a reused MariaDB/PostgreSQL database never collides with an earlier run.
/// </summary>
public sealed class LegacyData(string provider, string connectionString)
{
    private readonly string _run = DateTime.UtcNow.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
    private int _batch;

    private DbConnection Open()
    {
        DbConnection c = provider switch
        {
            "sqlite" => new SqliteConnection(connectionString),
            "mysql" => new MySqlConnection(connectionString),
            "postgres" => new NpgsqlConnection(connectionString),
            _ => throw new ArgumentException(provider),
        };
        c.Open();
        return c;
    }

    private string Q(string name) => provider == "mysql" ? $"`{name}`" : $"\"{name}\"";

    /// <summary>Adds <paramref name="count"/> active dispatchers; returns their ids in insertion order.</summary>
    public async Task<int[]> AddDispatchersAsync(int count)
    {
        var tag = $"bench{_run}b{Interlocked.Increment(ref _batch)}";
        await using var c = Open();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT INTO {Q("users")} ({Q("username")}, {Q("email")}, {Q("password")}, {Q("full_name")}, {Q("mobile_number")}, {Q("role")}, {Q("is_active")}, {Q("created_at")}) " +
                              "VALUES (@u, @e, @p, @n, @m, 'dispatcher', @a, @t)";
            var u = Param(cmd, "@u"); var e = Param(cmd, "@e"); var p = Param(cmd, "@p"); var n = Param(cmd, "@n");
            var m = Param(cmd, "@m"); var a = Param(cmd, "@a"); var t = Param(cmd, "@t");
            // Not a usable hash on purpose: bench users never sign in with a password.
            p.Value = "$2y$10$benchbenchbenchbenchbenOu0bench0no0password0login0xx";
            a.Value = provider == "postgres" ? true : 1;
            t.Value = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                u.Value = $"{tag}-d{i}";
                e.Value = $"{tag}-d{i}@bench.invalid";
                n.Value = $"Bench Dispatcher {i}";
                m.Value = $"(555) 01{i % 100000:00000}";
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        return await IdsAsync(c, $"SELECT {Q("id")} FROM {Q("users")} WHERE {Q("username")} LIKE '{tag}-%' ORDER BY {Q("id")}");
    }

    /// <summary>Adds <paramref name="count"/> active trucks with drivers; returns their IDs in insertion order.</summary>
    public async Task<int[]> AddTrucksAsync(int count)
    {
        var tag = $"b{_run}x{Interlocked.Increment(ref _batch)}";
        await using var c = Open();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT INTO {Q("Trucks")} ({Q("TruckNumber")}, {Q("Status")}, {Q("DriverName")}, {Q("CellPhone")}, {Q("CityStateZip")}, {Q("Dimensions")}, {Q("rate")}, {Q("mail")}, {Q("latitude")}, {Q("longitude")}, {Q("isActive")}, {Q("updated_at")}) " +
                              "VALUES (@num, 'Available', @name, @phone, 'Rockford, IL', '53'' Dry Van', '2.10', @mail, @lat, @lon, @a, @t)";
            var num = Param(cmd, "@num"); var name = Param(cmd, "@name"); var phone = Param(cmd, "@phone"); var mail = Param(cmd, "@mail");
            var lat = Param(cmd, "@lat"); var lon = Param(cmd, "@lon"); var a = Param(cmd, "@a"); var t = Param(cmd, "@t");
            a.Value = provider == "postgres" ? true : 1;
            t.Value = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                num.Value = $"{tag}-{i}";
                name.Value = $"Bench Driver {i}";
                phone.Value = $"(779) 5{i / 10000 % 100:00}-{i % 10000:0000}";
                mail.Value = $"{tag}-{i}@bench.invalid";
                lat.Value = 42.27m + i % 100 * 0.001m;
                lon.Value = -89.09m - i % 100 * 0.001m;
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        return await IdsAsync(c, $"SELECT {Q("ID")} FROM {Q("Trucks")} WHERE {Q("TruckNumber")} LIKE '{tag}-%' ORDER BY {Q("ID")}");
    }

    private static DbParameter Param(DbCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        cmd.Parameters.Add(p);
        return p;
    }

    private static async Task<int[]> IdsAsync(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var ids = new List<int>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            ids.Add(Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        return [.. ids];
    }
}
