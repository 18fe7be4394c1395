#!/usr/bin/env bash
# Runner benchmark: apply N trivial revisions up to head and back to base
# with strata, with goose on the same migrations, and with the floor (the
# same statements in per-revision transactions with a version row, and
# nothing else: bench/floor), on SQLite (a file) and PostgreSQL (a fresh
# database this script creates and drops). Rounds are interleaved, the
# order of the tools rotating each round; the table gives each tool's
# median and, for the ratios, the median and quartiles of the ratios
# within each round (neighbours in time, so a shared machine's drift
# mostly cancels). Goal (issue 4): strata no slower than goose and within 1.3x of
# the floor.
#
# usage: bench/runner.sh [-n N] [-r ROUNDS] [-d sqlite,postgres,mysql] [-s on|off] [-b REV]
#   -n N        revisions (default $N or 1000)
#   -r ROUNDS   rounds per tool and database (default $ROUNDS or 5)
#   -d LIST     databases, comma separated (default $DATABASES or sqlite,postgres);
#               mysql is MySQL or MariaDB (a fresh database this script creates and drops)
#   -b REV      also time strata built at git revision REV (a fourth tool,
#               "base", in the same rounds), for before/after comparisons
#   -s off      durability off for every tool (SQLite synchronous=OFF,
#               PostgreSQL synchronous_commit=off), which takes the disk's
#               flushes out and leaves each tool's own cost (default $SYNC or on)
# environment:
#   PGHOST PGPORT PGUSER  the PostgreSQL server (default 127.0.0.1, 5432, postgres; trust auth)
#   MYSQL_HOST MYSQL_PORT MYSQL_USER  the MySQL/MariaDB server (default 127.0.0.1, 3306, root; no password)
#   GOOSE                 a goose binary to use instead of installing v3.29.0
#
# The table goes to standard output, progress and each sample to standard
# error; the exit status is 0 whether or not the goal is met. Nothing is
# written into the repository.
set -euo pipefail
# The Go toolchain of go.mod's toolchain line, taken from the module proxy
# (a machine keeps its own Go otherwise): it carries the standard-library
# security fixes the project builds with.
export GOTOOLCHAIN=go1.27.3

n=${N:-1000}
rounds=${ROUNDS:-5}
databases=${DATABASES:-sqlite,postgres}
sync=${SYNC:-on}
base=""
while getopts "n:r:d:s:b:h" opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) rounds=$OPTARG ;;
	d) databases=$OPTARG ;;
	s) sync=$OPTARG ;;
	b) base=$OPTARG ;;
	h) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "runner.sh: -n wants a positive integer, not $n" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "runner.sh: -r wants a positive integer, not $rounds" >&2; exit 2; }
