package strata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// TestRevisionRecordsDialect: the SQL revisions strata writes, generated
// or empty for a hand, say in their header which database their SQL is
// for; a merge, which holds no SQL, says nothing.
func TestRevisionRecordsDialect(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		m := open(t, testdb.URL(t, dialect), dir, Todo{})
		header := "\n-- strata:dialect " + dialect + "\n"
		gen, err := m.Autogenerate(ctx, "create todos")
		if err != nil {
			t.Fatal(err)
		}
		hand, err := m.NewRevision("by hand", gen.ID)
		if err != nil {
			t.Fatal(err)
		}
		other, err := m.NewRevision("other branch", gen.ID)
		if err != nil {
			t.Fatal(err)
		}
		merge, err := m.Merge("join")
		if err != nil {
			t.Fatal(err)
		}
		for _, rev := range []*strata.Revision{gen, hand, other} {
			data, err := os.ReadFile(filepath.Join(dir, rev.Path))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), header) {
				t.Errorf("%s has no %q line:\n%s", rev.Path, strings.TrimSpace(header), data)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, merge.Path))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "strata:dialect") {
			t.Errorf("the merge %s records a dialect:\n%s", merge.Path, data)
		}
		// Every one of them runs here.
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
	})
}

// foreignDialect names a database other than dialect.
func foreignDialect(dialect string) string {
	if dialect == "sqlite" {
		return "postgres"
	}
	return "sqlite"
}

// TestForeignDialectRefused: a SQL revision recorded for another
// database stops upgrade, downgrade, upgrade --sql and the dry run before
// anything runs, naming the file and both databases; revisions without
// the header, and an empty one with it, run anywhere.
func TestForeignDialectRefused(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		foreign := foreignDialect(dialect)
		otherName := map[string]string{"sqlite": "sqlite3", "postgres": "postgresql", "mysql": "mariadb"}
		files := map[string]string{
			"001_one.sql": "-- strata:revision 001\n-- migrate:up\nCREATE TABLE dh_one (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE dh_one;\n",
			// The database's other name (MariaDB is mysql) is the same dialect.
			"002_two.sql":   "-- strata:revision 002\n-- strata:parents 001\n-- strata:dialect " + otherName[dialect] + "\n-- migrate:up\nCREATE TABLE dh_two (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE dh_two;\n",
			"003_empty.sql": "-- strata:revision 003\n-- strata:parents 002\n-- strata:dialect " + foreign + "\n-- migrate:up\n-- migrate:down\n",
			"004_four.sql":  "-- strata:revision 004\n-- strata:parents 003\n-- strata:dialect " + foreign + "\n-- migrate:up\nCREATE TABLE dh_four (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE dh_four;\n",
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m := open(t, testdb.URL(t, dialect), dir)
		refused := func(what string, err error, dir runner.Direction) {
			t.Helper()
			var de *runner.DialectError
			if !errors.As(err, &de) {
				t.Fatalf("%s: error %v, want a *runner.DialectError", what, err)
			}
			if len(de.Revisions) != 1 || de.Revisions[0].ID != "004" || de.Database != dialect || de.Direction != dir {
				t.Errorf("%s: %+v, want revision 004 on %s", what, de, dialect)
			}
			for _, want := range []string{"004_four.sql: -- strata:dialect " + foreign + ", this database is " + dialect, `format = "go"`, "before running anything"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error does not say %q:\n%v", what, want, err)
				}
			}
		}
		assertApplied := func(want string) {
			t.Helper()
			st, err := m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range st.Applied {
				got = append(got, a.Revision)
			}
			if strings.Join(got, " ") != want {
				t.Fatalf("applied %v, want [%s]", got, want)
			}
		}

		var script bytes.Buffer
		refused("upgrade --sql", m.UpgradeSQL(ctx, &script, "", "head"), runner.Up)
		if script.Len() > 0 {
			t.Errorf("upgrade --sql wrote SQL before refusing:\n%s", script.String())
		}
		_, err := m.Rehearse(ctx, runner.Up, "head")
		refused("dry run", err, runner.Up)
		_, err = m.Upgrade(ctx, "head")
		refused("upgrade", err, runner.Up)
		// Nothing ran: not the revisions before the foreign one either.
		assertApplied("")
		if _, err := m.DB().ExecContext(ctx, "SELECT 1 FROM dh_one"); err == nil {
			t.Fatal("dh_one exists: a revision ran before the refusal")
		}

		// Up to the empty one, which holds no SQL, all runs.
		if _, err := m.Upgrade(ctx, "003"); err != nil {
			t.Fatal(err)
		}
		assertApplied("001 002 003")

		// Marked as applied (its change made by hand), it cannot be undone
		// by its SQL either.
		if _, _, err := m.Stamp(ctx, "004", false); err != nil {
			t.Fatal(err)
		}
		_, err = m.Downgrade(ctx, "-1")
		refused("downgrade", err, runner.Down)
		assertApplied("001 002 003 004")
	})
}

// TestSQLiteRevisionOnServer is the case: revisions generated on
// SQLite, then run on PostgreSQL or MariaDB, are refused before the
// first runs.
func TestSQLiteRevisionOnServer(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		if dialect == "sqlite" {
			t.Skip("the revisions are generated on SQLite; the servers refuse them")
		}
		ctx := context.Background()
		dir := t.TempDir()
		dev := open(t, "sqlite:"+filepath.Join(t.TempDir(), "dev.db"), dir, TodoV2{})
		rev, err := dev.Autogenerate(ctx, "create todos")
		if err != nil {
			t.Fatal(err)
		}
		prod := open(t, testdb.URL(t, dialect), dir, TodoV2{})
		_, err = prod.Upgrade(ctx, "head")
		var de *runner.DialectError
		if !errors.As(err, &de) || de.Revisions[0].Path != rev.Path || !strings.Contains(err.Error(), "-- strata:dialect sqlite, this database is "+dialect) {
			t.Fatalf("upgrade on %s of a revision generated on SQLite: %v", dialect, err)
		}
		if _, err := prod.DB().ExecContext(ctx, "SELECT 1 FROM todos"); err == nil {
			t.Fatal("todos exists: the revision ran")
		}
	})
}
