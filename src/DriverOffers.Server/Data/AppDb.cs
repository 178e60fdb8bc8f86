using DriverOffers.Server.Features.Auth;
using DriverOffers.Server.Features.Chat;
using DriverOffers.Server.Features.Drivers;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Outbox;
using DriverOffers.Server.Features.Presence;
using DriverOffers.Server.Features.Proposals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DriverOffers.Server.Data;

/// <summary>
/// The product's database. <c>users</c> and <c>Trucks</c> belong to the legacy dispatch system: they are mapped
/// with their own names but excluded from migrations, so migrations never create, alter or drop them
/// (see docs/decisions/001-legacy-tables.md).
/// This is the one model; each provider has a thin subclass (Data/Providers) only so that it can carry its own
/// migration set (docs/decisions/050-database-providers.md). Code everywhere depends on <see cref="AppDb"/>.
/// </summary>
public abstract class AppDb(DbContextOptions options) : DbContext(options)
{
    /// <summary>
    /// Names the database this context talks to, read from the options, so hot paths can key caches by database
    /// (one process may host several servers: the tests do) without initializing the context's services.
    /// </summary>
    public string DatabaseKey { get; } =
        options.Extensions.OfType<Microsoft.EntityFrameworkCore.Infrastructure.RelationalOptionsExtension>().FirstOrDefault()?.ConnectionString ?? "";

    /// <summary>The application's services (the host's container), or null for a context made outside a host.</summary>
    public IServiceProvider? ApplicationServices { get; } =
        options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.ApplicationServiceProvider;

    /// <summary>
    /// Whether a list can go to the database as one array parameter (<c>EF.Parameter(ids).Contains(x)</c>: json_each on
    /// SQLite, ANY on PostgreSQL) instead of one parameter per item; Oracle's MySQL provider can't translate that.
    /// </summary>
    public virtual bool TakesListParameters => true;

    /// <summary>The trucks with these ids, asked in one statement whatever the count.</summary>
    public IQueryable<Truck> TrucksWithIds(int[] ids) => TakesListParameters
        ? Trucks.Where(t => EF.Parameter(ids).Contains(t.Id))
        : Trucks.Where(t => ids.Contains(t.Id));

    /// <summary>The offers with these ids, asked in one statement whatever the count.</summary>
    public IQueryable<Offer> OffersWithIds(int[] ids) => TakesListParameters
        ? Offers.Where(o => EF.Parameter(ids).Contains(o.Id))
        : Offers.Where(o => ids.Contains(o.Id));

