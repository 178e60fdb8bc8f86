using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace DriverOffers.Server.Data.Providers;

/// <summary>
/// <see cref="BulkInsert"/> on SQLite: one single-row <c>INSERT … VALUES (?1, …)</c> prepared once and stepped per row
/// on the connection's own handle, binding each value by position; the new id is the connection's last rowid. Through ADO.NET each bound value
/// cost about 2 µs (a name lookup by linear search, the name re-encoded per bind, a parameter object), which made
/// storing a 500-driver invitation (four rows per driver) take tens of milliseconds; in-process SQLite has no round trip
/// to save by putting many rows in one statement.
/// Values are written exactly as Microsoft.Data.Sqlite writes EF's parameters (the bulk-insert tests compare the
/// stored rows with rows EF stored).
/// </summary>
internal static class SqliteRowInserter
{
    /// <summary>The provider value types this binds itself; a table with any other column type takes the ADO.NET path.</summary>
    public static bool CanBind(Type providerType)
    {
        var t = Nullable.GetUnderlyingType(providerType) ?? providerType;
        return t == typeof(string) || t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte)
            || t == typeof(bool) || t == typeof(DateTime) || t == typeof(decimal) || t == typeof(double) || t == typeof(byte[]);
    }

    /// <summary>A value as SQLite binds it: text as UTF-8, integers, reals, blobs or null.</summary>
    internal readonly record struct Value(Kind Kind, long Integer = 0, double Real = 0, byte[]? Bytes = null);

    /// <summary>Prepared rows, in a pooled array: a send's tables are ~300 KB of values each, which as fresh large-object
    /// allocations cost page faults and full collections. Dispose after the insert.</summary>
    internal sealed class Rows(Value[] values) : IDisposable
    {
        public Value[] Values { get; } = values;

        public void Dispose() => ArrayPool<Value>.Shared.Return(Values, clearArray: true);
    }

    internal enum Kind : byte { Null, Integer, Real, Text, Blob }

    /// <summary>
    /// Converts <paramref name="rowCount"/> rows of provider values (<paramref name="values"/>, in column order) into what
    /// is bound, row after row. Pure, so it can run on another thread than the insert.
    /// </summary>
    public static Rows Prepare(int rowCount, int columnCount, Func<int, int, object> values)
    {
        var prepared = ArrayPool<Value>.Shared.Rent(rowCount * columnCount);
        // Per column, the last value bound as text and its UTF-8: a batch's rows mostly share their timestamps (one `now`),
        // rates and kinds, and formatting a DateTime each time took longer than SQLite took to store the row.
        var lastValues = new object?[columnCount];
        var lastTexts = new byte[]?[columnCount];
        for (int r = 0, n = 0; r < rowCount; r++)
        {
            for (var c = 0; c < columnCount; c++, n++)
            {
                prepared[n] = Convert(values(r, c), ref lastValues[c], ref lastTexts[c]);
            }
        }
        return new Rows(prepared);
    }

    /// <summary>Inserts the prepared rows with <paramref name="sql"/> (no RETURNING: the table's key is its rowid) and
    /// returns the new ids.</summary>
    public static long[] Insert(SqliteConnection connection, string sql, int rowCount, int columnCount, Rows rows)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var ids = new long[rowCount];
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            for (int r = 0, n = 0; r < rowCount; r++)
            {
                for (var c = 0; c < columnCount; c++, n++)
                {
                    Check(db, Bind(statement, c + 1, rows.Values[n]));
                }
                var rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    var failure = Failure(db, rc);
                    raw.sqlite3_reset(statement);
                    throw failure;
                }
                ids[r] = raw.sqlite3_last_insert_rowid(db);
                Check(db, raw.sqlite3_reset(statement));
            }
        }
        return ids;
    }

    private static int Bind(sqlite3_stmt statement, int index, in Value value) => value.Kind switch
    {
        Kind.Null => raw.sqlite3_bind_null(statement, index),
        Kind.Integer => raw.sqlite3_bind_int64(statement, index, value.Integer),
        Kind.Real => raw.sqlite3_bind_double(statement, index, value.Real),
        Kind.Text => raw.sqlite3_bind_text(statement, index, value.Bytes),
        _ => raw.sqlite3_bind_blob(statement, index, value.Bytes),
    };

    private static Value Convert(object value, ref object? lastValue, ref byte[]? lastText)
    {
        if (value is string or DateTime or decimal)
        {
            // The same string object, or an equal DateTime or decimal (whose text is the same whatever the Kind or scale).
            if (!(ReferenceEquals(value, lastValue) || value is not string && value.Equals(lastValue)))
            {
                lastText = Encoding.UTF8.GetBytes(Text(value));
                lastValue = value;
            }
            return new Value(Kind.Text, Bytes: lastText);
        }
        return ConvertOther(value);
    }

    /// <summary>Microsoft.Data.Sqlite's text for DateTime and decimal parameters (SqliteValueBinder).</summary>
    private static string Text(object value) => value switch
    {
        DateTime d => d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.0###########################", CultureInfo.InvariantCulture),
        _ => (string)value,
    };

    private static Value ConvertOther(object value) => value switch
    {
        DBNull => new Value(Kind.Null),
        int i => new Value(Kind.Integer, i),
        long l => new Value(Kind.Integer, l),
        short s => new Value(Kind.Integer, s),
        byte b => new Value(Kind.Integer, b),
        bool b => new Value(Kind.Integer, b ? 1 : 0),
        double d => new Value(Kind.Real, Real: d),
        byte[] b => new Value(Kind.Blob, Bytes: b),
        _ => throw new NotSupportedException($"Binding a {value.GetType().Name} is not supported here (see CanBind)."),
    };

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Failure(db, rc);
        }
    }

    /// <summary>As a failed SaveChanges reports it, so DbErrors and RetryOnConcurrency read it the same way.</summary>
    private static DbUpdateException Failure(sqlite3 db, int rc) =>
        new("Inserting rows failed.", new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db)));
}
