using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class VideoClips : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "playable_error",
                table: "mediafiles_mediafile",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "playable_progress",
                table: "mediafiles_mediafile",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "playable_state",
                table: "mediafiles_mediafile",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "mediafiles_videoclip",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    caption = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    media_file_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_videoclip", x => x.id);
                    table.ForeignKey(
                        name: "FK_mediafiles_videoclip_events_event_id",
                        column: x => x.id,
                        principalTable: "events_event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_mediafiles_videoclip_mediafiles_mediafile_media_file_id",
                        column: x => x.media_file_id,
                        principalTable: "mediafiles_mediafile",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_mediafile_playable_state",
                table: "mediafiles_mediafile",
                column: "playable_state");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_videoclip_media_file_id",
                table: "mediafiles_videoclip",
                column: "media_file_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mediafiles_videoclip");

            migrationBuilder.DropIndex(
                name: "IX_mediafiles_mediafile_playable_state",
                table: "mediafiles_mediafile");

            migrationBuilder.DropColumn(
                name: "playable_error",
                table: "mediafiles_mediafile");

            migrationBuilder.DropColumn(
                name: "playable_progress",
                table: "mediafiles_mediafile");

            migrationBuilder.DropColumn(
                name: "playable_state",
                table: "mediafiles_mediafile");
        }
    }
}
