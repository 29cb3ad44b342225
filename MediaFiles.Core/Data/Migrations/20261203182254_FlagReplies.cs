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
            migrationBuilder.CreateTable(
                name: "mediafiles_flagreply",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    mark_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    resolves = table.Column<bool>(type: "INTEGER", nullable: false),
                    author_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_flagreply", x => x.id);
                    table.CheckConstraint("CK_flagreply_text", "resolves = 1 OR length(text) > 0");
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
                name: "IX_mediafiles_flagreply_author_id",
                table: "mediafiles_flagreply",
                column: "author_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_flagreply_mark_id_at",
                table: "mediafiles_flagreply",
                columns: new[] { "mark_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_flagreply_resolution",
                table: "mediafiles_flagreply",
                column: "mark_id",
                unique: true,
                filter: "resolves = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mediafiles_flagreply");
        }
    }
}