[[ $sync == on || $sync == off ]] || { echo "runner.sh: -s wants on or off, not $sync" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1} MYSQL_PORT=${MYSQL_PORT:-3306} MYSQL_USER=${MYSQL_USER:-root}
# goose reads these; the script passes everything on the command line.
unset GOOSE_DRIVER GOOSE_DBSTRING GOOSE_MIGRATION_DIR GOOSE_TABLE DATABASE_URL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench.XXXXXX")
pgdb="" mydb=""
cleanup() {
	if [[ -n $pgdb ]]; then
		pg -d postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	if [[ -n $mydb ]]; then
		my -e "DROP DATABASE IF EXISTS $mydb" >/dev/null 2>&1 || true
	fi
	if [[ -n $base ]]; then
		git -C "$root" worktree remove --force "$tmp/base-src" >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

log() { echo "runner.sh: $*" >&2; }
# pg runs psql quietly: no NOTICEs about tables that are already gone.
pg() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -qAt -v ON_ERROR_STOP=1 "$@"; }
my() { mysql -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" -N -B "$@"; }

# --- tools ------------------------------------------------------------------

if [[ -n ${GOOSE:-} ]]; then
	goose=$GOOSE
else
	log "installing goose v3.29.0 into $tmp/bin"
	GOBIN=$tmp/bin go install github.com/pressly/goose/v3/cmd/goose@v3.29.0
	goose=$tmp/bin/goose
fi
log "building strata and the floor"
(cd "$root" && go build -o "$tmp/strata" ./cmd/strata && go build -o "$tmp/floor" ./bench/floor)
tools=(strata goose floor)
if [[ -n $base ]]; then
	log "building strata at $base"
	git -C "$root" worktree add --detach "$tmp/base-src" "$base" >/dev/null 2>&1
	(cd "$tmp/base-src" && go build -o "$tmp/base" ./cmd/strata)
	tools+=(base)
fi

# --- migrations ---------------------------------------------------------------

width=$(( ${#n} > 4 ? ${#n} : 4 ))
mkdir -p "$tmp/strata-migrations" "$tmp/goose-migrations"
log "writing $n revisions for strata and for goose"
for ((i = 1; i <= n; i++)); do
	id=$(printf "%0${width}d" "$i")
	up="CREATE TABLE t_$id (id integer primary key);"
	down="DROP TABLE t_$id;"
	parents=""
	if ((i > 1)); then
		parents="-- strata:parents $(printf "%0${width}d" $((i - 1)))"$'\n'
	fi
	printf -- '-- strata:revision %s\n%s\n-- migrate:up\n%s\n\n-- migrate:down\n%s\n' \
		"$id" "$parents" "$up" "$down" >"$tmp/strata-migrations/${id}_t_$id.sql"
	printf -- '-- +goose Up\n%s\n\n-- +goose Down\n%s\n' \
		"$up" "$down" >"$tmp/goose-migrations/${id}_t_$id.sql"
done

# --- one measurement ------------------------------------------------------------

# The database each tool is given, set per database below.
strata_url="" goose_driver="" goose_dsn="" floor_driver="" floor_dsn="" sqlite_file=""

# fresh: the state before a tool's up: no tables, no version table.
fresh() {
	if [[ -n $sqlite_file ]]; then
		rm -f "$sqlite_file" "$sqlite_file-journal" "$sqlite_file-wal" "$sqlite_file-shm"
	elif [[ -n $mydb ]]; then
		my -e "DROP DATABASE IF EXISTS $mydb; CREATE DATABASE $mydb"
	else
		pg -d "$pgdb" \
			-c "DROP TABLE IF EXISTS strata_revisions, strata_revisions_progress, goose_db_version, floor_version" >/dev/null
	fi
}

# count_tables: how many benchmark tables t_* exist.
count_tables() {
	if [[ -n $sqlite_file ]]; then
		sqlite3 "$sqlite_file" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't\_%' ESCAPE '\\'"
	elif [[ -n $mydb ]]; then
		my -e "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$mydb' AND table_name LIKE 't\\_%'"
	else
		pg -d "$pgdb" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%'"
	fi
}

# run TOOL DIRECTION: run one tool one way, from $tmp so that no
# strata.toml or .env is picked up.
run() {
	local tool=$1 dir=$2
	case $tool/$dir in
	strata/up) "$tmp/strata" --database "$strata_url" --dir "$tmp/strata-migrations" upgrade head ;;
	strata/down) "$tmp/strata" --database "$strata_url" --dir "$tmp/strata-migrations" downgrade base ;;
	base/up) "$tmp/base" --database "$strata_url" --dir "$tmp/strata-migrations" upgrade head ;;
	base/down) "$tmp/base" --database "$strata_url" --dir "$tmp/strata-migrations" downgrade base ;;
	goose/up) "$goose" -dir "$tmp/goose-migrations" "$goose_driver" "$goose_dsn" up ;;
	goose/down) "$goose" -dir "$tmp/goose-migrations" "$goose_driver" "$goose_dsn" reset ;;
	floor/up) "$tmp/floor" -driver "$floor_driver" -dsn "$floor_dsn" -n "$n" up ;;
	floor/down) "$tmp/floor" -driver "$floor_driver" -dsn "$floor_dsn" -n "$n" down ;;
	esac
}

now() { date +%s%N; }

# measure DB TOOL ROUND: time TOOL's up then its down, checking (untimed)
# that up made the n tables and down removed them; record the seconds.
measure() {
	local db=$1 tool=$2 round=$3 t0 t1 t2 t3 got up down
	fresh
	t0=$(now)
	if ! (cd "$tmp" && run "$tool" up) >"$tmp/out" 2>&1; then
		log "$tool up on $db failed:"; tail -20 "$tmp/out" >&2; exit 1
	fi
	t1=$(now)
	got=$(count_tables)
	if [[ $got != "$n" ]]; then
		log "$tool up on $db left $got tables, want $n"; tail -20 "$tmp/out" >&2; exit 1
	fi
	t2=$(now)
	if ! (cd "$tmp" && run "$tool" down) >"$tmp/out" 2>&1; then
		log "$tool down on $db failed:"; tail -20 "$tmp/out" >&2; exit 1
	fi
	t3=$(now)
	got=$(count_tables)
	if [[ $got != 0 ]]; then
		log "$tool down on $db left $got tables, want 0"; tail -20 "$tmp/out" >&2; exit 1
	fi
	up=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	down=$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	echo "$up" >>"$tmp/samples/$db.$tool.up"
	echo "$down" >>"$tmp/samples/$db.$tool.down"
	log "$db round $round/$rounds: $tool up ${up}s, down ${down}s"
}

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- the databases ------------------------------------------------------------------

