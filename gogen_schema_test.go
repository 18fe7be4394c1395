package strata_test

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

// schemaForGo is a schema file with what the op API says (tables, plain
// indexes, named foreign keys and checks on PostgreSQL and MySQL) and what
// it cannot (a descending index, a generated column, a view over several
// lines), the same on every dialect.
const schemaForGo = `CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  bio TEXT
);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL DEFAULT 'untitled',
  price DECIMAL(10,2) CHECK (price >= 0)
);
CREATE INDEX books_title ON books (title);
CREATE UNIQUE INDEX books_by_author ON books (author_id, title DESC);
CREATE TABLE order_lines (
  id INTEGER PRIMARY KEY,
  qty INTEGER NOT NULL,
  total INTEGER GENERATED ALWAYS AS (qty * 2) STORED
);
CREATE VIEW cheap AS
  SELECT id, title
  FROM books
  WHERE price < 10;
`

// TestGoFromSchemaFile writes a Go revision from a schema file on each
// dialect: the SQL the op API cannot say is a raw string literal laid out
// on its lines (quoted a line at a time where MySQL's backquotes forbid a
// raw one), what it can say is op calls, every index of the file is there,
// and the revision, built into the application, upgrades to the schema
// file and downgrades back.
func TestGoFromSchemaFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an application")
	}
	repo, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		app := t.TempDir()
		url := "sqlite:" + filepath.Join(app, "app.db")
		if dialect != "sqlite" {
			url = testdb.URL(t, dialect)
		}
		write := func(name, content string) {
			t.Helper()
			if err := os.WriteFile(filepath.Join(app, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("go.mod", fmt.Sprintf("module app\n\ngo 1.26\n\nrequire github.com/strata-go/strata v0.0.0\n\nreplace github.com/strata-go/strata => %s\n", repo))
		write("go.sum", string(gosum))
		write("models.go", "package main\n\nvar Models = []any{}\n")
		write("schema.sql", schemaForGo)
		env := append(os.Environ(), "DATABASE_URL="+url, "GOFLAGS=-mod=mod")
		bin := filepath.Join(app, "app.bin")
		build := func() {
			t.Helper()
			cmd := exec.Command("go", "build", "-mod=mod", "-o", bin, ".")
			cmd.Dir, cmd.Env = app, env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
		}
		run := func(wantErr bool, args ...string) string {
			t.Helper()
			cmd := exec.Command(bin, args...)
			cmd.Dir, cmd.Env = app, env
			out, err := cmd.CombinedOutput()
			if (err != nil) != wantErr {
				t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return string(out)
		}
		// init needs no migrations package yet: build without the import.
		write("main.go", strings.Replace(strings.Replace(appMain, "\t\"app/migrations\"\n", "", 1), ", cli.WithFS(migrations.FS)", "", 1))
		build()
		run(false, "init")
		write("main.go", appMain)
		build()
		run(false, "migrate", "-m", "from schema", "--schema", "schema.sql", "--format", "go")
		matches, _ := filepath.Glob(filepath.Join(app, "migrations", "*_from_schema.go"))
		if len(matches) != 1 {
			t.Fatalf("no Go revision written: %v", matches)
		}
		src, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
			t.Errorf("the Go revision is not gofmt-clean (%v):\n%s", err, src)
		}
		// A \n escape may only end a literal (MySQL's quoted lines); SQL
		// on one escaped line is what a reviewer cannot read.
		if m := regexp.MustCompile(`\\n[^"]`).Find(src); m != nil {
			t.Errorf("the Go revision holds SQL on one escaped line (%q):\n%s", m, src)
		}
		want := []string{
			`op.CreateTable("authors",`,
			`books_by_author`,
			`total`,
		}
		if dialect == "mysql" {
			// Backquoted identifiers: quoted, a line at a time.
			want = append(want, "op.Execute(\"CREATE TABLE `order_lines` (\\n\"+\n")
		} else {
			want = append(want, "op.Execute(`CREATE TABLE ")
		}
		// MariaDB keeps a check written on a column in the column
		// (schema.Column.Check), which the op API cannot say: there the
		// table is SQL, as on SQLite, whose foreign keys and checks are
		// unnamed.
		columnCheck := dialect == "mysql" && strings.Contains(string(src), "`price` DECIMAL(10,2) NULL CHECK (`price` >= 0)")
		if dialect != "sqlite" && !columnCheck {
			want = append(want, `op.CreateTable("books",`, `op.CreateIndex("books", "books_title", "title")`, `op.AddForeignKey("books", `)
		}
		for _, w := range want {
			if !strings.Contains(string(src), w) {
				t.Errorf("the Go revision lacks %s:\n%s", w, src)
			}
		}
		build()
		run(false, "upgrade")
		if out := run(false, "check", "--schema", "schema.sql"); !strings.Contains(out, "No differences") {
			t.Fatalf("check --schema after the Go revision: %s\n%s", out, src)
		}
		run(false, "downgrade", "--force", "base")
		out := run(false, "inspect")
		for _, name := range []string{"authors", "books", "order_lines", "cheap"} {
			if strings.Contains(out, name) {
				t.Errorf("%s is left after the downgrade:\n%s", name, out)
			}
		}
		if out := run(true, "check", "--schema", "schema.sql"); !strings.Contains(out, "books") {
			t.Errorf("check --schema after the downgrade: %s", out)
		}
	})
}
