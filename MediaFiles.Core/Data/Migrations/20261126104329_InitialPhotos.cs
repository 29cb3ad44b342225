using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialPhotos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accounts_user",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 150, nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accounts_user", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hospitals_ward",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    hospital = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hospitals_ward", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mediafiles_auditentry",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    media_file_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    event_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    success = table.Column<bool>(type: "INTEGER", nullable: false),
                    details = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_auditentry", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mediafiles_mediafile",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    file_path = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    original_filename = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    mime_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    width = table.Column<int>(type: "INTEGER", nullable: true),
                    height = table.Column<int>(type: "INTEGER", nullable: true),
                    duration_seconds = table.Column<double>(type: "REAL", nullable: true),
                    video_codec = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    audio_codec = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    bitrate = table.Column<long>(type: "INTEGER", nullable: true),
                    frame_rate = table.Column<double>(type: "REAL", nullable: true),
                    metadata_json = table.Column<string>(type: "TEXT", nullable: false),
                    reference_count = table.Column<int>(type: "INTEGER", nullable: false),
                    staged_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    staged_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_mediafile", x => x.id);
                    table.CheckConstraint("CK_mediafile_refcount", "reference_count >= 0");
                });

            migrationBuilder.CreateTable(
                name: "accounts_user_wards",
                columns: table => new
                {
                    app_user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    wards_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accounts_user_wards", x => new { x.app_user_id, x.wards_id });
                    table.ForeignKey(
                        name: "FK_accounts_user_wards_accounts_user_app_user_id",
                        column: x => x.app_user_id,
                        principalTable: "accounts_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_accounts_user_wards_hospitals_ward_wards_id",
                        column: x => x.wards_id,
                        principalTable: "hospitals_ward",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "patients_patient",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    birthday = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    ward_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    bed = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patients_patient", x => x.id);
                    table.ForeignKey(
                        name: "FK_patients_patient_hospitals_ward_ward_id",
                        column: x => x.ward_id,
                        principalTable: "hospitals_ward",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mediafiles_stagedupload",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    media_file_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    uploaded_by_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    uploaded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    was_duplicate = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_stagedupload", x => x.id);
                    table.ForeignKey(
                        name: "FK_mediafiles_stagedupload_mediafiles_mediafile_media_file_id",
                        column: x => x.media_file_id,
                        principalTable: "mediafiles_mediafile",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "events_event",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_type = table.Column<int>(type: "INTEGER", nullable: false),
                    event_datetime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_by_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events_event", x => x.id);
                    table.CheckConstraint("CK_events_event_type", "event_type IN (3, 9, 10)");
                    table.ForeignKey(
                        name: "FK_events_event_accounts_user_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "accounts_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_events_event_accounts_user_updated_by_id",
                        column: x => x.updated_by_id,
                        principalTable: "accounts_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_events_event_patients_patient_patient_id",
                        column: x => x.patient_id,
                        principalTable: "patients_patient",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mediafiles_photo",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    media_file_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mediafiles_photo", x => x.id);
                    table.ForeignKey(
                        name: "FK_mediafiles_photo_events_event_id",
                        column: x => x.id,
                        principalTable: "events_event",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_mediafiles_photo_mediafiles_mediafile_media_file_id",
                        column: x => x.media_file_id,
                        principalTable: "mediafiles_mediafile",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_accounts_user_subject",
                table: "accounts_user",
                column: "subject",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_accounts_user_wards_wards_id",
                table: "accounts_user_wards",
                column: "wards_id");

            migrationBuilder.CreateIndex(
                name: "IX_events_event_created_by_id_event_datetime",
                table: "events_event",
                columns: new[] { "created_by_id", "event_datetime" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_events_event_event_type_event_datetime",
                table: "events_event",
                columns: new[] { "event_type", "event_datetime" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_events_event_patient_id_event_datetime",
                table: "events_event",
                columns: new[] { "patient_id", "event_datetime" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_events_event_updated_by_id",
                table: "events_event",
                column: "updated_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_auditentry_at",
                table: "mediafiles_auditentry",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_auditentry_media_file_id_at",
                table: "mediafiles_auditentry",
                columns: new[] { "media_file_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_mediafile_sha256",
                table: "mediafiles_mediafile",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_mediafile_staged_at",
                table: "mediafiles_mediafile",
                column: "staged_at");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_photo_media_file_id",
                table: "mediafiles_photo",
                column: "media_file_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_stagedupload_media_file_id",
                table: "mediafiles_stagedupload",
                column: "media_file_id");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_stagedupload_uploaded_at",
                table: "mediafiles_stagedupload",
                column: "uploaded_at");

            migrationBuilder.CreateIndex(
                name: "IX_mediafiles_stagedupload_uploaded_by_id_media_file_id",
                table: "mediafiles_stagedupload",
                columns: new[] { "uploaded_by_id", "media_file_id" });

            migrationBuilder.CreateIndex(
                name: "IX_patients_patient_ward_id_name",
                table: "patients_patient",
                columns: new[] { "ward_id", "name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accounts_user_wards");

            migrationBuilder.DropTable(
                name: "mediafiles_auditentry");

            migrationBuilder.DropTable(
                name: "mediafiles_photo");

            migrationBuilder.DropTable(
                name: "mediafiles_stagedupload");

            migrationBuilder.DropTable(
                name: "events_event");

            migrationBuilder.DropTable(
                name: "mediafiles_mediafile");

            migrationBuilder.DropTable(
                name: "accounts_user");

            migrationBuilder.DropTable(
                name: "patients_patient");

            migrationBuilder.DropTable(
                name: "hospitals_ward");
        }
    }
}
