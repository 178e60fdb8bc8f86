using System.Globalization;
using DriverOffers.Server.Data.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DriverOffers.Server.Data;

/// <summary>Several tables' rows in one go (<see cref="Tables"/>), and the SQLite insert of one table.</summary>
public static partial class BulkInsert
{
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
}
