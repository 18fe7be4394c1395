package bench_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/bench"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const revisions = 1000

// BenchmarkUpgradeDowngrade1000SQLite applies 1000 trivial revisions to a
// SQLite file through the library, up to head and back to base, as
// `strata upgrade head` and `strata downgrade base` do (files read and
// the graph built on each call). runner.sh times the binaries against
// goose and the floor; this one needs no server and takes profiles:
//
//	go test -run '^$' -bench UpgradeDowngrade1000SQLite -cpuprofile cpu.out ./bench/
func BenchmarkUpgradeDowngrade1000SQLite(b *testing.B) { benchmarkRunner(b, "sqlite") }

// BenchmarkUpgradeDowngrade1000Postgres is the same on a fresh database of
// the server STRATA_TEST_POSTGRES names (127.0.0.1 by default); it skips
// when the server is unreachable.
func BenchmarkUpgradeDowngrade1000Postgres(b *testing.B) { benchmarkRunner(b, "postgres") }

// BenchmarkFloor1000SQLite is the floor beside BenchmarkUpgradeDowngrade1000SQLite:
// the same statements, each revision in a transaction with its version
// row, nothing else.
func BenchmarkFloor1000SQLite(b *testing.B) { benchmarkFloor(b, "sqlite") }

// BenchmarkFloor1000Postgres is the floor on PostgreSQL.
func BenchmarkFloor1000Postgres(b *testing.B) { benchmarkFloor(b, "postgres") }

// BenchmarkUpgradeDowngrade100MySQL applies 100 trivial revisions (one
// CREATE TABLE up, one DROP TABLE down) to a fresh database of the MariaDB
// or MySQL server STRATA_TEST_MYSQL names, up to head and back to base.
// There each DDL statement records its intent with a fingerprint of the
// catalog before it runs, so that a resume after a crash can tell whether
// it ran: this measures that cost (docs/revisions.md).
func BenchmarkUpgradeDowngrade100MySQL(b *testing.B) { benchmarkRunnerN(b, "mysql", 100) }

func benchmarkRunner(b *testing.B, dialect string) { benchmarkRunnerN(b, dialect, revisions) }

func benchmarkRunnerN(b *testing.B, dialect string, revisions int) {
	url := testdb.URL(b, dialect)
	dir := filepath.Join(b.TempDir(), "migrations")
	if err := os.Mkdir(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := bench.WriteRevisions(dir, revisions); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	for b.Loop() {
		up, err := m.Upgrade(ctx, "head")
		if err != nil {
			b.Fatal(err)
		}
		down, err := m.Downgrade(ctx, "base")
		if err != nil {
			b.Fatal(err)
		}
		if len(up) != revisions || len(down) != revisions {
			b.Fatalf("applied %d and undid %d revisions, want %d each", len(up), len(down), revisions)
		}
	}
	perRevisionN(b, revisions)
}

func benchmarkFloor(b *testing.B, dialect string) {
	db, err := strata.OpenDB(testdb.URL(b, dialect))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for b.Loop() {
		if err := bench.Floor(ctx, conn, revisions, true); err != nil {
			b.Fatal(err)
		}
		if err := bench.Floor(ctx, conn, revisions, false); err != nil {
			b.Fatal(err)
		}
	}
	perRevision(b)
}

// perRevision reports the time per revision and direction.
func perRevision(b *testing.B) { perRevisionN(b, revisions) }

func perRevisionN(b *testing.B, revisions int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2*revisions), "ns/revision")
}

// TestWriteRevisions checks that the benchmark's revisions form one chain
// strata reads.
func TestWriteRevisions(t *testing.T) {
	dir := t.TempDir()
	if err := bench.WriteRevisions(dir, 12); err != nil {
		t.Fatal(err)
	}
	revs, err := revision.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	g, err := revision.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	if heads, bases := g.Heads(), g.Bases(); !slices.Equal(heads, []string{"0012"}) || !slices.Equal(bases, []string{"0001"}) {
		t.Fatalf("heads %v, bases %v; want [0012] and [0001]", heads, bases)
	}
	last, _ := g.Get("0012")
	if len(last.Up) != 1 || last.Up[0].SQL != bench.Up(12, 12) || len(last.Down) != 1 || last.Down[0].SQL != bench.Down(12, 12) {
		t.Fatalf("0012: up %v, down %v", last.Up, last.Down)
	}
}
