using System.Globalization;
using DriverOffers.Server.Features.Auth;
using DriverOffers.Tests.Infrastructure;
using MySql.Data.MySqlClient;
using MySql.Data.Types;

namespace DriverOffers.Tests.Data;

/// <summary>
/// A MariaDB database that already holds the dispatch system's <c>users</c> and <c>Trucks</c>
/// (legacy-dispatch.mariadb.sql), with the server started on it in attach mode. <see cref="Before"/> is what those
/// tables looked like before the server ever saw them.
/// </summary>
public sealed class LegacyMariaDbFixture : ServerFixture
{
    /// <summary>Every legacy user's password (stored as a PHP <c>$2y$</c> bcrypt hash).</summary>
    public const string Password = "Legacy-Dispatch-2019!";

    public LegacySnapshot Before { get; private set; } = null!;

    protected override TestDbKind DatabaseKind => TestDbKind.MariaDb;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Database:Mode"] = "attach" };

    protected override async Task BeforeServerStartsAsync(TestDatabase database)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "legacy-dispatch.mariadb.sql"));
        await using var connection = new MySqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(script.Replace("{{PASSWORD_HASH}}", User.HashLikePhp(Password), StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync();
        Before = await LegacySnapshot.TakeAsync(database.ConnectionString);
    }

    public Task<LegacySnapshot> Now() => LegacySnapshot.TakeAsync(Database.ConnectionString);
}

/// <summary><c>SHOW CREATE TABLE</c> and every row, every column, of <c>users</c> and <c>Trucks</c>.</summary>
public sealed record LegacySnapshot(string UsersSchema, string TrucksSchema, IReadOnlyList<string> Users, IReadOnlyList<string> Trucks)
{
    public static async Task<LegacySnapshot> TakeAsync(string connectionString)
    {
        // Zero dates come back as they are stored instead of failing the read.
        var csb = new MySqlConnectionStringBuilder(connectionString) { AllowZeroDateTime = true };
        await using var connection = new MySqlConnection(csb.ConnectionString);
        await connection.OpenAsync();
        return new LegacySnapshot(
            await ShowCreate(connection, "users"), await ShowCreate(connection, "Trucks"),
            await Rows(connection, "SELECT * FROM `users` ORDER BY `id`"), await Rows(connection, "SELECT * FROM `Trucks` ORDER BY `ID`"));
    }

    private static async Task<string> ShowCreate(MySqlConnection connection, string table)
    {
        await using var command = new MySqlCommand($"SHOW CREATE TABLE `{table}`", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"table {table} is gone");
        return reader.GetString(1);
    }

    private static async Task<IReadOnlyList<string>> Rows(MySqlConnection connection, string sql)
    {
        var rows = new List<string>();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={Text(reader.GetValue(i))}");
            rows.Add(string.Join(" | ", values));
        }
        return rows;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        MySqlDateTime { IsValidDateTime: false } d => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2} {d.Hour:D2}:{d.Minute:D2}:{d.Second:D2}",
        MySqlDateTime d => d.GetDateTime().ToString("O", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexString(b),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
