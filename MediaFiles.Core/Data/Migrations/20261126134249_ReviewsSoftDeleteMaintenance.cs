using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewsSoftDeleteMaintenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "deleted_at",
                table: "events_event",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "deleted_by_id",
                table: "events_event",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mediafiles_maintenancejob",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    progress = table.Column<int>(type: "INTEGER", nullable: false),
                    requested_by_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    requested_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    result_json = table.Column<string>(type: "TEXT", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_maintenancejob", x => x.id);
                    table.ForeignKey(
                        name: "FK_mediafiles_maintenancejob_accounts_user_requested_by_id",
                        column: x => x.requested_by_id,
                        principalTable: "accounts_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mediafiles_reviewmark",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 280, nullable: false),
                    reviewer_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_reviewmark", x => x.id);
                    table.CheckConstraint("CK_reviewmark_kind", "kind IN (1, 2)");
                    table.ForeignKey(
                        name: "FK_mediafiles_reviewmark_accounts_user_reviewer_id",
                        column: x => x.reviewer_id,
                        principalTable: "accounts_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mediafiles_reviewmark_events_event_event_id",
                        column: x => x.event_id,
                        principalTable: "events_event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_events_event_created_at",
                table: "events_event",
                column: "created_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "IX_events_event_deleted_at",
                table: "events_event",
                column: "deleted_at");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_maintenancejob_requested_at",
                table: "mediafiles_maintenancejob",
                column: "requested_at");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_maintenancejob_requested_by_id",
                table: "mediafiles_maintenancejob",
                column: "requested_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_maintenancejob_state_requested_at",
                table: "mediafiles_maintenancejob",
                columns: new[] { "state", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_reviewmark_event_id_at",
                table: "mediafiles_reviewmark",
                columns: new[] { "event_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_reviewmark_reviewer_id",
                table: "mediafiles_reviewmark",
                column: "reviewer_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mediafiles_maintenancejob");

            migrationBuilder.DropTable(
                name: "mediafiles_reviewmark");

            migrationBuilder.DropIndex(
                name: "IX_events_event_created_at",
                table: "events_event");

            migrationBuilder.DropIndex(
                name: "IX_events_event_deleted_at",
                table: "events_event");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                table: "events_event");

            migrationBuilder.DropColumn(
                name: "deleted_by_id",
                table: "events_event");
        }
    }
}
