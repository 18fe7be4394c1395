package strata_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/runner"
)

const refusalSetup = `CREATE TABLE parent (
  id INTEGER PRIMARY KEY NOT NULL,
  name TEXT
);
CREATE TABLE child (
  id INTEGER PRIMARY KEY NOT NULL,
  parent_id INTEGER,
  CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE
);
INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO child (id, parent_id) VALUES (10, 1), (11, 2);
`

// A revision written by hand that rebuilds parent in the order SQLite's
// documentation gives, and its downgrade, the same way back.
const refusalRevision = `-- strata:revision 0001
-- strata:message rebuild parent by hand

-- migrate:up
CREATE TABLE new_parent (
  id INTEGER PRIMARY KEY NOT NULL,
  name TEXT CHECK (name <> '')
);
INSERT INTO new_parent (id, name) SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE new_parent RENAME TO parent;

-- migrate:down
CREATE TABLE old_parent (
  id INTEGER PRIMARY KEY NOT NULL,
  name TEXT
);
INSERT INTO old_parent (id, name) SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE old_parent RENAME TO parent;
`

// TestRebuildRefusedBeforeItRuns: on SQLite, a revision that drops a
// table and creates it again is refused before anything runs, in an
// upgrade, a downgrade and a dry run, when the table has triggers the
// revision does not create again, or when foreign keys are on and the
// table is referenced; the refusal names the revision, its file and line,
// the table and what to do, and every row is still there.
func TestRebuildRefusedBeforeItRuns(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T, query string) (*strata.Migrator, string, string) {
		t.Helper()
		dir := t.TempDir()
		mig := filepath.Join(dir, "migrations")
		if err := os.Mkdir(mig, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(mig, "0001_rebuild.sql"), []byte(refusalRevision), 0o644); err != nil {
			t.Fatal(err)
		}
		url := "sqlite:" + filepath.Join(dir, "app.db") + query
		m, err := strata.Open(ctx, url, strata.WithDir(mig))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		goldenExec(t, m.DB(), refusalSetup)
		return m, url, mig
	}
	state := func(t *testing.T, m *strata.Migrator) []string {
		t.Helper()
		return append(goldenStrings(t, m.DB(), "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema WHERE tbl_name NOT LIKE 'strata%' ORDER BY name"),
			goldenStrings(t, m.DB(), "SELECT 'parent ' || id || ' ' || name FROM parent UNION ALL SELECT 'child ' || id || ' ' || parent_id FROM child ORDER BY 1")...)
	}
	refused := func(t *testing.T, err error, want ...string) {
		t.Helper()
		var re *runner.RefusedError
		if !errors.As(err, &re) {
			t.Fatalf("err = %v, want a *runner.RefusedError", err)
		}
		msg := err.Error()
		t.Log(msg)
		for _, w := range append([]string{"revision 0001", "0001_rebuild.sql", "line ", "table parent", "To go on:"}, want...) {
			if !strings.Contains(msg, w) {
				t.Errorf("refusal lacks %q:\n%s", w, msg)
			}
		}
	}
	check := func(t *testing.T, m *strata.Migrator, do func() error, want ...string) {
		t.Helper()
		before := state(t, m)
		refused(t, do(), want...)
		if got := state(t, m); !slices.Equal(got, before) {
			t.Errorf("after the refusal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
		}
	}
	const trigger = `CREATE TRIGGER parent_audit AFTER UPDATE ON parent BEGIN SELECT 1; END`

	t.Run("triggers the revision does not create again", func(t *testing.T) {
		m, _, _ := setup(t, "")
		goldenExec(t, m.DB(), trigger)
		want := []string{"parent_audit", trigger}
		check(t, m, func() error { _, err := m.Upgrade(ctx, "head"); return err }, want...)
		check(t, m, func() error {
			reh, err := m.Rehearse(ctx, runner.Up, "head")
			if err != nil {
				return err
			}
			return reh.Err
		}, want...)
		// Dropped, the trigger is no longer in the way; made again after
		// the upgrade, it stops the downgrade.
		goldenExec(t, m.DB(), "DROP TRIGGER parent_audit")
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		goldenExec(t, m.DB(), trigger)
		check(t, m, func() error { _, err := m.Downgrade(ctx, "base"); return err }, want...)
	})

	t.Run("foreign keys on, the table referenced", func(t *testing.T) {
		m, _, _ := setup(t, "?_pragma=foreign_keys(1)")
		if got := goldenStrings(t, m.DB(), "SELECT foreign_keys FROM pragma_foreign_keys"); got[0] != "1" {
			t.Fatalf("foreign_keys = %s, want 1", got[0])
		}
		want := []string{"foreign keys are on", "child", "ON DELETE CASCADE"}
		check(t, m, func() error { _, err := m.Upgrade(ctx, "head"); return err }, want...)
		check(t, m, func() error {
			reh, err := m.Rehearse(ctx, runner.Up, "head")
			if err != nil {
				return err
			}
			return reh.Err
		}, want...)
	})

	t.Run("a generated rebuild and a trigger made behind strata's back", func(t *testing.T) {
		m, url, mig := setup(t, "")
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		schemaFile := filepath.Join(t.TempDir(), "schema.sql")
		wanted := strings.Replace(refusalSetup[:strings.Index(refusalSetup, "INSERT")], "name TEXT\n", "name TEXT NOT NULL\n", 1)
		if err := os.WriteFile(schemaFile, []byte(wanted), 0o644); err != nil {
			t.Fatal(err)
		}
		m2, err := strata.Open(ctx, url, strata.WithDir(mig), strata.WithSchemaFile(schemaFile))
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		rev, err := m2.Autogenerate(ctx, "name not null")
		if err != nil {
			t.Fatal(err)
		}
		goldenExec(t, m2.DB(), trigger)
		before := state(t, m2)
		_, err = m2.Upgrade(ctx, "head")
		var re *runner.RefusedError
		if !errors.As(err, &re) || re.Revision.ID != rev.ID || re.Table != "parent" || !strings.HasPrefix(re.Statement.SQL, "DROP TABLE") ||
			!strings.Contains(err.Error(), rev.Path) || !strings.Contains(err.Error(), trigger) {
			t.Fatalf("err = %v, want a refusal of %s at its DROP TABLE, naming %s and the trigger", err, rev.ID, rev.Path)
		}
		if got := state(t, m2); !slices.Equal(got, before) {
			t.Errorf("after the refusal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
		}
	})
}
