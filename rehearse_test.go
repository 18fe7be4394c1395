package strata_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// TestDryRun: a dry run on the real data finds what depends on it (NULLs
// under a new NOT NULL, duplicates under a new unique index) and leaves
// the database exactly as it was; where DDL commits at once it runs on a
// copy in a scratch database.
func TestDryRun(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR(100));\n"+
			"INSERT INTO people (id, email) VALUES (1, 'a@x'), (2, 'a@x'), (3, NULL);\n-- migrate:down\nDROP TABLE people;\n")
		m := open(t, url, dir)
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		before, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct{ name, up, fails string }{
			{"ok", "UPDATE people SET email = 'b@x' WHERE id = 2;\nCREATE UNIQUE INDEX ux_email ON people (email);", ""},
			{"duplicates", "CREATE UNIQUE INDEX ux_email ON people (email);", "ux_email"},
			{"nulls", "UPDATE people SET email = NULL WHERE id = 1;\nCREATE TABLE t2 (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);\nINSERT INTO t2 (id, v) SELECT id, LENGTH(email) FROM people;", "v"},
		}
		for i, tc := range cases {
			name := "00" + string(rune('2'+i)) + ".sql"
			write(t, dir, name, "-- strata:revision 00"+string(rune('2'+i))+"\n-- strata:parents 001\n-- migrate:up\n"+tc.up+"\n-- migrate:down\nSELECT 1;\n")
			m := open(t, url, dir)
			reh, err := m.Rehearse(ctx, runner.Up, "00"+string(rune('2'+i)))
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if !m.Dialect().Capabilities().TransactionalDDL && !strings.Contains(reh.Reason, "ran on a copy") {
				t.Fatalf("%s: on %s the dry run should run on a copy: %q", tc.name, dialect, reh.Reason)
			}
			var pe *runner.PartialError
			switch {
			case !reh.Rehearsed:
				t.Fatalf("%s: not rehearsed: %s", tc.name, reh.Reason)
			case tc.fails == "" && reh.Err != nil:
				t.Fatalf("%s: dry run failed: %v", tc.name, reh.Err)
			case tc.fails != "" && !errors.As(reh.Err, &pe):
				t.Fatalf("%s: dry run found no failure: %v (steps %+v)", tc.name, reh.Err, reh.Steps)
			case tc.fails == "" && (len(reh.Steps) != 2 || reh.Steps[0].RowsAffected != 1):
				t.Fatalf("%s: steps %+v, want 2 with the update touching 1 row", tc.name, reh.Steps)
			}
			after, err := m.Inspect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffs(before, after); d != "" {
				t.Fatalf("%s: the dry run changed the schema:\n%s", tc.name, d)
			}
			st, err := m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Applied) != 1 {
				t.Fatalf("%s: the dry run changed the version table: %d applied", tc.name, len(st.Applied))
			}
			var n int
			if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM people WHERE email = 'a@x'").Scan(&n); err != nil || n != 2 {
				t.Fatalf("%s: the dry run changed the data: %d, %v", tc.name, n, err)
			}
			if err := removeFile(dir, name); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestDryRunCopyLimit: on MySQL the copy refuses tables over the limit,
// saying how to lift it.
func TestDryRunCopyLimit(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	dir := t.TempDir()
	write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE big (id INTEGER PRIMARY KEY);\nINSERT INTO big VALUES (1), (2), (3);\n-- migrate:down\nDROP TABLE big;\n")
	m := open(t, url, dir)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nALTER TABLE big ADD COLUMN v INTEGER NULL;\n-- migrate:down\nALTER TABLE big DROP COLUMN v;\n")
	m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithDryRunLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Rehearse(ctx, runner.Up, "head"); err == nil || !strings.Contains(err.Error(), "--dry-run-limit") {
		t.Fatalf("a copy over the limit: %v", err)
	}
}

// TestDryRunForeignKey: a dry run catches rows a new foreign key does not
// match, on every database (on SQLite the table rebuild ends with a
// foreign key check that fails).
func TestDryRunForeignKey(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE parent (id INTEGER NOT NULL PRIMARY KEY);\n"+
			"CREATE TABLE child (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER);\n"+
			"INSERT INTO parent (id) VALUES (1);\nINSERT INTO child (id, parent_id) VALUES (1, 1), (2, 7);\n"+
			"-- migrate:down\nDROP TABLE child;\nDROP TABLE parent;\n")
		fk := strata.Migration{Revision: "002", Parents: []string{"001"}, Message: "child references parent",
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.AddForeignKey("child", "fk_child_parent", []string{"parent_id"}, "parent", []string{"id"})
				return nil
			},
			Downgrade: func(ctx context.Context, op *strata.Op) error {
				op.DropConstraint("child", "fk_child_parent")
				return nil
			}}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithMigrations(fk), strata.WithoutGlobalRegistry())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Upgrade(ctx, "001"); err != nil {
			t.Fatal(err)
		}
		before, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		reh, err := m.Rehearse(ctx, runner.Up, "head")
		if err != nil {
			t.Fatal(err)
		}
		if !reh.Rehearsed || reh.Err == nil {
			t.Fatalf("the dry run missed the unmatched row: rehearsed %t, err %v, steps %+v", reh.Rehearsed, reh.Err, reh.Steps)
		}
		after, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(before, after); d != "" {
			t.Fatalf("the dry run changed the schema:\n%s", d)
		}
		// Fixed data: the dry run passes, and so does the real run.
		if _, err := m.DB().ExecContext(ctx, "DELETE FROM child WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		if reh, err := m.Rehearse(ctx, runner.Up, "head"); err != nil || reh.Err != nil {
			t.Fatalf("dry run with matching rows: %v, %v", err, reh.Err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
	})
}
