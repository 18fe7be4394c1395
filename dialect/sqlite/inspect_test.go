package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/strata-go/strata/dialect"
)

// countingQuerier counts the queries run through it.
type countingQuerier struct {
	dialect.Querier
	n atomic.Int64
}

func (q *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q.n.Add(1)
	return q.Querier.QueryContext(ctx, query, args...)
}

// tablesDDL returns n tables, each with a unique constraint, an index, a
// check and a foreign key to the one before, and a view per ten tables.
func tablesDDL(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "CREATE TABLE t%d (id INTEGER PRIMARY KEY, code TEXT UNIQUE, v REAL CHECK (v > 0), g INTEGER AS (id * 2)", i)
		if i > 0 {
			fmt.Fprintf(&b, ", prev INTEGER REFERENCES t%d (id) DEFERRABLE INITIALLY DEFERRED", i-1)
		}
		fmt.Fprintf(&b, ");\nCREATE INDEX t%d_v ON t%d (v DESC, lower(code)) WHERE v IS NOT NULL;\n", i, i)
		if i%10 == 0 {
			fmt.Fprintf(&b, "CREATE VIEW v%d AS SELECT id FROM t%d;\n", i, i)
		}
	}
	return b.String()
}

// TestInspectQueryCount checks that inspection runs a fixed number of
// queries, whatever the number of tables.
func TestInspectQueryCount(t *testing.T) {
	t.Parallel()
	var counts []int64
	for _, n := range []int{1, 40} {
		db, d := open(t)
		exec(t, db, tablesDDL(n))
		q := &countingQuerier{Querier: db}
		s, err := d.Inspect(context.Background(), q, dialect.InspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Tables) != n {
			t.Fatalf("inspected %d tables, want %d", len(s.Tables), n)
		}
		counts = append(counts, q.n.Load())
	}
	if counts[0] != counts[1] {
		t.Errorf("Inspect ran %d queries on 1 table and %d on 40; want the same", counts[0], counts[1])
	}
	if counts[0] != 4 {
		t.Errorf("Inspect ran %d queries, want 4", counts[0])
	}
}

func TestInspectExclude(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db, tablesDDL(3), `CREATE TABLE strata_version (revision TEXT PRIMARY KEY)`)
	s, err := d.Inspect(context.Background(), db, dialect.InspectOptions{Exclude: []string{"strata_version", "t1", "v0"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	for _, v := range s.Views {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, " "); got != "t0 t2" {
		t.Errorf("inspected %q, want %q", got, "t0 t2")
	}
}

// TestInspectSkipsVirtualTables leaves out virtual tables and their
// shadow tables, which the module creates and manages.
func TestInspectSkipsVirtualTables(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db, `CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)`, `CREATE VIRTUAL TABLE docs_fts USING fts5(body)`)
	s := inspect(t, d, db)
	if len(s.Tables) != 1 || s.Tables[0].Name != "docs" {
		var names []string
		for _, tb := range s.Tables {
			names = append(names, tb.Name)
		}
		t.Errorf("inspected tables %q, want only docs", names)
	}
}
