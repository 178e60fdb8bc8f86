using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DriverOffers.Server.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…),(…) RETURNING id</c> statements
/// built from the EF model (table, column names and each column's type mapping and converter), inside the context's
/// current transaction, and sets the generated ids on the entities. The rows are not tracked afterwards.
/// Change tracking plus one statement per row cost about a millisecond per invited driver (decision 072); this is
/// a few statements per batch on every provider.
/// </summary>
public static class BulkInsert
{
    /// <summary>
    /// Parameters per statement: far below every provider's limit, and small because SQLite finds each named
    /// parameter by a linear search (binding n parameters costs n²: 4,000 in one statement took longer than EF; 500 still showed).
    /// </summary>
    private const int MaxParameters = 120;

    public static async Task Rows<T>(AppDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        if (!await SupportsReturning(db, ct))
        {
            // MySQL proper has no INSERT … RETURNING (MariaDB ≥ 10.5 has): EF's own path reads each id back.
            await Tracked(db, rows, ct);
            return;
        }
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var key = type.FindPrimaryKey()!.Properties.Single();
        var columns = type.GetProperties().Where(p => !(p == key && p.ValueGenerated.HasFlag(ValueGenerated.OnAdd))).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
            + string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))) + ") VALUES ";
        var returning = $" RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}";
        var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToList();
        var getters = columns.Select(c => c.GetGetter()).ToList();
        Action<object, object> setKey = key.FieldInfo is { } field ? field.SetValue
            : key.PropertyInfo is { } property ? property.SetValue
            : throw new InvalidOperationException($"{typeof(T).Name}'s key needs a CLR member.");
        var conversion = key.GetTypeMapping().Converter;

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert runs inside the caller's transaction.");
        var perStatement = Math.Max(1, MaxParameters / columns.Count);
        var names = Enumerable.Range(0, perStatement * columns.Count).Select(i => sql.GenerateParameterName($"p{i}")).ToArray();
        // One statement text per chunk size (the full size and the remainder), prepared once and run again with the
        // next rows' values.
        await using var full = Statement(Math.Min(perStatement, rows.Count));
        await using var rest = rows.Count > perStatement && rows.Count % perStatement != 0 ? Statement(rows.Count % perStatement) : null;
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var command = chunk.Length == perStatement || rest is null ? full : rest;
            command.Parameters.Clear();
            for (int r = 0, n = 0; r < chunk.Length; r++)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    command.Parameters.Add(mappings[c].CreateParameter(command, names[n++],
                        getters[c].GetClrValueUsingContainingEntity(chunk[r]), columns[c].IsNullable));
                }
            }
            var ids = new List<object>(chunk.Length);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetValue(0));
                }
            }
            catch (DbException e)
            {
                // Same shape as a failed SaveChanges, so callers' race handling (DbErrors, RetryOnConcurrency) applies.
                throw new DbUpdateException($"Inserting {chunk.Length} {typeof(T).Name} rows failed.", e);
            }
            if (ids.Count != chunk.Length)
            {
                throw new InvalidOperationException($"Inserted {chunk.Length} {typeof(T).Name} rows but got {ids.Count} ids back.");
            }
            // RETURNING's row order is not promised, but every provider numbers the VALUES rows in order within one
            // statement, so the sorted ids belong to the rows in the order given.
            var sorted = ids.Select(i => Convert.ChangeType(conversion is null ? i : conversion.ConvertFromProvider(i), key.ClrType)!)
                .Order().ToList();
            for (var r = 0; r < chunk.Length; r++)
            {
                setKey(chunk[r], sorted[r]);
            }
        }

        DbCommand Statement(int rowCount)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(head);
            for (int r = 0, n = 0; r < rowCount; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder($"p{n++}"));
                }
                text.Append(')');
            }
            command.CommandText = text.Append(returning).ToString();
            return command;
        }
    }

    /// <summary>Change tracking and SaveChanges (every provider; ids read back per row), then the rows are let go.</summary>
    internal static async Task Tracked<T>(AppDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        db.Set<T>().AddRange(rows);
        await db.SaveChangesAsync(ct);
        foreach (var row in rows)
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    internal static async Task<bool> SupportsReturning(AppDb db, CancellationToken ct)
    {
        if (!db.Database.ProviderName!.Contains("MySQL", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        return IsMariaDbWithReturning(connection.ServerVersion);
    }

    /// <summary>MariaDB reports e.g. "10.11.19-MariaDB-0+deb12u1" (or behind a "5.5.5-" prefix); RETURNING came in 10.5.</summary>
    internal static bool IsMariaDbWithReturning(string? serverVersion)
    {
        if (serverVersion is null || !serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var version = serverVersion.StartsWith("5.5.5-", StringComparison.Ordinal) ? serverVersion[6..] : serverVersion;
        var numbers = version.Split('-')[0].Split('.');
        return numbers.Length >= 2 && int.TryParse(numbers[0], out var major) && int.TryParse(numbers[1], out var minor)
            && (major > 10 || major == 10 && minor >= 5);
    }
}
