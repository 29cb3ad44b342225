using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class PhotoSeries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mediafiles_photoseries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    caption = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_photoseries", x => x.id);
                    table.ForeignKey(
                        name: "FK_mediafiles_photoseries_events_event_id",
                        column: x => x.id,
                        principalTable: "events_event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mediafiles_photoseriesfile",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    series_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    media_file_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    order_index = table.Column<int>(type: "INTEGER", nullable: false),
                    caption = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_photoseriesfile", x => x.id);
                    table.CheckConstraint("CK_photoseriesfile_order", "order_index <> 0");
                    table.ForeignKey(
                        name: "FK_mediafiles_photoseriesfile_mediafiles_mediafile_media_file_id",
                        column: x => x.media_file_id,
                        principalTable: "mediafiles_mediafile",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mediafiles_photoseriesfile_mediafiles_photoseries_series_id",
                        column: x => x.series_id,
                        principalTable: "mediafiles_photoseries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_photoseriesfile_media_file_id",
                table: "mediafiles_photoseriesfile",
                column: "media_file_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_photoseriesfile_series_id_media_file_id",
                table: "mediafiles_photoseriesfile",
                columns: new[] { "series_id", "media_file_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_photoseriesfile_series_id_order_index",
                table: "mediafiles_photoseriesfile",
                columns: new[] { "series_id", "order_index" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mediafiles_photoseriesfile");

            migrationBuilder.DropTable(
                name: "mediafiles_photoseries");
        }
    }
}
