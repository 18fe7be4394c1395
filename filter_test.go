package strata_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
)

type filterTodo struct {
	ID          int64  `db:"id" strata:"pk"`
	Description string `db:"description" strata:"size:200"`
}

func (filterTodo) TableName() string { return "todos" }

type filterTodoV2 struct {
	ID          int64  `db:"id" strata:"pk"`
	Description string `db:"description" strata:"size:200"`
	Done        bool   `db:"done" strata:"default:false"`
}

func (filterTodoV2) TableName() string { return "todos" }

// TestIncludeExcludePatterns: tables another tool made (with a view, and
// on PostgreSQL an enum type its table uses) are dropped by migrate and
// reported by check without patterns, and ignored by both, on every
// dialect, once excluded or once only the models' tables are included.
func TestIncludeExcludePatterns(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		openWith := func(model any, opts ...strata.Option) *strata.Migrator {
			t.Helper()
			m, err := strata.Open(ctx, url, append([]strata.Option{strata.WithDir(dir), strata.WithModels(model)}, opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			return m
		}
		m := openWith(filterTodo{})
		if _, err := m.Autogenerate(ctx, "create todos"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		other := []string{
			"CREATE TABLE river_jobs (id INTEGER PRIMARY KEY, state VARCHAR(20))",
			"INSERT INTO river_jobs (id, state) VALUES (1, 'queued')",
			"CREATE VIEW river_queued AS SELECT id FROM river_jobs WHERE state = 'queued'",
		}
		if dialect == "postgres" {
			other = append(other, "CREATE TYPE river_kind AS ENUM ('a', 'b')", "ALTER TABLE river_jobs ADD COLUMN kind river_kind")
		}
		for _, s := range other {
			if _, err := m.DB().ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}

		// Without patterns, migrate would drop what the other tool made.
		plan, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var drops []string
		for _, o := range plan.Ops {
			if strings.Contains(o.String(), "river_") {
				drops = append(drops, o.String())
			}
		}
		if len(drops) == 0 || !strings.Contains(strings.Join(drops, "\n"), "drop table") {
			t.Fatalf("without patterns the plan leaves river_jobs alone: %v", plan.Ops)
		}
		var diffErr *strata.DiffError
		if err := m.Check(ctx); !errors.As(err, &diffErr) {
			t.Fatalf("check without patterns: %v; want a difference", err)
		}

		for _, opts := range [][]strata.Option{
			{strata.WithExclude("river_*")},
			{strata.WithInclude("todo*")},
			{strata.WithInclude("*"), strata.WithExclude("nothing", "river_?obs", "river_queued", "river_kind")},
		} {
			m := openWith(filterTodo{}, opts...)
			if err := m.Check(ctx); err != nil {
				t.Fatalf("check with %d patterns: %v", len(opts), err)
			}
			if rev, err := m.Autogenerate(ctx, "again"); !errors.Is(err, strata.ErrNoChanges) {
				t.Fatalf("autogenerate wrote %v (err %v); want ErrNoChanges", rev, err)
			}
			s, err := m.Inspect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Tables) != 1 || s.Tables[0].Name != "todos" || len(s.Views) != 0 || len(s.Enums) != 0 {
				t.Fatalf("inspect with patterns: tables %v, views %v, enums %v", s.Tables, s.Views, s.Enums)
			}
		}

		// A change of the models under the pattern leaves the other
		// tool's table, its row, view and type alone.
		m2 := openWith(filterTodoV2{}, strata.WithExclude("river_*"))
		if _, err := m2.Autogenerate(ctx, "add done"); err != nil {
			t.Fatal(err)
		}
		if _, err := m2.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := m2.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_queued").Scan(&n); err != nil || n != 1 {
			t.Fatalf("river_queued after upgrade: %d rows, %v", n, err)
		}
		if _, err := m2.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		if err := m2.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_jobs").Scan(&n); err != nil || n != 1 {
			t.Fatalf("river_jobs after downgrade: %d rows, %v", n, err)
		}
	})
}

