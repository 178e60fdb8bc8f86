using System.Text.RegularExpressions;
using DriverOffers.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// Raw SQL as the legacy app would write it, on any provider: <c>[Name]</c> becomes the provider's quoted identifier
/// (PostgreSQL folds unquoted <c>Trucks</c> to <c>trucks</c>). Use TRUE/FALSE for flags, not 1/0.
/// </summary>
public static partial class LegacySql
{
    public static int ExecuteLegacySql(this ServerFixture server, string sql) => server.Scoped(db => Execute(db, sql));

    public static int Execute(AppDb db, string sql)
    {
        var helper = db.GetService<ISqlGenerationHelper>();
        return db.Database.ExecuteSqlRaw(Identifier().Replace(sql, m => helper.DelimitIdentifier(m.Groups[1].Value)));
    }

    [GeneratedRegex(@"\[(\w+)\]")]
    private static partial Regex Identifier();
}
