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
public static partial class BulkInsert
{
    /// <summary>Parameters per multi-row statement (PostgreSQL): far below its limit, and enough rows per round trip.</summary>
    private const int MaxParameters = 120;

    /// <summary>
    /// The same on MariaDB, where each statement through Oracle's connector cost about 0.8 ms whatever its size (13 chat
    /// rows a statement made inserts a quarter of the chat writer's time at 2,000 msg/s). The connector writes the values
    /// into the statement text; 1,000 of them stay far below MariaDB's 16 MB packet limit and 65,535 placeholders.
    /// </summary>
    private const int MaxMySqlParameters = 1000;

    /// <summary>ER_DUP_ENTRY: the one warning INSERT IGNORE may leave (a row skipped on a stored key).</summary>
    private const int DuplicateEntry = 1062;

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

    public static Task Rows<T>(AppDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class =>
        Insert(db, rows, unique: null, ct);

    /// <summary>
    /// As <see cref="Rows{T}"/>, but a row whose <paramref name="unique"/> columns match a stored row is skipped
    /// instead of failing the statement, and returned (without an id) so the caller can look the stored one up.
    /// Only on MariaDB and PostgreSQL; on SQLite and MySQL without RETURNING such a row fails as in <see cref="Rows{T}"/>.
    /// A duplicate must never fail a multi-row <c>INSERT … RETURNING</c> on MariaDB: once some ids are sent, the error
    /// leaves Oracle's connector waiting forever for rows that never come (decision 082).
    /// </summary>
    public static async Task<IReadOnlyList<T>> RowsSkippingStored<T>(AppDb db, IReadOnlyList<T> rows, IReadOnlyIndex unique, CancellationToken ct)
        where T : class =>
        await Insert(db, rows, unique, ct);

    private static async Task<IReadOnlyList<T>> Insert<T>(AppDb db, IReadOnlyList<T> rows, IReadOnlyIndex? unique, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return [];
        }
        if (!await SupportsReturning(db, ct))
        {
            // MySQL proper has no INSERT … RETURNING (MariaDB ≥ 10.5 has): EF's own path reads each id back.
            await Tracked(db, rows, ct);
            return [];
        }
        // SQLite has its own plan (SqliteTable): nothing below is needed for it.
        if (db.Database.GetDbConnection() is SqliteConnection sqlite && db.Database.CurrentTransaction is not null
            && SqliteTable<T>.For(db, rows) is { } onSqlite)
        {
            using var values = onSqlite.Prepare();
            onSqlite.Store(sqlite, values);
            return [];
        }
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var key = type.FindPrimaryKey()!.Properties.Single();
        var columns = type.GetProperties().Where(p => !(p == key && p.ValueGenerated.HasFlag(ValueGenerated.OnAdd))).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var connection = db.Database.GetDbConnection();
        // Rows skipped on a stored key: MariaDB's INSERT IGNORE (its warnings are checked below), PostgreSQL's ON CONFLICT
        // on exactly that index. RETURNING then names each inserted row's key, which tells the skipped ones apart.
        var skipping = unique is not null && connection is not SqliteConnection;
        var uniqueColumns = skipping ? unique!.Properties.Select(p => columns.FindIndex(c => c.Name == p.Name)).ToArray() : [];
        if (uniqueColumns.Any(c => c < 0))
        {
            throw new InvalidOperationException($"{unique!.Name} has a column that is not inserted.");
        }
        var head = $"INSERT {(skipping && connection is MySqlConnection ? "IGNORE " : "")}INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
            + string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))) + ") VALUES ";
        var returning = (skipping && connection is not MySqlConnection
                ? $" ON CONFLICT ({string.Join(", ", uniqueColumns.Select(c => sql.DelimitIdentifier(columns[c].GetColumnName(table)!)))}) DO NOTHING"
                : "")
            + $" RETURNING {string.Join(", ", uniqueColumns.Select(c => columns[c]).Prepend(key).Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}";
        var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToList();
        var getters = columns.Select(c => c.GetGetter()).ToList();
        var providerValues = mappings.Select(ProviderValue).ToList();
        Action<object, object> setKey = key.FieldInfo is { } field ? field.SetValue
            : key.PropertyInfo is { } property ? property.SetValue
            : throw new InvalidOperationException($"{typeof(T).Name}'s key needs a CLR member.");
        var conversion = key.GetTypeMapping().Converter;
        object KeyOf(object stored) =>
            Convert.ChangeType(conversion is null ? stored : conversion.ConvertFromProvider(stored)!, key.ClrType, CultureInfo.InvariantCulture);

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert runs inside the caller's transaction.");
        var perStatement = Math.Max(1, (connection is MySqlConnection ? MaxMySqlParameters : MaxParameters) / columns.Count);
        // One statement text per chunk size (the full size and the remainder), prepared once and run again with the
        // next rows' values. Its parameters are made once too (with the column's type settings) and only get new values:
        // making a parameter per value cost more than the insert.
        await using var full = Statement(Math.Min(perStatement, rows.Count));
        await using var rest = rows.Count > perStatement && rows.Count % perStatement != 0 ? Statement(rows.Count % perStatement) : null;
        var skipped = new List<T>();
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
            var keys = new List<string>(chunk.Length);
            var warnings = new List<string>();
            var mysql = skipping ? connection as MySqlConnection : null;
            if (mysql is not null)
            {
                mysql.InfoMessage += OnWarnings;
            }
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetValue(0));
                    if (skipping)
                    {
                        keys.Add(UniqueKey(c => reader.GetValue(1 + Array.IndexOf(uniqueColumns, c))));
                    }
                }
            }
            catch (DbException e)
            {
                // Same shape as a failed SaveChanges, so callers' race handling (DbErrors, RetryOnConcurrency) applies.
                throw new DbUpdateException($"Inserting {chunk.Length} {typeof(T).Name} rows failed.", e);
            }
            finally
            {
                if (mysql is not null)
                {
                    mysql.InfoMessage -= OnWarnings;
                }
            }
            if (warnings.Count > 0)
            {
                // IGNORE also turns a bad value (truncated, out of range, no such parent row) into a warning: the rows
                // would be stored altered or silently dropped. Only a duplicate key may be skipped.
                throw new DbUpdateException($"Inserting {chunk.Length} {typeof(T).Name} rows: {string.Join("; ", warnings)}");
            }
            if (!skipping)
            {
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
                continue;
            }
            // Each returned id goes to the row with its unique key; rows with none returned were skipped.
            var rowsByKey = new Dictionary<string, Queue<T>>();
            foreach (var row in chunk)
            {
                var rowKey = UniqueKey(c => providerValues[c](getters[c].GetClrValueUsingContainingEntity(row)));
                (rowsByKey.TryGetValue(rowKey, out var same) ? same : rowsByKey[rowKey] = new Queue<T>()).Enqueue(row);
            }
            for (var i = 0; i < ids.Count; i++)
            {
                if (!rowsByKey.TryGetValue(keys[i], out var same) || !same.TryDequeue(out var row))
                {
                    throw new InvalidOperationException($"Inserted a {typeof(T).Name} row whose {unique!.Name} matches none sent.");
                }
                setKey(row, KeyOf(ids[i]));
            }
            skipped.AddRange(rowsByKey.Values.SelectMany(q => q));

            void OnWarnings(object sender, MySqlInfoMessageEventArgs e) =>
                warnings.AddRange(e.errors.Where(w => w.Code != DuplicateEntry).Select(w => $"{w.Code} {w.Message}"));
        }
        return skipped;

        // Compared as invariant text: what the database returns for a column may be another CLR type than what was bound.
        string UniqueKey(Func<int, object> valueOf) => string.Join("\u001f", uniqueColumns.Select(c => valueOf(c) switch
        {
            DBNull => "",
            var v => "=" + Convert.ToString(v, CultureInfo.InvariantCulture),
        }));

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
