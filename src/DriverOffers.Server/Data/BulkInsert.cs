using System.Data.Common;
using System.Globalization;
using System.Text;
using DriverOffers.Server.Data.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using MySql.Data.MySqlClient;

namespace DriverOffers.Server.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…),(…) RETURNING id</c> statements
/// built from the EF model (table, column names and each column's type mapping and converter), inside the context's
/// current transaction, and sets the generated ids on the entities. The rows are not tracked afterwards.
/// Change tracking plus one statement per row cost about a millisecond per invited driver (decision 072); this is
/// a few statements per batch on PostgreSQL and MariaDB, and one prepared statement stepped per row on SQLite
/// (<see cref="SqliteRowInserter"/>).
/// </summary>
public static class BulkInsert
{
    /// <summary>Parameters per multi-row statement (PostgreSQL): far below its limit, and enough rows per round trip.</summary>
    private const int MaxParameters = 120;

    /// <summary>
    /// The same on MariaDB, where each statement through Oracle's connector cost about 0.8 ms whatever its size (13 chat
    /// rows a statement made inserts a quarter of the chat writer's time at 2,000 msg/s). The connector writes the values
    /// into the statement text; 1,000 of them stay far below MariaDB's 16 MB packet limit and 65,535 placeholders.
    /// </summary>
    private const int MaxMySqlParameters = 1000;

    /// <summary>What EF would bind for a column's values (its converter, enums as numbers, null as DBNull), decided once
    /// per column: checking each value's type took as long as binding it.</summary>
    private static Func<object?, object> ProviderValue(RelationalTypeMapping mapping)
    {
        if (mapping.Converter is { } converter)
        {
            return value => value is null ? DBNull.Value : converter.ConvertToProvider(value) ?? DBNull.Value;
        }
        var type = Nullable.GetUnderlyingType(mapping.ClrType) ?? mapping.ClrType;
        if (type.IsEnum)
        {
            var underlying = Enum.GetUnderlyingType(type);
            return value => value is null ? DBNull.Value : Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
        }
        return value => value ?? DBNull.Value;
    }

    /// <summary>Rows of one entity type for <see cref="Tables"/>.</summary>
    public abstract class Table
    {
        internal abstract Task Rows(AppDb db, CancellationToken ct);

        /// <summary>The rows' SQLite insert, or null if <see cref="SqliteRowInserter"/> can't bind them.</summary>
        internal abstract ISqliteTable? OnSqlite(AppDb db);
    }

    public static Table Of<T>(IReadOnlyList<T> rows) where T : class => new TableOf<T>(rows);

    /// <summary>
    /// Stores several tables' new rows in order, each as <see cref="Rows{T}"/> does. On SQLite, storing is in-process and
    /// single-threaded and so is the converting of each value into what SQLite binds (about 40 % of storing a send's
    /// 4,000 rows), so the next table's values are converted on the other core while one table is stored.
    /// </summary>
    public static async Task Tables(AppDb db, CancellationToken ct, params Table[] tables)
    {
        var onSqlite = db.Database.GetDbConnection() is SqliteConnection sqlite && db.Database.CurrentTransaction is not null
            ? tables.Select(t => t.OnSqlite(db)).ToList()
            : null;
        if (onSqlite is null || onSqlite.Any(t => t is null))
        {
            foreach (var table in tables)
            {
                await table.Rows(db, ct);
            }
            return;
        }
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var values = onSqlite[0]!.Prepare();
        for (var i = 0; i < onSqlite.Count; i++)
        {
            var next = i + 1 < onSqlite.Count ? Task.Run(onSqlite[i + 1]!.Prepare, ct) : null;
            using (values)
            {
                onSqlite[i]!.Store(connection, values);
            }
            if (next is not null)
            {
                values = await next;
            }
        }
    }

    private sealed class TableOf<T>(IReadOnlyList<T> rows) : Table where T : class
    {
        internal override Task Rows(AppDb db, CancellationToken ct) => BulkInsert.Rows(db, rows, ct);

        internal override ISqliteTable? OnSqlite(AppDb db) => SqliteTable<T>.For(db, rows);
    }

    internal interface ISqliteTable
    {
        /// <summary>Converts every row's values; reads only the rows and the (immutable) model, so any thread can.</summary>
        SqliteRowInserter.Rows Prepare();

        /// <summary>Inserts the prepared rows on the connection and sets their ids.</summary>
        void Store(SqliteConnection connection, SqliteRowInserter.Rows values);
    }

