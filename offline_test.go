package strata_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

// seedRevisions writes a table, a revision that seeds it and deletes the
// seed on downgrade, and one that creates and fills a table in one step,
// dropping it on downgrade.
func seedRevisions(t *testing.T, dir string) {
	t.Helper()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE colors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL);\n-- migrate:down\nDROP TABLE colors;\n")
	write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nINSERT INTO colors (id, name) VALUES (1, 'red'), (2, 'green');\n-- migrate:down\nDELETE FROM colors WHERE id IN (1, 2);\n")
	write(t, dir, "003.sql", "-- strata:revision 003\n-- strata:parents 002\n-- migrate:up\nCREATE TABLE sizes (id INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO sizes (id) VALUES (1), (2), (3);\n-- migrate:down\nDROP TABLE sizes;\n")
}

// TestTestSeedRows: strata test passes revisions that insert rows and
// take them out again (the rows lost on its scratch database are the ones
// its own upgrades put there), and says what a real downgrade would need;
// the guard still stops the same downgrade on a real database.
func TestTestSeedRows(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		seedRevisions(t, dir)
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		rep, err := m.Test(ctx)
		if err != nil {
			t.Fatalf("test of seeding revisions: %v (%+v)", err, rep)
		}
		if len(rep.Revisions) != 3 {
			t.Fatalf("report: %+v", rep)
		}
		for _, r := range rep.Revisions {
			if !r.OK {
				t.Fatalf("revision %s: %+v", r.Revision, r)
			}
		}
		if notes := strings.Join(rep.Revisions[2].Notes, "\n"); !strings.Contains(notes, "sizes") || !strings.Contains(notes, "3 row(s)") {
			t.Errorf("revision 003's notes do not say the downgrade drops the 3 rows of sizes: %q", notes)
		}
		// The guard still protects real data.
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Downgrade(ctx, "-1"); err == nil || !strings.Contains(err.Error(), "sizes") {
			t.Fatalf("downgrade of 003 on the real database holding rows: %v, want the data-loss guard", err)
		}
	})
}
