package strata_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
	"github.com/strata-go/strata/schema"
)

type Todo struct {
	ID          int64  `db:"id" strata:"pk"`
	Description string `db:"description" strata:"size:200"`
}

type TodoV2 struct {
	ID          int64      `db:"id" strata:"pk"`
	Description string     `db:"description" strata:"size:200"`
	Completed   bool       `db:"completed" strata:"default:false"`
	Priority    int32      `db:"priority"`
	DueAt       *time.Time `db:"due_at"`
	Score       float64    `db:"score"`
	Blob        []byte     `db:"blob"`
}

func (TodoV2) TableName() string { return "todos" }

func open(t *testing.T, url, dir string, models ...any) *strata.Migrator {
	t.Helper()
	m, err := strata.Open(context.Background(), url, strata.WithDir(dir), strata.WithModels(models...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// TestAutogenerateUpgradeDowngrade is the library path of the walking
// skeleton on every dialect: models -> revision -> upgrade -> check finds
// nothing; a NOT NULL column over rows; downgrade restores the schema.
func TestAutogenerateUpgradeDowngrade(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()

		m1 := open(t, url, dir, Todo{})
		rev, err := m1.Autogenerate(ctx, "create todos")
		if err != nil {
			t.Fatal(err)
		}
		if len(rev.Parents) != 0 {
			t.Fatalf("first revision has parents %v", rev.Parents)
		}
		if _, err := m1.Autogenerate(ctx, "again"); err == nil || !strings.Contains(err.Error(), "not up to date") {
			t.Fatalf("autogenerate with a pending revision: err = %v, want 'not up to date'", err)
		}
		res, err := m1.Upgrade(ctx, "head")
		if err != nil || len(res) != 1 {
			t.Fatalf("upgrade: %v, %d results", err, len(res))
		}
		if err := m1.Check(ctx); err != nil {
			t.Fatalf("check after upgrade: %v", err)
		}
		if _, err := m1.Autogenerate(ctx, "none"); !errors.Is(err, strata.ErrNoChanges) {
			t.Fatalf("autogenerate with no change: err = %v, want ErrNoChanges", err)
		}
		before, err := m1.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		db := m1.DB()
		for _, d := range []string{"one", "two", "three"} {
			if _, err := db.ExecContext(ctx, "INSERT INTO todos (description) VALUES ('"+d+"')"); err != nil {
				t.Fatal(err)
			}
		}

		m2 := open(t, url, dir, TodoV2{})
		var de *strata.DiffError
		if err := m2.Check(ctx); !errors.As(err, &de) || len(de.Ops) != 5 {
			t.Fatalf("check with new fields: %v", err)
		}
		rev2, err := m2.Autogenerate(ctx, "add fields")
		if err != nil {
			t.Fatal(err)
		}
		if len(rev2.Parents) != 1 || rev2.Parents[0] != rev.ID {
			t.Fatalf("second revision's parents = %v, want [%s]", rev2.Parents, rev.ID)
		}
		if _, err := m2.Upgrade(ctx, ""); err != nil {
			t.Fatal(err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatalf("check after the second upgrade: %v", err)
		}
		var n int
		row := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM todos WHERE completed = false AND priority = 0 AND score = 0 AND due_at IS NULL AND description IN ('one', 'two', 'three')")
		if err := row.Scan(&n); err != nil || n != 3 {
			t.Fatalf("rows kept with backfilled values: %d, %v; want 3", n, err)
		}

		// The downgrade drops columns holding data: the guard stops it, says
		// what would be lost, and changes nothing; forced, it runs.
		_, err = m2.Downgrade(ctx, "")
		var loss *runner.DataLossError
		if !errors.As(err, &loss) || len(loss.Losses) != 4 || loss.Losses[0].Rows != 3 {
			t.Fatalf("downgrade dropping filled columns: %v", err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatalf("the stopped downgrade changed the schema: %v", err)
		}
		m2, err = strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(TodoV2{}), strata.WithForce())
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		if _, err := m2.Downgrade(ctx, ""); err != nil {
			t.Fatal(err)
		}
		after, err := m1.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(before, after); d != "" {
			t.Fatalf("downgrade did not restore the schema:\n%s", d)
		}
		if err := row.Err(); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM todos WHERE description IN ('one', 'two', 'three')").Scan(&n); err != nil || n != 3 {
			t.Fatalf("rows after downgrade: %d, %v", n, err)
		}
		if _, err := m2.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		empty, err := m1.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(empty.Tables) != 0 {
			t.Fatalf("tables after downgrade base: %d", len(empty.Tables))
		}
		st, err := m2.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Current) != 0 || len(st.Pending) != 2 {
			t.Fatalf("status at base: current %d, pending %d", len(st.Current), len(st.Pending))
		}
		if res, err := m2.Upgrade(ctx, "head"); err != nil || len(res) != 2 {
			t.Fatalf("upgrade from base: %v, %d results", err, len(res))
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatalf("check after upgrade from base: %v", err)
		}
	})
}

