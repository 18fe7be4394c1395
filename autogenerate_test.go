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
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/models"
)

type Item struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:100"`
	Code  string `db:"code" strata:"size:20"`
}

type ItemRenamed struct {
	ID    int64  `db:"id" strata:"pk"`
	Name  string `db:"name" strata:"size:50,renamed_from:title"`
	Code  string `db:"code" strata:"size:20,unique"`
	Other string `db:"other" strata:"size:20,null"`
}

func (ItemRenamed) TableName() string { return "items" }

// TestAutogenerateRenamesAndWarnings: renamed_from keeps the data of a
// renamed column; warnings count what the change does to existing rows;
// a dropped and an added column of one type are offered as a rename.
func TestAutogenerateRenamesAndWarnings(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, Item{})
		if _, err := m.Autogenerate(ctx, "items"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"('a', 'x')", "('b', 'x')", "('a-much-longer-title-than-fifty-characters-which-will-not-fit-at-all', 'y')"} {
			if _, err := m.DB().ExecContext(ctx, "INSERT INTO items (title, code) VALUES "+v); err != nil {
				t.Fatal(err)
			}
		}
		m2 := open(t, url, dir, ItemRenamed{})
		plan, err := m2.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(plan.Warnings, "\n")
		for _, want := range []string{"NARROWING", "varchar(100) to varchar(50)", "UNIQUE", "1 value(s) appear more than once"} {
			if !strings.Contains(all, want) {
				t.Errorf("warnings lack %q:\n%s", want, all)
			}
		}
		var renamed bool
		for _, o := range plan.Ops {
			renamed = renamed || strings.Contains(o.String(), `rename column "items"."title" to "name"`)
		}
		if !renamed {
			t.Fatalf("renamed_from gave no rename: %v", plan.Ops)
		}
		// A dropped and an added column of one type, without a tag: a
		// candidate, with a loud warning when the dropped one holds data.
		m4, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(itemKey{}))
		if err != nil {
			t.Fatal(err)
		}
		defer m4.Close()
		plan, err = m4.Diff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(plan.RenameCandidates, models.Rename{Table: "items", From: "code", To: "key"}) {
			t.Fatalf("rename candidates = %+v", plan.RenameCandidates)
		}
		if !strings.Contains(strings.Join(plan.Warnings, "\n"), `DATA LOSS: drop column "items"."code": 3 value(s)`) {
			t.Fatalf("no data-loss warning: %v", plan.Warnings)
		}
		// Confirmed, the rename keeps the values.
		m5, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(itemKey{}), strata.WithRenameColumn("items", "code", "key"))
		if err != nil {
			t.Fatal(err)
		}
		defer m5.Close()
		if _, err := m5.Autogenerate(ctx, "rename code"); err != nil {
			t.Fatal(err)
		}
		if _, err := m5.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := m5.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM items WHERE "+m5.Dialect().QuoteIdent("key")+" = 'x'").Scan(&n); err != nil || n != 2 {
			t.Fatalf("values after the rename: %d, %v", n, err)
		}
		if err := m5.Check(ctx); err != nil {
			t.Fatalf("check after the rename: %v", err)
		}
		// An explicit rename that does not apply is an error.
		m6, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithModels(itemKey{}), strata.WithRenameColumn("items", "title", "nosuch"))
		if err != nil {
			t.Fatal(err)
		}
		defer m6.Close()
		if _, err := m6.Diff(ctx); err == nil {
			t.Fatal("a rename to a column the models lack: want an error")
		}
	})
}

type itemKey struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:100"`
	Key   string `db:"key" strata:"size:20"`
}

func (itemKey) TableName() string { return "items" }

// TestSchemaFile: the desired schema can come from a SQL file, applied to
// a scratch database; a bad statement names the file and line.
func TestSchemaFile(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		file := filepath.Join(t.TempDir(), "schema.sql")
		ddl := "CREATE TABLE authors (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);\n" +
			"CREATE TABLE books (id INTEGER NOT NULL PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES authors (id), title VARCHAR(200));\n" +
			"CREATE INDEX ix_books_title ON books (title);\n"
		if err := os.WriteFile(file, []byte(ddl), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithSchemaFile(file))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Autogenerate(ctx, "from file"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check against the file after upgrade: %v", err)
		}
		if _, err := m.Autogenerate(ctx, "again"); !errors.Is(err, strata.ErrNoChanges) {
			t.Fatalf("second autogenerate: %v", err)
		}
		if err := os.WriteFile(file, []byte(ddl+"\nCREATE TABLE broken (id INTEGER PRIMARY KEY, x NOSUCHTYPE(;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Diff(ctx); err == nil || !strings.Contains(err.Error(), "schema.sql:5") {
			t.Fatalf("a bad schema file: %v", err)
		}
	})
}

type pkV1 struct {
	ID   int64  `db:"id" strata:"pk,autoincrement:false"`
	Code string `db:"code" strata:"size:20"`
}

