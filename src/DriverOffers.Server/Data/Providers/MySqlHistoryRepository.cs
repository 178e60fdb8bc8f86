using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace DriverOffers.Server.Data.Providers;

/// <summary>
/// The migrations history table and migration lock for MySQL and MariaDB. It replaces MySql.EntityFrameworkCore's own
/// (same SQL otherwise), whose lock is <c>GET_LOCK(name, -1)</c> read as BIGINT: MariaDB answers NULL to a negative
/// timeout and returns INT, so every migration failed there. This one waits a long finite time and reads any integer.
/// </summary>
internal sealed class MySqlHistoryRepository(HistoryRepositoryDependencies dependencies) : HistoryRepository(dependencies)
{
    private const string LockName = "__EFMigrationsLock";
    private static readonly TimeSpan LockWait = TimeSpan.FromHours(1);

    // GET_LOCK belongs to the session: it is released when the connection closes.
    public override LockReleaseBehavior LockReleaseBehavior => LockReleaseBehavior.Connection;

    protected override string ExistsSql
    {
        get
        {
            var text = Dependencies.TypeMappingSource.GetMapping(typeof(string));
            var schema = TableSchema ?? Dependencies.Connection.DbConnection.Database;
            return $"SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA={text.GenerateSqlLiteral(schema)} AND TABLE_NAME={text.GenerateSqlLiteral(TableName)};";
        }
    }

    protected override bool InterpretExistsResult(object? value) => value is not null and not DBNull;

    public override string GetCreateIfNotExistsScript()
    {
        var script = GetCreateScript();
        var at = script.IndexOf("CREATE TABLE", StringComparison.Ordinal) + "CREATE TABLE".Length;
        return script.Insert(at, " IF NOT EXISTS");
    }

    public override string GetBeginIfNotExistsScript(string migrationId) => BeginIf("IF NOT EXISTS", migrationId);

    public override string GetBeginIfExistsScript(string migrationId) => BeginIf("IF EXISTS", migrationId);

    public override string GetEndIfScript() => "END;" + Environment.NewLine;

    public override IMigrationsDatabaseLock AcquireDatabaseLock()
    {
        Dependencies.MigrationsLogger.AcquiringMigrationLock();
        var result = Command(GetLockSql).ExecuteScalar(Parameters());
        return Acquired(result);
    }

    public override async Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default)
    {
        Dependencies.MigrationsLogger.AcquiringMigrationLock();
        var result = await Command(GetLockSql).ExecuteScalarAsync(Parameters(), cancellationToken);
        return Acquired(result);
    }

    private static string GetLockSql => $"SELECT GET_LOCK('{LockName}', {(int)LockWait.TotalSeconds});";

    private Lock Acquired(object? result)
    {
        if (result is null or DBNull || Convert.ToInt64(result, CultureInfo.InvariantCulture) != 1)
        {
            throw new TimeoutException($"Another process held the migration lock ({LockName}) for {LockWait.TotalMinutes} minutes.");
        }
        return new Lock(this);
    }

    private string BeginIf(string condition, string migrationId)
    {
        var text = Dependencies.TypeMappingSource.GetMapping(typeof(string));
        return new StringBuilder()
            .Append(condition).Append("(SELECT * FROM ").Append(SqlGenerationHelper.DelimitIdentifier(TableName, TableSchema))
            .Append(" WHERE ").Append(SqlGenerationHelper.DelimitIdentifier(MigrationIdColumnName))
            .Append(" = ").Append(text.GenerateSqlLiteral(migrationId)).AppendLine(")")
            .Append("BEGIN")
            .ToString();
    }

    private IRelationalCommand Command(string sql) => Dependencies.RawSqlCommandBuilder.Build(sql);

    private RelationalCommandParameterObject Parameters() =>
        new(Dependencies.Connection, null, null, Dependencies.CurrentContext.Context, Dependencies.CommandLogger, CommandSource.Migrations);

    private sealed class Lock(MySqlHistoryRepository repository) : IMigrationsDatabaseLock
    {
        private const string ReleaseSql = $"SELECT RELEASE_LOCK('{LockName}');";

        public IHistoryRepository HistoryRepository => repository;

        public IMigrationsDatabaseLock ReacquireIfNeeded(bool connectionReopened, bool? transactionRestarted) =>
            connectionReopened ? repository.AcquireDatabaseLock() : this;

        public async Task<IMigrationsDatabaseLock> ReacquireIfNeededAsync(bool connectionReopened, bool? transactionRestarted, CancellationToken cancellationToken = default) =>
            connectionReopened ? await repository.AcquireDatabaseLockAsync(cancellationToken) : this;

        public void Dispose() => repository.Command(ReleaseSql).ExecuteScalar(repository.Parameters());

        public async ValueTask DisposeAsync() => await repository.Command(ReleaseSql).ExecuteScalarAsync(repository.Parameters());
    }
}
