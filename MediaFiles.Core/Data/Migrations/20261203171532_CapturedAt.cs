using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CapturedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "captured_at",
                table: "mediafiles_mediafile",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "captured_at",
                table: "mediafiles_mediafile");
        }
    }
}