func (pkV1) TableName() string { return "pairs" }

type pkV2 struct {
	ID   int64  `db:"id" strata:"pk,autoincrement:false"`
	Code string `db:"code" strata:"pk,size:20"`
}

func (pkV2) TableName() string { return "pairs" }

// TestPrimaryKeyChange: a primary key that gains a column is dropped and
// added again, rows kept, and the downgrade restores it.
func TestPrimaryKeyChange(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, pkV1{})
		if _, err := m.Autogenerate(ctx, "pairs"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.DB().ExecContext(ctx, "INSERT INTO pairs (id, code) VALUES (1, 'a'), (2, 'b')"); err != nil {
			t.Fatal(err)
		}
		before, err := m.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m2 := open(t, url, dir, pkV2{})
		if _, err := m2.Autogenerate(ctx, "wider key"); err != nil {
			t.Fatal(err)
		}
		if _, err := m2.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatalf("check after the key change: %v", err)
		}
		if _, err := m2.DB().ExecContext(ctx, "INSERT INTO pairs (id, code) VALUES (1, 'c')"); err != nil {
			t.Fatalf("the wider key should let id 1 repeat: %v", err)
		}
		if _, err := m2.DB().ExecContext(ctx, "DELETE FROM pairs WHERE code = 'c'"); err != nil {
			t.Fatal(err)
		}
		if _, err := m2.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		after, err := m2.Inspect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffs(before, after); d != "" {
			t.Fatalf("the downgrade did not restore the key:\n%s", d)
		}
		var n int
		if err := m2.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM pairs").Scan(&n); err != nil || n != 2 {
			t.Fatalf("rows: %d, %v", n, err)
		}
	})
}

type taskV1 struct {
	ID     int64  `db:"id" strata:"pk"`
	Status string `db:"status" strata:"enum:todo|doing|done"`
}

func (taskV1) TableName() string { return "tasks" }

type taskV2 struct {
	ID     int64  `db:"id" strata:"pk"`
	Status string `db:"status" strata:"enum:todo|doing|done|archived"`
}

func (taskV2) TableName() string { return "tasks" }

// TestEnumTag: an enum field is a PostgreSQL enum type (extended in place
// with ADD VALUE), an inline ENUM on MySQL (modified in place), TEXT on
// SQLite; each converges.
func TestEnumTag(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := testdb.URL(t, dialect)
		dir := t.TempDir()
		m := open(t, url, dir, taskV1{})
		if _, err := m.Autogenerate(ctx, "tasks"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check: %v", err)
		}
		if _, err := m.DB().ExecContext(ctx, "INSERT INTO tasks (status) VALUES ('doing')"); err != nil {
			t.Fatal(err)
		}
		if dialect != "sqlite" {
			if _, err := m.DB().ExecContext(ctx, "INSERT INTO tasks (status) VALUES ('archived')"); err == nil && dialect == "postgres" {
				t.Fatal("a value outside the enum was accepted")
			}
		}
		m2 := open(t, url, dir, taskV2{})
		rev, err := m2.Autogenerate(ctx, "archived")
		if dialect == "sqlite" {
			if !errors.Is(err, strata.ErrNoChanges) {
				t.Fatalf("SQLite keeps enums as TEXT, so a new value changes nothing: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if dialect == "postgres" && !strings.Contains(rev.Up[0].SQL, "ADD VALUE 'archived'") {
			t.Fatalf("PostgreSQL should add the value in place: %v", rev.Up)
		}
		if _, err := m2.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		if err := m2.Check(ctx); err != nil {
			t.Fatalf("check after the new value: %v", err)
		}
		if _, err := m2.DB().ExecContext(ctx, "INSERT INTO tasks (status) VALUES ('archived')"); err != nil {
			t.Fatalf("the new value: %v", err)
		}
		// The downgrade takes the value away again; a row holding it stops
		// it rather than losing the row's value.
		if dialect == "postgres" {
			if _, err := m2.Downgrade(ctx, "-1"); err == nil {
				t.Fatal("a downgrade removing a value in use should fail")
			}
		}
		if _, err := m2.DB().ExecContext(ctx, "DELETE FROM tasks WHERE status = 'archived'"); err != nil {
			t.Fatal(err)
		}
		if _, err := m2.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(ctx); err != nil {
			t.Fatalf("check against the first models after the downgrade: %v", err)
		}
	})
}

// TestRenameOfAMissingTable: a rename that names no table of the
// database is an error that says so, whatever else the database holds.
func TestRenameOfAMissingTable(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		m, err := strata.Open(ctx, testdb.URL(t, dialect), strata.WithDir(t.TempDir()), strata.WithModels(Item{}),
			strata.WithRenameTable("nosuch", "items"))
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if _, err := m.Diff(ctx); err == nil || !strings.Contains(err.Error(), `no table "nosuch" in the database`) {
			t.Fatalf("diff with a rename of a missing table: %v", err)
		}
	})
}
