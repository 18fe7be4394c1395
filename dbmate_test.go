package strata_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// TestNoTransactionBothSpellings: a revision without a transaction that
// strata writes carries -- strata:no-transaction and dbmate's
// transaction:false, and one that carries only dbmate's spelling runs
// outside a transaction too: on PostgreSQL, CREATE INDEX CONCURRENTLY
// (refused inside a transaction block) runs both ways.
func TestNoTransactionBothSpellings(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, _ := testdb.Open(t, dialect)
		dir := t.TempDir()
		create, drop := "CREATE INDEX", "DROP INDEX"
		onTable := ""
		switch dialect {
		case "postgres":
			create, drop = "CREATE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY"
		case "mysql":
			onTable = " ON items"
		}
		write(t, dir, "001_items.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE items (id int PRIMARY KEY, a int, b int);\n-- migrate:down\nDROP TABLE items;\n")
		written := &revision.Revision{ID: "002", Parents: []string{"001"}, Message: "index a", NoTransaction: true,
			Up:   []revision.Statement{{SQL: create + " items_a ON items (a)"}},
			Down: []revision.Statement{{SQL: drop + " items_a" + onTable}}}
		p, err := revision.Write(dir, written)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range []string{"\n-- strata:no-transaction\n", "\n-- migrate:up transaction:false\n", "\n-- migrate:down transaction:false\n"} {
			if !strings.Contains(string(data), line) {
				t.Errorf("%s lacks %q:\n%s", filepath.Base(p), strings.TrimSpace(line), data)
			}
		}
		// As dbmate users write it: the option on the section lines only.
		write(t, dir, "003_index_b.sql", "-- strata:revision 003\n-- strata:parents 002\n\n-- migrate:up transaction:false\n"+
			create+" items_b ON items (b);\n\n-- migrate:down transaction:false\n"+drop+" items_b"+onTable+";\n")

		m, err := strata.New(ctx, db, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		g, err := m.Revisions()
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"002", "003"} {
			if r, _ := g.Get(id); r == nil || !r.NoTransaction {
				t.Fatalf("revision %s: %+v, want it without a transaction", id, r)
			}
		}
		res, err := m.Upgrade(ctx, "head")
		if err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		if len(res) != 3 {
			t.Fatalf("upgrade ran %d revisions, want 3", len(res))
		}
		s, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		indexes := func(s *schema.Schema) []string {
			tbl, ok := s.Table("items")
			if !ok {
				t.Fatal("no table items")
			}
			var names []string
			for _, ix := range tbl.Indexes {
				names = append(names, ix.Name)
			}
			return names
		}
		if got := strings.Join(indexes(s), ","); got != "items_a,items_b" {
			t.Fatalf("indexes after upgrade: %q, want items_a,items_b", got)
		}
		if _, err := m.Downgrade(ctx, "001"); err != nil {
			t.Fatalf("downgrade: %v", err)
		}
		if s, err = m.Inspect(ctx); err != nil {
			t.Fatal(err)
		}
		if got := indexes(s); len(got) != 0 {
			t.Fatalf("indexes after downgrade: %v, want none", got)
		}
	})
}
