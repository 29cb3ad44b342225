#!/usr/bin/env bash
# Runs MediaFiles on its embedded default: SQLite file and media folder under ./data, migrations
# applied at start, demo ward seeded into an empty database, development sign-in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/prerequisites.sh"
mf_need_dotnet
mf_need_packages ffmpeg ffmpeg ffprobe ffmpeg

mkdir -p "$root/data"
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export ConnectionStrings__MediaFiles=${ConnectionStrings__MediaFiles:-"Data Source=$root/data/mediafiles.db"}
export MediaFiles__StorageRoot=${MediaFiles__StorageRoot:-"$root/data/media"}
url=${MEDIAFILES_URL:-http://localhost:5080}

echo "MediaFiles: data in $root/data — open $url and pick a demo user:"
echo "  nurse     Nora Lindqvist   Ward staff  Surgical Ward 3B"
echo "  reviewer  Dr. Ravi Menon   Reviewer    Surgical Ward 3B (starts on Live review)"
echo "  admin     Ada Okafor       Admin       both wards"
echo "  nurse-2a  Tomás Ferreira   Ward staff  Medical Ward 2A"
export ASPNETCORE_URLS=$url
exec dotnet run --project "$root/MediaFiles.Web" --no-launch-profile "$@"
