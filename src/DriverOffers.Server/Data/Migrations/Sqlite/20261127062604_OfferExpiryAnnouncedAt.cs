using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DriverOffers.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OfferExpiryAnnouncedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "expiry_announced_at",
                table: "offers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "idx_offers_expiry_due",
                table: "offers",
                columns: new[] { "status", "expiry_announced_at", "expires_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "idx_offers_expiry_due",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "expiry_announced_at",
                table: "offers");
        }
    }
}
