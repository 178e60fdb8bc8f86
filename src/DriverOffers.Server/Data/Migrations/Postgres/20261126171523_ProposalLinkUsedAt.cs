using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DriverOffers.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProposalLinkUsedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "link_used_at",
                table: "offer_proposals",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "link_used_at",
                table: "offer_proposals");
        }
    }
}