// TestPatternsNeverIncludeStrataTables: strata's version and progress
// tables stay out whatever the patterns include.
func TestPatternsNeverIncludeStrataTables(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, filterTodo{})
		if _, err := m.Autogenerate(ctx, "create todos"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		m2, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(filterTodo{}), strata.WithInclude("strata_*", "todos"))
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		s, err := m2.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range s.Tables {
			if tb.Name != "todos" {
				t.Errorf("inspect includes %q", tb.Name)
			}
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPatternErrors: a malformed pattern, a model left out by the
// patterns and a schema-qualified pattern where the database has one
// schema are errors that name them.
func TestPatternErrors(t *testing.T) {
	if _, err := strata.New(context.Background(), nil, strata.WithExclude("river_[")); err == nil || !strings.Contains(err.Error(), `"river_["`) {
		t.Errorf("malformed exclude: %v", err)
	}
	if _, err := strata.New(context.Background(), nil, strata.WithInclude("a.b.c")); err == nil || !strings.Contains(err.Error(), `"a.b.c"`) {
		t.Errorf("pattern with two dots: %v", err)
	}
	if _, err := strata.New(context.Background(), nil, strata.WithInclude("")); err == nil || !strings.Contains(err.Error(), "empty pattern") {
		t.Errorf("empty pattern: %v", err)
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		m, err := strata.Open(ctx, url, strata.WithDir(t.TempDir()), strata.WithModels(filterTodo{}), strata.WithExclude("to*"))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if err := m.Check(ctx); err == nil || !strings.Contains(err.Error(), `table "todos"`) || !strings.Contains(err.Error(), `exclude pattern "to*"`) {
			t.Errorf("model left out: %v", err)
		}
		m3, err := strata.Open(ctx, url, strata.WithDir(t.TempDir()), strata.WithModels(filterTodo{}), strata.WithInclude("other"))
		if err != nil {
			t.Fatal(err)
		}
		defer m3.Close()
		if err := m3.Check(ctx); err == nil || !strings.Contains(err.Error(), `table "todos"`) || !strings.Contains(err.Error(), "no include pattern") {
			t.Errorf("model not included: %v", err)
		}

		m2, err := strata.Open(ctx, url, strata.WithDir(t.TempDir()), strata.WithExclude("public.river_*"))
		if dialect == "postgres" {
			if err != nil {
				t.Fatalf("qualified pattern on PostgreSQL: %v", err)
			}
			defer m2.Close()
			if _, err := m2.DB().ExecContext(ctx, "CREATE TABLE river_jobs (id integer PRIMARY KEY)"); err != nil {
				t.Fatal(err)
			}
			s, err := m2.Inspect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Tables) != 0 {
				t.Errorf("public.river_* keeps %v", s.Tables)
			}
			return
		}
		if err == nil || !strings.Contains(err.Error(), `"public.river_*"`) || !strings.Contains(err.Error(), "only PostgreSQL") {
			t.Errorf("qualified pattern on %s: %v", dialect, err)
		}
	})
}

// TestPatternsInStrataTest: strata test compares the models with head as
// check does: a table a hand-written revision makes for another tool
// fails the comparison, unless the patterns leave it out.
func TestPatternsInStrataTest(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, filterTodo{})
		if _, err := m.Autogenerate(ctx, "create todos"); err != nil {
			t.Fatal(err)
		}
		rev, err := m.NewRevision("river")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, filepath.Base(rev.Path))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), "-- migrate:up\n", "-- migrate:up\nCREATE TABLE river_jobs (id INTEGER PRIMARY KEY);\n", 1)
		text = strings.Replace(text, "-- migrate:down\n", "-- migrate:down\nDROP TABLE river_jobs;\n", 1)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := m.Test(ctx)
		if !errors.Is(err, strata.ErrTestFailed) || rep == nil || !strings.Contains(strings.Join(rep.ModelDifferences, " "), "river_jobs") {
			t.Fatalf("test without patterns: %v, %+v; want the models to differ by river_jobs", err, rep)
		}
		m2, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(filterTodo{}), strata.WithExclude("river_*"))
		if err != nil {
			t.Fatal(err)
		}
		defer m2.Close()
		if rep, err := m2.Test(ctx); err != nil {
			t.Fatalf("test with river_* excluded: %v, %+v", err, rep)
		}
	})
}

