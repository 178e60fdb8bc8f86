using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DriverOffers.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "driver_access_codes",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    truck_id = table.Column<int>(type: "INTEGER", nullable: false),
                    offer_id = table.Column<int>(type: "INTEGER", nullable: true),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    code_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_driver_access_codes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "offers",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    created_by = table.Column<int>(type: "INTEGER", nullable: false),
                    pickup_location = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    pickup_lat = table.Column<double>(type: "REAL", nullable: true),
                    pickup_lon = table.Column<double>(type: "REAL", nullable: true),
                    delivery_location = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    delivery_lat = table.Column<double>(type: "REAL", nullable: true),
                    delivery_lon = table.Column<double>(type: "REAL", nullable: true),
                    pickup_window_start = table.Column<DateTime>(type: "TEXT", nullable: true),
                    pickup_window_end = table.Column<DateTime>(type: "TEXT", nullable: true),
                    delivery_window_start = table.Column<DateTime>(type: "TEXT", nullable: true),
                    delivery_window_end = table.Column<DateTime>(type: "TEXT", nullable: true),
                    weight_lbs = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    dimensions = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    distance_miles = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    proposed_rate = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    auto_book = table.Column<bool>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    booked_driver_id = table.Column<int>(type: "INTEGER", nullable: true),
                    booked_rate = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    booked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_offers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    offer_id = table.Column<int>(type: "INTEGER", nullable: true),
                    truck_id = table.Column<int>(type: "INTEGER", nullable: true),
                    channel = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    body = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    link = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    next_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "socket_sessions",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<int>(type: "INTEGER", nullable: false),
                    socket_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    is_online = table.Column<bool>(type: "INTEGER", nullable: false),
                    last_seen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_socket_sessions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "chat_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    offer_id = table.Column<int>(type: "INTEGER", nullable: false),
                    driver_id = table.Column<int>(type: "INTEGER", nullable: false),
                    sender_type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    sender_id = table.Column<int>(type: "INTEGER", nullable: false),
                    message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    message_type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    rate = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    is_read = table.Column<bool>(type: "INTEGER", nullable: false),
                    read_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    client_message_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_messages", x => x.id);
                    table.ForeignKey(
                        name: "FK_chat_messages_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "offer_proposals",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    offer_id = table.Column<int>(type: "INTEGER", nullable: false),
                    driver_id = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    driver_proposed_rate = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    dispatcher_proposed_rate = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    agreed_rate = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    viewed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    responded_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_offer_proposals", x => x.id);
                    table.ForeignKey(
                        name: "FK_offer_proposals_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "idx_chat_conversation",
                table: "chat_messages",
                columns: new[] { "offer_id", "driver_id", "id" });

            migrationBuilder.CreateIndex(
                name: "unique_sender_client_message",
                table: "chat_messages",
                columns: new[] { "sender_type", "sender_id", "client_message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "idx_access_code_hash",
                table: "driver_access_codes",
                column: "code_hash");

            migrationBuilder.CreateIndex(
                name: "idx_access_code_phone",
                table: "driver_access_codes",
                column: "phone");

            migrationBuilder.CreateIndex(
                name: "idx_proposals_driver",
                table: "offer_proposals",
                column: "driver_id");

            migrationBuilder.CreateIndex(
                name: "unique_offer_driver",
                table: "offer_proposals",
                columns: new[] { "offer_id", "driver_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "idx_offers_created_by",
                table: "offers",
                column: "created_by");

            migrationBuilder.CreateIndex(
                name: "idx_offers_status",
                table: "offers",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "idx_outbox_due",
                table: "outbox_messages",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "idx_outbox_offer",
                table: "outbox_messages",
                column: "offer_id");

            migrationBuilder.CreateIndex(
                name: "idx_socket_id",
                table: "socket_sessions",
                column: "socket_id");

            migrationBuilder.CreateIndex(
                name: "idx_user_id",
                table: "socket_sessions",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "idx_user_type",
                table: "socket_sessions",
                column: "user_type");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chat_messages");

            migrationBuilder.DropTable(
                name: "driver_access_codes");

            migrationBuilder.DropTable(
                name: "offer_proposals");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "socket_sessions");

            migrationBuilder.DropTable(
                name: "offers");
        }
    }
}
