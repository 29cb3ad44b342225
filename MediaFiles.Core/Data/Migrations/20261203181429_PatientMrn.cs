using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaFiles.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class PatientMrn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "mrn",
                table: "patients_patient",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "patients_patient",
                type: "TEXT",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            // Patients from before MRNs get a placeholder (MRN-<first 8 hex of the id>) until the record
            // number is entered; search text is folded here as far as SQL can (lower case, common accents
            // of lower-case letters); the Core rewrites it exactly on the patient's next save.
            migrationBuilder.Sql("UPDATE patients_patient SET mrn = 'MRN-' || upper(substr(replace(id, '-', ''), 1, 8)) WHERE mrn = '';");
            migrationBuilder.Sql("UPDATE patients_patient SET search_text = "
                + "replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(lower(name || ' ' || mrn || coalesce(' ' || bed, '')), 'á', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'ã', 'a'), 'å', 'a'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'í', 'i'), 'ì', 'i'), 'î', 'i'), 'ï', 'i'), 'ó', 'o'), 'ò', 'o'), 'ô', 'o'), 'ö', 'o'), 'õ', 'o'), 'ø', 'o'), 'ú', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'ñ', 'n'), 'ç', 'c'), 'ý', 'y'), 'ÿ', 'y');");

            migrationBuilder.CreateIndex(
                name: "IX_patients_patient_mrn",
                table: "patients_patient",
                column: "mrn");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_patients_patient_mrn",
                table: "patients_patient");

            migrationBuilder.DropColumn(
                name: "mrn",
                table: "patients_patient");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "patients_patient");
        }
    }
}