mkdir -p "$tmp/samples"
IFS=, read -r -a dbs <<<"$databases"
for db in "${dbs[@]}"; do
	case $db in
	sqlite)
		mydb=""
		sqlite_file=$tmp/bench.db
		query=""
		[[ $sync == on ]] || query="?_pragma=synchronous(off)"
		strata_url=sqlite:$sqlite_file$query
		goose_driver=sqlite3 goose_dsn=file:$sqlite_file$query
		floor_driver=sqlite floor_dsn=file:$sqlite_file$query
		;;
	postgres)
		sqlite_file="" mydb=""
		pgdb=strata_bench_$$
		pg -d postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" -c "CREATE DATABASE $pgdb" >/dev/null
		url="postgres://$PGUSER@$PGHOST:$PGPORT/$pgdb?sslmode=disable"
		[[ $sync == on ]] || url+="&synchronous_commit=off"
		strata_url=$url
		goose_driver=postgres goose_dsn=$url
		floor_driver=pgx floor_dsn=$url
		;;
	mysql)
		sqlite_file=""
		mydb=strata_bench_$$
		my -e "DROP DATABASE IF EXISTS $mydb; CREATE DATABASE $mydb"
		strata_url="mysql://$MYSQL_USER@$MYSQL_HOST:$MYSQL_PORT/$mydb"
		goose_driver=mysql goose_dsn="$MYSQL_USER@tcp($MYSQL_HOST:$MYSQL_PORT)/$mydb"
		floor_driver=mysql floor_dsn=$goose_dsn
		;;
	*) log "unknown database $db (want sqlite, postgres or mysql)"; exit 2 ;;
	esac
	for ((r = 0; r < rounds; r++)); do
		for ((k = 0; k < ${#tools[@]}; k++)); do
			measure "$db" "${tools[(r + k) % ${#tools[@]}]}" $((r + 1))
		done
	done
	if [[ $db == postgres ]]; then
		pg -d postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null
		pgdb=""
	fi
	if [[ $db == mysql ]]; then
		my -e "DROP DATABASE IF EXISTS $mydb"
		mydb=""
	fi
done

# --- the table ------------------------------------------------------------------------

# paired A B: the ratio of A's to B's sample round by round (the two ran
# next to each other, so the drift of a shared machine mostly cancels),
# as "median [lower quartile-upper quartile]".
paired() {
	paste "$1" "$2" | awk '{ print $1 / $2 }' | sort -g | awk '
		{ v[NR] = $1 }
		function q(p,   i) { i = 1 + p * (NR - 1); return v[int(i)] + (i - int(i)) * (v[int(i) + 1] - v[int(i)]) }
		END { printf "%.2f [%.2f-%.2f]\n", q(0.5), q(0.25), q(0.75) }'
}
durability="durability on (the databases' defaults)"
[[ $sync == on ]] || durability="durability off (-s off)"
echo "Runner: $n revisions, $rounds interleaved rounds, $durability; seconds per whole run (process start to exit),"
echo "median of the rounds; ratios are the median [and quartiles] of the per-round ratios"
echo
if [[ -n $base ]]; then
	echo "| database | direction | strata (s) | base (s) | goose (s) | floor (s) | strata/base | strata/goose | base/goose | strata/floor |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
else
	echo "| database | direction | strata (s) | goose (s) | floor (s) | strata/goose | strata/floor |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
fi
verdict=met
for db in "${dbs[@]}"; do
	for dir in up down; do
		s=$(median "$tmp/samples/$db.strata.$dir")
		g=$(median "$tmp/samples/$db.goose.$dir")
		f=$(median "$tmp/samples/$db.floor.$dir")
		rg=$(paired "$tmp/samples/$db.strata.$dir" "$tmp/samples/$db.goose.$dir")
		rf=$(paired "$tmp/samples/$db.strata.$dir" "$tmp/samples/$db.floor.$dir")
		if [[ -n $base ]]; then
			b=$(median "$tmp/samples/$db.base.$dir")
			rb=$(paired "$tmp/samples/$db.strata.$dir" "$tmp/samples/$db.base.$dir")
			bg=$(paired "$tmp/samples/$db.base.$dir" "$tmp/samples/$db.goose.$dir")
			echo "| $db | $dir | $s | $b | $g | $f | $rb | $rg | $bg | $rf |"
		else
			echo "| $db | $dir | $s | $g | $f | $rg | $rf |"
		fi
		if awk -v g="${rg%% *}" -v f="${rf%% *}" 'BEGIN { exit !(g > 1.00 || f > 1.30) }'; then
			verdict=missed
		fi
	done
done
echo
echo "Goal: median strata/goose <= 1.00 and strata/floor <= 1.30 on every row: $verdict."
