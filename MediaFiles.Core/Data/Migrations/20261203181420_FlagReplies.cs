using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class FlagReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "resolved_at",
                table: "mediafiles_reviewmark",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "resolved_by_id",
                table: "mediafiles_reviewmark",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mediafiles_flagreply",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    mark_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    author_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_flagreply", x => x.id);
                    table.ForeignKey(
                        name: "FK_mediafiles_flagreply_accounts_user_author_id",
                        column: x => x.author_id,
                        principalTable: "accounts_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mediafiles_flagreply_mediafiles_reviewmark_mark_id",
                        column: x => x.mark_id,
                        principalTable: "mediafiles_reviewmark",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_reviewmark_resolved_by_id",
                table: "mediafiles_reviewmark",
                column: "resolved_by_id");

            migrationBuilder.AddCheckConstraint(
                name: "CK_reviewmark_resolved_flag",
                table: "mediafiles_reviewmark",
                sql: "resolved_at IS NULL OR (kind = 2 AND resolved_by_id IS NOT NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_flagreply_author_id",
                table: "mediafiles_flagreply",
                column: "author_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_flagreply_mark_id_at",
                table: "mediafiles_flagreply",
                columns: new[] { "mark_id", "at" });

            migrationBuilder.AddForeignKey(
                name: "FK_mediafiles_reviewmark_accounts_user_resolved_by_id",
                table: "mediafiles_reviewmark",
                column: "resolved_by_id",
                principalTable: "accounts_user",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_mediafiles_reviewmark_accounts_user_resolved_by_id",
                table: "mediafiles_reviewmark");

            migrationBuilder.DropTable(
                name: "mediafiles_flagreply");

            migrationBuilder.DropIndex(
                name: "IX_mediafiles_reviewmark_resolved_by_id",
                table: "mediafiles_reviewmark");

            migrationBuilder.DropCheckConstraint(
                name: "CK_reviewmark_resolved_flag",
                table: "mediafiles_reviewmark");

            migrationBuilder.DropColumn(
                name: "resolved_at",
                table: "mediafiles_reviewmark");

            migrationBuilder.DropColumn(
                name: "resolved_by_id",
                table: "mediafiles_reviewmark");
        }
    }
}
