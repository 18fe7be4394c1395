package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/sqlite"
)

// BenchmarkInspect500 times Inspect on a file database of 500 tables of 20
// columns, each with 3 indexes and 1 foreign key:
//
//	go test -run XXX -bench Inspect500 -benchtime 5x ./dialect/sqlite/
func BenchmarkInspect500(b *testing.B) {
	db, err := sqlite.Open("sqlite:" + filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		var cols []string
		cols = append(cols, "id INTEGER PRIMARY KEY")
		for j := 1; j < 19; j++ {
			typ := [...]string{"TEXT", "INTEGER NOT NULL DEFAULT 0", "REAL", "VARCHAR(40)", "DATETIME DEFAULT CURRENT_TIMESTAMP", "BOOLEAN NOT NULL DEFAULT false"}[j%6]
			cols = append(cols, fmt.Sprintf("c%d %s", j, typ))
		}
		ref := max(i-1, 0)
		cols = append(cols, fmt.Sprintf("ref INTEGER REFERENCES t%03d (id) ON DELETE CASCADE", ref))
		stmts := []string{
			fmt.Sprintf("CREATE TABLE t%03d (%s)", i, strings.Join(cols, ", ")),
			fmt.Sprintf("CREATE INDEX t%03d_a ON t%03d (c1)", i, i),
			fmt.Sprintf("CREATE UNIQUE INDEX t%03d_b ON t%03d (c2, c3 DESC)", i, i),
			fmt.Sprintf("CREATE INDEX t%03d_c ON t%03d (lower(c4)) WHERE c5 IS NOT NULL", i, i),
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	var d sqlite.Dialect
	b.ResetTimer()
	for b.Loop() {
		s, err := d.Inspect(ctx, db, dialect.InspectOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Tables) != 500 || len(s.Tables[0].Columns) != 20 || len(s.Tables[0].Indexes) != 3 {
			b.Fatalf("inspected %d tables", len(s.Tables))
		}
	}
}