    /// <summary>
    /// Saves, first locking the offers of any chat message being added (see <see cref="LockConversations"/>), in one
    /// transaction with the save.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var offers = ChangeTracker.Entries<ChatMessage>().Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity.OfferId).Where(id => id > 0).Distinct().ToArray();
        if (offers.Length == 0 || Database.IsSqlite())
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (Database.CurrentTransaction is not null)
        {
            await LockConversations(offers, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        await using var tx = await Database.BeginTransactionAsync(cancellationToken);
        await LockConversations(offers, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Begins a transaction that takes the offer's row lock before anything is read, for a use case that reads the offer
    /// and then changes it (docs/decisions/108-racing-writers-lock-the-offer-first.md). Writers racing on one offer queue
    /// here and each reads what the one before it committed. Reading first and locking only in the save let all of them
    /// read one version, so each round all but one failed the version check and ran again: fifty accepts at once cost
    /// ~1,200 lock waits and re-reads. The version column stays the safety net for any writer that does not lock.
    /// The lock is the one <see cref="LockConversations"/> takes, so a save adding chat messages re-takes a lock it holds.
    /// SQLite: the transaction Microsoft.Data.Sqlite begins is IMMEDIATE, so it holds the database's one write lock from
    /// here on (Data/OfferLockTests), waiting up to busy_timeout for it, as any write does.
    /// </summary>
    public async Task<OfferLock> LockOffer(int offerId, CancellationToken ct)
    {
        var tx = await Database.BeginTransactionAsync(ct);
        try
        {
            await LockConversations([offerId], ct);
            return new OfferLock(this, tx);
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Call in a transaction before inserting chat messages of these offers. A reader catches up with "everything after
    /// the last id I have", so within a conversation ids must become visible in id order. MariaDB and PostgreSQL hand out
    /// ids at insert but show rows at commit: two transactions writing one conversation (each server's chat writer, and
    /// the use cases writing rate proposals and system messages) could commit id 11 before id 10, and a reader who read
    /// 11 in between never got 10. Holding the offer's row lock from before the insert until the commit puts a
    /// conversation's inserts one after the other. SQLite needs nothing: its one writer holds the database till commit.
    /// Locks are taken in id order, so writers of several offers can't deadlock on each other; a lock lost to a deadlock
    /// or a timeout is thrown as a <see cref="DbUpdateException"/>, which the use cases already retry.
    /// </summary>
    public async Task LockConversations(IEnumerable<int> offerIds, CancellationToken ct)
    {
        if (Database.IsSqlite())
        {
            return;
        }
        var ids = string.Join(",", offerIds.Distinct().Order().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (ids.Length == 0)
        {
            return;
        }
        // FOR NO KEY UPDATE on PostgreSQL: it conflicts with the version-bumping UPDATEs and with itself, not with the
        // inserts whose foreign key only needs the offer to exist.
        var lockClause = Database.IsNpgsql() ? "FOR NO KEY UPDATE" : "FOR UPDATE";
        // The ids are integers formatted here, not input.
        var sql = $"SELECT id FROM offers WHERE id IN ({ids}) ORDER BY id {lockClause}";
        try
        {
            await Database.ExecuteSqlRawAsync(sql, ct);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new DbUpdateException("Locking the offers' conversations failed.", e);
        }
    }

    public DbSet<User> Users => Set<User>();
    public DbSet<Truck> Trucks => Set<Truck>();
    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<Proposal> Proposals => Set<Proposal>();
    public DbSet<ChatMessage> ChatMessages => Set<ChatMessage>();
    public DbSet<SocketSession> SocketSessions => Set<SocketSession>();
    public DbSet<DriverAccessCode> DriverAccessCodes => Set<DriverAccessCode>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<RevokedToken> RevokedTokens => Set<RevokedToken>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; providers hand DateTime back as Unspecified, which would serialize without 'Z'.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(12, 2);
        configurationBuilder.Properties<decimal?>().HavePrecision(12, 2);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users", t => t.ExcludeFromMigrations());
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Username).HasColumnName("username").HasMaxLength(100);
            e.Property(x => x.Email).HasColumnName("email").HasMaxLength(255);
            e.Property(x => x.Password).HasColumnName("password").HasMaxLength(255);
            e.Property(x => x.FullName).HasColumnName("full_name").HasMaxLength(255);
            e.Property(x => x.MobileNumber).HasColumnName("mobile_number").HasMaxLength(50);
            e.Property(x => x.Role).HasColumnName("role").HasMaxLength(20);
            e.Property(x => x.IsActive).HasColumnName("is_active");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Ignore(x => x.IsSupervisor);
        });

        modelBuilder.Entity<Truck>(e =>
        {
            e.ToTable("Trucks", t => t.ExcludeFromMigrations());
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("ID");
            e.Property(x => x.TruckNumber).HasColumnName("TruckNumber");
            e.Property(x => x.Status).HasColumnName("Status");
            e.Property(x => x.DriverName).HasColumnName("DriverName");
            e.Property(x => x.CellPhone).HasColumnName("CellPhone");
            e.Property(x => x.CityStateZip).HasColumnName("CityStateZip");
            e.Property(x => x.Dimensions).HasColumnName("Dimensions");
            e.Property(x => x.Rate).HasColumnName("rate");
            e.Property(x => x.Mail).HasColumnName("mail");
            e.Property(x => x.Latitude).HasColumnName("latitude").HasPrecision(10, 8);
            e.Property(x => x.Longitude).HasColumnName("longitude").HasPrecision(11, 8);
            e.Property(x => x.AssignedDispatcherId).HasColumnName("assigned_dispatcher_id");
            e.Property(x => x.IsActive).HasColumnName("isActive");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });

        modelBuilder.Entity<Offer>(e =>
        {
            e.ToTable("offers");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.CreatedBy).HasColumnName("created_by");
            e.Property(x => x.PickupLocation).HasColumnName("pickup_location").HasMaxLength(500);
            e.Property(x => x.PickupLat).HasColumnName("pickup_lat");
            e.Property(x => x.PickupLon).HasColumnName("pickup_lon");
            e.Property(x => x.DeliveryLocation).HasColumnName("delivery_location").HasMaxLength(500);
            e.Property(x => x.DeliveryLat).HasColumnName("delivery_lat");
            e.Property(x => x.DeliveryLon).HasColumnName("delivery_lon");
            e.Property(x => x.PickupWindowStart).HasColumnName("pickup_window_start");
            e.Property(x => x.PickupWindowEnd).HasColumnName("pickup_window_end");
            e.Property(x => x.DeliveryWindowStart).HasColumnName("delivery_window_start");
            e.Property(x => x.DeliveryWindowEnd).HasColumnName("delivery_window_end");
            e.Property(x => x.WeightLbs).HasColumnName("weight_lbs");
            e.Property(x => x.Dimensions).HasColumnName("dimensions").HasMaxLength(100);
            e.Property(x => x.DistanceMiles).HasColumnName("distance_miles");
            e.Property(x => x.ProposedRate).HasColumnName("proposed_rate");
            e.Property(x => x.Status).HasColumnName("status").HasMaxLength(20);
            e.Property(x => x.Notes).HasColumnName("notes").HasMaxLength(4000);
            e.Property(x => x.AutoBook).HasColumnName("auto_book");
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.ExpiryAnnouncedAt).HasColumnName("expiry_announced_at");
            e.Property(x => x.BookedDriverId).HasColumnName("booked_driver_id");
            e.Property(x => x.BookedRate).HasColumnName("booked_rate");
            e.Property(x => x.BookedAt).HasColumnName("booked_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
            e.HasIndex(x => x.CreatedBy).HasDatabaseName("idx_offers_created_by");
            e.HasIndex(x => x.Status).HasDatabaseName("idx_offers_status");
            // The expiry announcer's one question (the next expiry still to tell, among active offers) is a seek on this.
            e.HasIndex(x => new { x.Status, x.ExpiryAnnouncedAt, x.ExpiresAt }).HasDatabaseName("idx_offers_expiry_due");
        });

        modelBuilder.Entity<Proposal>(e =>
        {
            e.ToTable("offer_proposals");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OfferId).HasColumnName("offer_id");
            e.Property(x => x.DriverId).HasColumnName("driver_id");
            // A concurrency token: an answer saved on a status that changed meanwhile fails and is retried on fresh state.
            // Every answer but the first view also bumps the offer's version; without this a tab sending "view" while
            // another accepted put the accepted (even booked) proposal back to "viewed".
            e.Property(x => x.Status).HasColumnName("status").HasMaxLength(20).IsConcurrencyToken();
            e.Property(x => x.DriverProposedRate).HasColumnName("driver_proposed_rate");
            e.Property(x => x.DispatcherProposedRate).HasColumnName("dispatcher_proposed_rate");
            e.Property(x => x.AgreedRate).HasColumnName("agreed_rate");
            e.Property(x => x.ViewedAt).HasColumnName("viewed_at");
            e.Property(x => x.RespondedAt).HasColumnName("responded_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.LinkUsedAt).HasColumnName("link_used_at");
            e.Ignore(x => x.IsFinal);
            e.HasIndex(x => new { x.OfferId, x.DriverId }).IsUnique().HasDatabaseName("unique_offer_driver");
            e.HasIndex(x => x.DriverId).HasDatabaseName("idx_proposals_driver");
            e.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ChatMessage>(e =>
        {
            e.ToTable("chat_messages");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OfferId).HasColumnName("offer_id");
            e.Property(x => x.DriverId).HasColumnName("driver_id");
            e.Property(x => x.SenderType).HasColumnName("sender_type").HasMaxLength(20);
            e.Property(x => x.SenderId).HasColumnName("sender_id");
            e.Property(x => x.Message).HasColumnName("message").HasMaxLength(ChatMessage.MaxLength);
            e.Property(x => x.MessageType).HasColumnName("message_type").HasMaxLength(20);
            e.Property(x => x.Rate).HasColumnName("rate");
            e.Property(x => x.IsRead).HasColumnName("is_read");
            e.Property(x => x.ReadAt).HasColumnName("read_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.ClientMessageId).HasColumnName("client_message_id").HasMaxLength(ChatMessage.MaxClientMessageIdLength);
            e.HasIndex(x => new { x.OfferId, x.DriverId, x.Id }).HasDatabaseName("idx_chat_conversation");
            e.HasIndex(x => new { x.SenderType, x.SenderId, x.ClientMessageId }).IsUnique().HasDatabaseName("unique_sender_client_message");
            e.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SocketSession>(e =>
        {
            e.ToTable("socket_sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.SocketId).HasColumnName("socket_id").HasMaxLength(255);
            e.Property(x => x.UserType).HasColumnName("user_type").HasMaxLength(20);
            e.Property(x => x.IsOnline).HasColumnName("is_online");
            e.Property(x => x.LastSeen).HasColumnName("last_seen");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => x.UserId).HasDatabaseName("idx_user_id");
            e.HasIndex(x => x.SocketId).HasDatabaseName("idx_socket_id");
            e.HasIndex(x => x.UserType).HasDatabaseName("idx_user_type");
        });

        modelBuilder.Entity<DriverAccessCode>(e =>
        {
            e.ToTable("driver_access_codes");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.TruckId).HasColumnName("truck_id");
            e.Property(x => x.OfferId).HasColumnName("offer_id");
            e.Property(x => x.Purpose).HasColumnName("purpose").HasMaxLength(20);
            e.Property(x => x.CodeHash).HasColumnName("code_hash").HasMaxLength(64);
            e.Property(x => x.Phone).HasColumnName("phone").HasMaxLength(32);
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.UsedAt).HasColumnName("used_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => x.CodeHash).HasDatabaseName("idx_access_code_hash");
            e.HasIndex(x => x.Phone).HasDatabaseName("idx_access_code_phone");
        });

        modelBuilder.Entity<RevokedToken>(e =>
        {
            e.ToTable("revoked_tokens");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(RevokedToken.IdLength);
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.RevokedAt).HasColumnName("revoked_at");
            // Other servers read what was revoked since their last look; the clean-up deletes by expiry.
            e.HasIndex(x => x.RevokedAt).HasDatabaseName("idx_revoked_tokens_revoked_at");
            e.HasIndex(x => x.ExpiresAt).HasDatabaseName("idx_revoked_tokens_expires_at");
        });

        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OfferId).HasColumnName("offer_id");
            e.Property(x => x.TruckId).HasColumnName("truck_id");
            e.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(10);
            e.Property(x => x.Recipient).HasColumnName("recipient").HasMaxLength(255);
            e.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(255);
            e.Property(x => x.Body).HasColumnName("body").HasMaxLength(2000);
            e.Property(x => x.Link).HasColumnName("link").HasMaxLength(1000);
            e.Property(x => x.Status).HasColumnName("status").HasMaxLength(10);
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(1000);
            e.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.HasIndex(x => x.OfferId).HasDatabaseName("idx_outbox_offer");
            e.HasIndex(x => new { x.Status, x.NextAttemptAt }).HasDatabaseName("idx_outbox_due");
        });
    }

    internal sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