    /// <summary>The SQLite insert of <paramref name="rows"/>: one single-row statement stepped per row; an integer key is
    /// the rowid, which the row inserter reads back.</summary>
    private sealed class SqliteTable<T> : ISqliteTable where T : class
    {
        private readonly IReadOnlyList<T> _rows;
        private readonly string _sql;
        private readonly List<IClrPropertyGetter> _getters;
        private readonly List<Func<object?, object>> _providerValues;
        private readonly Action<object, object> _setKey;
        private readonly Func<long, object> _keyOf;

        private SqliteTable(IReadOnlyList<T> rows, string sql, List<IClrPropertyGetter> getters, List<Func<object?, object>> providerValues,
            Action<object, object> setKey, Func<long, object> keyOf) =>
            (_rows, _sql, _getters, _providerValues, _setKey, _keyOf) = (rows, sql, getters, providerValues, setKey, keyOf);

        public static SqliteTable<T>? For(AppDb db, IReadOnlyList<T> rows)
        {
            var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var key = type.FindPrimaryKey()!.Properties.Single();
            var columns = type.GetProperties().Where(p => !(p == key && p.ValueGenerated.HasFlag(ValueGenerated.OnAdd))).ToList();
            var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToList();
            if (key.ClrType != typeof(int) && key.ClrType != typeof(long)
                || !mappings.All(m => SqliteRowInserter.CanBind(m.Converter?.ProviderClrType ?? m.ClrType)))
            {
                return null;
            }
            var sql = db.GetService<ISqlGenerationHelper>();
            var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
                + string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))) + ") VALUES ("
                + string.Join(", ", columns.Select((_, c) => $"?{c + 1}")) + ")";
            Action<object, object> setKey = key.FieldInfo is { } field ? field.SetValue
                : key.PropertyInfo is { } property ? property.SetValue
                : throw new InvalidOperationException($"{typeof(T).Name}'s key needs a CLR member.");
            var conversion = key.GetTypeMapping().Converter;
            object KeyOf(long rowid) =>
                Convert.ChangeType(conversion is null ? rowid : conversion.ConvertFromProvider(rowid)!, key.ClrType, CultureInfo.InvariantCulture);
            return new SqliteTable<T>(rows, text, [.. columns.Select(c => c.GetGetter())], [.. mappings.Select(ProviderValue)], setKey, KeyOf);
        }

        public SqliteRowInserter.Rows Prepare() =>
            SqliteRowInserter.Prepare(_rows.Count, _getters.Count, (r, c) => _providerValues[c](_getters[c].GetClrValueUsingContainingEntity(_rows[r])));

        public void Store(SqliteConnection connection, SqliteRowInserter.Rows values)
        {
            var ids = SqliteRowInserter.Insert(connection, _sql, _rows.Count, _getters.Count, values);
            for (var r = 0; r < _rows.Count; r++)
            {
                _setKey(_rows[r], _keyOf(ids[r]));
            }
        }
    }

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
        var providerValues = mappings.Select(ProviderValue).ToList();
        Action<object, object> setKey = key.FieldInfo is { } field ? field.SetValue
            : key.PropertyInfo is { } property ? property.SetValue
            : throw new InvalidOperationException($"{typeof(T).Name}'s key needs a CLR member.");
        var conversion = key.GetTypeMapping().Converter;
        object KeyOf(object stored) =>
            Convert.ChangeType(conversion is null ? stored : conversion.ConvertFromProvider(stored)!, key.ClrType, CultureInfo.InvariantCulture);

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert runs inside the caller's transaction.");
        if (connection is SqliteConnection sqlite && SqliteTable<T>.For(db, rows) is { } onSqlite)
        {
            using var values = onSqlite.Prepare();
            onSqlite.Store(sqlite, values);
            return;
        }
        var perStatement = Math.Max(1, (connection is MySqlConnection ? MaxMySqlParameters : MaxParameters) / columns.Count);
        // One statement text per chunk size (the full size and the remainder), prepared once and run again with the
        // next rows' values. Its parameters are made once too (with the column's type settings) and only get new values:
        // making a parameter per value cost more than the insert.
        await using var full = Statement(Math.Min(perStatement, rows.Count));
        await using var rest = rows.Count > perStatement && rows.Count % perStatement != 0 ? Statement(rows.Count % perStatement) : null;
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var command = chunk.Length == perStatement || rest is null ? full : rest;
            for (int r = 0, n = 0; r < chunk.Length; r++)
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    command.Parameters[n++].Value = providerValues[c](getters[c].GetClrValueUsingContainingEntity(chunk[r]));
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
            var sorted = ids.Select(KeyOf).Order().ToList();
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
                for (var c = 0; c < columns.Count; c++, n++)
                {
                    text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder($"p{n}"));
                    command.Parameters.Add(mappings[c].CreateParameter(command, sql.GenerateParameterName($"p{n}"), null, columns[c].IsNullable));
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
