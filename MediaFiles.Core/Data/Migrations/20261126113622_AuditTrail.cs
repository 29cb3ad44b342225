using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "client_address",
                table: "mediafiles_auditentry",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_auditentry_action_at",
                table: "mediafiles_auditentry",
                columns: new[] { "action", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_auditentry_user_id_at",
                table: "mediafiles_auditentry",
                columns: new[] { "user_id", "at" });

            // Append-only, also against raw SQL and ExecuteUpdate/ExecuteDelete.
            migrationBuilder.Sql("CREATE TRIGGER mediafiles_auditentry_no_update BEFORE UPDATE ON mediafiles_auditentry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER mediafiles_auditentry_no_delete BEFORE DELETE ON mediafiles_auditentry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS mediafiles_auditentry_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS mediafiles_auditentry_no_delete;");

            migrationBuilder.DropIndex(
                name: "IX_mediafiles_auditentry_action_at",
                table: "mediafiles_auditentry");

            migrationBuilder.DropIndex(
                name: "IX_mediafiles_auditentry_user_id_at",
                table: "mediafiles_auditentry");

            migrationBuilder.DropColumn(
                name: "client_address",
                table: "mediafiles_auditentry");
        }
    }
}