type filterTodoOwned struct {
	ID     int64 `db:"id" strata:"pk"`
	UserID int64 `db:"user_id" strata:"fk:users.id"`
}

func (filterTodoOwned) TableName() string { return "todos" }

// TestModelReferencesExcludedTable: a model may have a foreign key to a
// table another tool owns and the patterns leave out.
func TestModelReferencesExcludedTable(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		m, err := strata.Open(ctx, url, strata.WithDir(t.TempDir()), strata.WithModels(filterTodoOwned{}), strata.WithExclude("users"))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.DB().ExecContext(ctx, "CREATE TABLE users (id BIGINT PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Autogenerate(ctx, "todos"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.DB().ExecContext(ctx, "INSERT INTO users (id) VALUES (1)"); err != nil {
			t.Fatalf("users after downgrade: %v", err)
		}
	})
}

type filterNoteV1 struct {
	ID   int64   `db:"id" strata:"pk"`
	Note *string `db:"note" strata:"size:20"`
}

func (filterNoteV1) TableName() string { return "todos" }

type filterNoteV2 struct {
	ID   int64  `db:"id" strata:"pk"`
	Note string `db:"note" strata:"size:40,default:'x'"`
}

func (filterNoteV2) TableName() string { return "todos" }

// TestChangeTableAnExcludedOneReferences: a model's table changes (a
// rebuild on SQLite) while a table the patterns leave out points at it;
// that table keeps its rows and its foreign key.
func TestChangeTableAnExcludedOneReferences(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		openModel := func(model any) *strata.Migrator {
			m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(model), strata.WithExclude("ext_*"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			return m
		}
		m := openModel(filterNoteV1{})
		if _, err := m.Autogenerate(ctx, "todos"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"CREATE TABLE ext_refs (id BIGINT PRIMARY KEY, todo_id BIGINT REFERENCES todos (id) ON DELETE CASCADE)",
			"INSERT INTO todos (id, note) VALUES (1, 'a')", "INSERT INTO ext_refs (id, todo_id) VALUES (1, 1)"} {
			if _, err := m.DB().ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		m2 := openModel(filterNoteV2{})
		if _, err := m2.Autogenerate(ctx, "change"); err != nil {
			t.Fatal(err)
		}
		if _, err := m2.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatal(err)
		}
		all, err := strata.Open(ctx, url, strata.WithDir(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer all.Close()
		s, err := all.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ext, ok := s.Table("ext_refs")
		if !ok || len(ext.ForeignKeys) != 1 || ext.ForeignKeys[0].RefTable != "todos" {
			t.Fatalf("ext_refs after the change: %+v", ext)
		}
		var n int
		if err := m2.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM ext_refs").Scan(&n); err != nil || n != 1 {
			t.Fatalf("ext_refs rows: %d, %v", n, err)
		}
		if _, err := m2.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPatternsOnFunctions: with a schema file, which manages functions,
// a function another tool made is dropped without patterns and left
// alone once excluded (PostgreSQL; the others have no functions strata
// reads).
func TestPatternsOnFunctions(t *testing.T) {
	testdb.Skip(t, "postgres")
	ctx := context.Background()
	url := testdb.URL(t, "postgres")
	dir := t.TempDir()
	file := filepath.Join(dir, "schema.sql")
	if err := os.WriteFile(file, []byte("CREATE TABLE todos (id bigint PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mig := filepath.Join(dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	plan := func(opts ...strata.Option) []string {
		t.Helper()
		m, err := strata.Open(ctx, url, append([]strata.Option{strata.WithDir(mig), strata.WithSchemaFile(file)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		p, err := m.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, o := range p.Ops {
			ops = append(ops, o.String())
		}
		return ops
	}
	db, err := strata.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{"CREATE TABLE todos (id bigint PRIMARY KEY)",
		"CREATE FUNCTION river_notify() RETURNS integer LANGUAGE sql AS 'SELECT 1'"} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if ops := plan(); !strings.Contains(strings.Join(ops, "\n"), "river_notify") {
		t.Fatalf("without patterns the plan leaves river_notify alone: %v", ops)
	}
	if ops := plan(strata.WithExclude("river_*")); len(ops) != 0 {
		t.Fatalf("with river_* excluded: %v", ops)
	}
}