func diffs(a, b *schema.Schema) string { return strings.Join(schema.Differences(a, b), "\n") }

// TestFailingStatement: a failing statement leaves schema and version
// table exactly as they were where DDL is transactional, and the error
// names the file, the statement's line and the database's message.
func TestFailingStatement(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		write(t, dir, "001_ok.sql", "-- strata:revision 001\n-- migrate:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE a;\n")
		write(t, dir, "002_bad.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n\nINSERT INTO nosuchtable VALUES (1);\n-- migrate:down\nDROP TABLE b;\n")
		m := open(t, url, dir)
		res, err := m.Upgrade(ctx, "head")
		var pe *runner.PartialError
		if !errors.As(err, &pe) {
			t.Fatalf("upgrade: err = %v, want a *runner.PartialError", err)
		}
		if len(res) != 1 || res[0].Revision.ID != "001" || len(pe.Applied) != 1 {
			t.Fatalf("results before the failure: %d, applied %d", len(res), len(pe.Applied))
		}
		msg := err.Error()
		for _, want := range []string{"002_bad.sql:6", "nosuchtable", "INSERT INTO nosuchtable"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q does not mention %q", msg, want)
			}
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Applied) != 1 || st.Applied[0].Revision != "001" {
			t.Fatalf("applied after the failure: %+v", st.Applied)
		}
		s, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, hasB := s.Table("b")
		transactional := m.Dialect().Capabilities().TransactionalDDL
		if transactional && (hasB || !pe.RolledBack) {
			t.Fatalf("table b exists (%t) or not rolled back (%t) after a failed transactional revision", hasB, pe.RolledBack)
		}
		if !transactional && (!hasB || pe.Executed != 1 || !strings.Contains(msg, "resumes at statement 2")) {
			t.Fatalf("non-transactional failure: b exists %t, executed %d, message %q", hasB, pe.Executed, msg)
		}

		// The fix: the revision runs again, from its start where it was
		// rolled back, from the failed statement where it was not (running
		// CREATE TABLE b twice would fail).
		write(t, dir, "002_bad.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n\nINSERT INTO b VALUES (1);\n-- migrate:down\nDROP TABLE b;\n")
		m = open(t, url, dir)
		if res, err := m.Upgrade(ctx, "head"); err != nil || len(res) != 1 {
			t.Fatalf("upgrade after the fix: %v, %d results", err, len(res))
		}
		var n int
		if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM b").Scan(&n); err != nil || n != 1 {
			t.Fatalf("rows in b after the resumed revision: %d, %v", n, err)
		}
	})
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":        "postgres://u:xxxxx@h:5432/db",
		"mysql://root:p%40ss@127.0.0.1:3306/x": "mysql://root:xxxxx@127.0.0.1:3306/x",
		"sqlite:app.db":                        "sqlite:app.db",
		"postgres://u@h/db":                    "postgres://u@h/db",
	} {
		if got := strata.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenErrorHidesPassword(t *testing.T) {
	_, err := strata.Open(context.Background(), "postgres://user:hunter2@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("want an error for a closed port")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error shows the password: %v", err)
	}
}

func removeFile(dir, name string) error { return os.Remove(filepath.Join(dir, name)) }
