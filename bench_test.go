package strata_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// BenchmarkAutogenerateNoChange500 times what `strata migrate` does when
// nothing changed, against 500 tables of 20 columns with 3 indexes and 1
// foreign key each: inspect the database, put the desired schema in
// canonical form, diff, render. Goal on PostgreSQL: under 0.5 s.
//
//	go test -run XXX -bench AutogenerateNoChange500 -benchtime 5x .
func BenchmarkAutogenerateNoChange500(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			testdb.Skip(b, dialect)
			ctx := context.Background()
			db, url := testdb.Open(b, dialect)
			for _, batch := range schema500(dialect) {
				if _, err := db.ExecContext(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			m, err := strata.Open(ctx, url, strata.WithDir(b.TempDir()))
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			desired, err := m.Inspect(ctx)
			if err != nil {
				b.Fatal(err)
			}
			m, err = strata.Open(ctx, url, strata.WithDir(b.TempDir()), strata.WithSchema(desired))
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			b.ResetTimer()
			for b.Loop() {
				plan, err := m.Diff(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(plan.Ops) != 0 {
					b.Fatalf("no change should give no ops; got %d, first %s", len(plan.Ops), plan.Ops[0])
				}
			}
		})
	}
}

// schema500 returns the DDL of 500 tables in statements (batched per
// table, since not every driver takes several statements at once).
func schema500(dialect string) []string {
	var out []string
	for i := range 500 {
		var cols []string
		cols = append(cols, "id INTEGER NOT NULL PRIMARY KEY")
		for c := range 18 {
			typ := []string{"VARCHAR(100)", "INTEGER", "BIGINT", "DECIMAL(10,2)", "DATE", "BOOLEAN"}[c%6]
			cols = append(cols, fmt.Sprintf("c%d %s", c, typ))
		}
		ref := "parent_id INTEGER"
		if i > 0 {
			ref += fmt.Sprintf(" REFERENCES t%03d (id)", i-1)
		}
		cols = append(cols, ref)
		out = append(out, fmt.Sprintf("CREATE TABLE t%03d (%s)", i, strings.Join(cols, ", ")))
		for x := range 3 {
			out = append(out, fmt.Sprintf("CREATE INDEX ix_t%03d_%d ON t%03d (c%d)", i, x, i, x))
		}
	}
	return out
}
