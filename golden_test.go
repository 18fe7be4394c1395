package strata_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// Regenerate the golden revisions of every dialect with
//
//	STRATA_TEST_REQUIRE_ALL=1 go test -run TestGoldenRevisions -update .
var updateGolden = flag.Bool("update", false, "rewrite the golden revisions of testdata/golden")

// goldenBefore is the schema every golden case starts from, with rows, in
// SQL that all three databases read alike.
const goldenBefore = `CREATE TABLE authors (
  id INTEGER PRIMARY KEY NOT NULL,
  name VARCHAR(100) NOT NULL
);
CREATE TABLE books (
  id INTEGER PRIMARY KEY NOT NULL,
  title VARCHAR(100) NOT NULL,
  author_id INTEGER NOT NULL,
  translator_id INTEGER,
  pages INTEGER,
  note VARCHAR(200),
  CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id)
);
CREATE INDEX books_title ON books (title);
`

const goldenRows = `INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books (id, title, author_id, translator_id, pages, note) VALUES (1, 'A', 1, NULL, 10, NULL), (2, 'B', 2, 1, NULL, 'n');
`

// goldenCase is one representative change: the schema file it migrates
// to (goldenBefore edited), and the renames the schema file cannot say.
type goldenCase struct {
	name  string
	after func(string) string
	opts  []strata.Option
	// mysqlIndexOrder says why MySQL's downgrade leaves the table's
	// indexes in another order (docs/dialects.md, "Known limits"); the
	// indexes themselves must still be the same.
	mysqlIndexOrder string
}

// goldenEdit replaces each old with its new in the schema, in order.
func goldenEdit(pairs ...string) func(string) string {
	return func(s string) string {
		for i := 0; i+1 < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				panic("golden: no " + pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
}

var goldenCases = []goldenCase{
	// Issue 12's example: NOT NULL dropped and the column widened, a column
	// added, a foreign key made ON DELETE CASCADE, on one table.
	{name: "one_table_four_changes", after: goldenEdit(
		"title VARCHAR(100) NOT NULL,", "title VARCHAR(200),",
		"  note VARCHAR(200),\n", "  note VARCHAR(200),\n  isbn VARCHAR(20),\n",
		"REFERENCES authors (id)\n", "REFERENCES authors (id) ON DELETE CASCADE\n"),
		mysqlIndexOrder: "the server makes a changed foreign key's index again, last"},
	{name: "add_not_null_column_backfilled", after: goldenEdit(
		"  note VARCHAR(200),\n", "  note VARCHAR(200),\n  rating INTEGER NOT NULL,\n")},
	{name: "drop_column", after: goldenEdit("  note VARCHAR(200),\n", "")},
	{name: "add_index", after: goldenEdit("CREATE INDEX books_title ON books (title);\n",
		"CREATE INDEX books_title ON books (title);\nCREATE INDEX books_pages ON books (pages);\n")},
	{name: "drop_index", after: goldenEdit("CREATE INDEX books_title ON books (title);\n", "")},
	{name: "add_foreign_key", after: goldenEdit("REFERENCES authors (id)\n",
		"REFERENCES authors (id),\n  CONSTRAINT books_translator_fk FOREIGN KEY (translator_id) REFERENCES authors (id)\n")},
	{name: "rename_column", after: goldenEdit("note VARCHAR(200)", "remark VARCHAR(200)"),
		opts: []strata.Option{strata.WithRenameColumn("books", "note", "remark")}},
	{name: "change_type", after: goldenEdit("pages INTEGER,", "pages VARCHAR(20),")},
	{name: "new_table_with_foreign_key", after: func(s string) string {
		return s + `CREATE TABLE reviews (
  id INTEGER PRIMARY KEY NOT NULL,
  book_id INTEGER NOT NULL,
  body VARCHAR(1000),
  CONSTRAINT reviews_book_fk FOREIGN KEY (book_id) REFERENCES books (id)
);
`
	}},
}

// TestGoldenRevisions generates a revision for each representative change
// on each database and compares it with testdata/golden/<dialect>/<case>.sql.
// Each revision is then run twice from the same start: by strata
// (upgrade, then downgrade) and by the database's own client (sqlite3,
// psql, mariadb) reading the file's SQL; both must leave the same schema
// (sqlite_schema's text, pg_dump, SHOW CREATE TABLE) and rows, and the
// downgrade the schema there was before. On SQLite the upgraded schema
// must also read, in sqlite_schema, as the schema file applied to an
// empty database does: a rebuilt table's text is a fresh CREATE TABLE.
func TestGoldenRevisions(t *testing.T) {
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		client := map[string]string{"sqlite": "sqlite3", "postgres": "psql", "mysql": "mariadb"}[dialect]
		if _, err := exec.LookPath(client); err != nil {
			t.Fatalf("the %s client %s is needed: %v", dialect, client, err)
		}
		for _, tc := range goldenCases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				dir := t.TempDir()
				if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
					t.Fatal(err)
				}
				schemaFile := filepath.Join(dir, "schema.sql")
				if err := os.WriteFile(schemaFile, []byte(tc.after(goldenBefore)), 0o644); err != nil {
					t.Fatal(err)
				}
				// strata's run.
				url := testdb.URL(t, dialect)
				m, err := strata.Open(ctx, url, append([]strata.Option{
					strata.WithDir(filepath.Join(dir, "migrations")), strata.WithSchemaFile(schemaFile),
					strata.WithForce(), // some cases drop a column that holds values, by design
				}, tc.opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				defer m.Close()
				goldenExec(t, m.DB(), goldenBefore+goldenRows)
				beforeModel, err := m.Inspect(ctx)
				if err != nil {
					t.Fatal(err)
				}
				rev, err := m.Autogenerate(ctx, strings.ReplaceAll(tc.name, "_", " "))
				if err != nil {
					t.Fatal(err)
				}
				text, err := os.ReadFile(filepath.Join(rev.Dir, rev.Path))
				if err != nil {
					t.Fatal(err)
				}
				compareGolden(t, filepath.Join("testdata", "golden", dialect, tc.name+".sql"), normalizeRevision(string(text), rev))
				if _, err := m.Upgrade(ctx, "head"); err != nil {
					t.Fatal(err)
				}
				upgraded := goldenSchema(t, dialect, m.DB(), url)
				rowsUp := goldenRowsOf(t, m.DB())
				if _, err := m.Downgrade(ctx, "base"); err != nil {
					t.Fatal(err)
				}
				downgraded := goldenSchema(t, dialect, m.DB(), url)
				if got, err := m.Inspect(ctx); err != nil {
					t.Fatal(err)
				} else if diffs := schema.Differences(beforeModel, got); len(diffs) > 0 {
					if dialect == "mysql" && tc.mysqlIndexOrder != "" {
						diffs = slices.DeleteFunc(diffs, func(d string) bool { return strings.Contains(d, ": index order ") })
					}
					if len(diffs) > 0 {
						t.Errorf("strata's downgrade left a schema other than the one before: %q", diffs)
					}
				}

				// The client's run, from the same start, of the file's SQL.
				url2 := testdb.URL(t, dialect)
				db2 := goldenOpen(t, url2).DB()
				goldenExec(t, db2, goldenBefore+goldenRows)
				runGoldenClient(t, dialect, url2, goldenSection(t, string(text), "up"))
				if got := goldenSchema(t, dialect, db2, url2); got != upgraded {
					t.Errorf("the %s client's upgrade left another schema than strata's:\n%s", client, goldenDiff(upgraded, got))
				}
				if got := goldenRowsOf(t, db2); !slices.Equal(got, rowsUp) {
					t.Errorf("the %s client's upgrade left rows %q, strata's %q", client, got, rowsUp)
				}
				runGoldenClient(t, dialect, url2, goldenSection(t, string(text), "down"))
				if got := goldenSchema(t, dialect, db2, url2); got != downgraded {
					t.Errorf("the %s client's downgrade left another schema than strata's:\n%s", client, goldenDiff(downgraded, got))
				}

				// The schema file applied directly.
				if dialect == "sqlite" {
					url3 := testdb.URL(t, dialect)
					db3 := goldenOpen(t, url3).DB()
					goldenExec(t, db3, tc.after(goldenBefore))
					if want := goldenSchema(t, dialect, db3, url3); want != upgraded {
						t.Errorf("sqlite_schema after the upgrade differs from the schema file applied directly:\n%s", goldenDiff(want, upgraded))
					}
				}
			})
		}
	})
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("revision differs from %s (run with -update to accept it):\n%s", path, goldenDiff(string(want), got))
	}
}

// normalizeRevision takes out of a revision file what changes from one
// run to the next: its id and its date.
func normalizeRevision(text string, rev *revision.Revision) string {
	text = strings.ReplaceAll(text, rev.ID, "REVISION")
	return revisionDateRE.ReplaceAllString(text, "${1}DATE")
}

var revisionDateRE = regexp.MustCompile(`(?m)^(-- strata:created )\S.*$|(?m)^(-- Created: )\S.*$`)

// goldenSection returns the SQL of the file's upgrade ("up") or downgrade
// ("down"): the lines after its -- migrate: line, up to the next.
func goldenSection(t *testing.T, text, which string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, "-- migrate:"+which)
	if !ok {
		t.Fatalf("no -- migrate:%s in the revision:\n%s", which, text)
	}
	_, rest, _ = strings.Cut(rest, "\n")
	body, _, _ := strings.Cut(rest, "-- migrate:")
	return body
}

func goldenExec(t *testing.T, db *sql.DB, script string) {
	t.Helper()
	for _, s := range strings.Split(script, ";\n") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// goldenOpen opens a database with strata's driver settings, to set it up
// and read it.
func goldenOpen(t *testing.T, url string) *strata.Migrator {
	t.Helper()
	m, err := strata.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// runGoldenClient runs sql with the database's own command-line client,
// stopping at the first error, in one transaction where the database
// has transactional DDL.
func runGoldenClient(t *testing.T, dialect, rawURL, script string) {
	t.Helper()
	var cmd *exec.Cmd
	switch dialect {
	case "sqlite":
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
		cmd = exec.Command("sqlite3", "-bail", path)
		script = "BEGIN;\n" + script + "\nCOMMIT;\n"
	case "postgres":
		cmd = exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-d", rawURL)
	case "mysql":
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"-h", u.Hostname(), "-u", u.User.Username(), strings.TrimPrefix(u.Path, "/")}
		if p := u.Port(); p != "" {
			args = append(args, "-P", p)
		}
		if pw, ok := u.User.Password(); ok {
			args = append(args, "-p"+pw)
		}
		cmd = exec.Command("mariadb", args...)
	}
	cmd.Stdin = strings.NewReader(script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s\nscript:\n%s", cmd.Args[0], err, out.String(), script)
	}
	if dialect == "sqlite" && strings.TrimSpace(out.String()) != "" {
		// PRAGMA foreign_key_check prints the rows that break a key.
		t.Fatalf("sqlite3 printed:\n%s", out.String())
	}
}

// goldenSchema returns the schema of the database as its own tools tell it,
// strata's tables left out: sqlite_schema's rows by name (type, name,
// table, SQL text), pg_dump --schema-only, SHOW CREATE TABLE.
func goldenSchema(t *testing.T, dialect string, db *sql.DB, rawURL string) string {
	t.Helper()
	var lines []string
	switch dialect {
	case "sqlite":
		lines = goldenStrings(t, db, `SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_schema
WHERE name NOT LIKE 'strata\_%' ESCAPE '\' AND tbl_name NOT LIKE 'strata\_%' ESCAPE '\' ORDER BY type, name`)
	case "postgres":
		cmd := exec.Command("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-T", "strata_*", "-d", rawURL)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pg_dump: %v\n%s", err, out)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if l == "" || strings.HasPrefix(l, "--") || strings.HasPrefix(l, `\`) || strings.HasPrefix(l, "SET ") || strings.HasPrefix(l, "SELECT pg_catalog.set_config") {
				continue
			}
			lines = append(lines, l)
		}
	case "mysql":
		for _, table := range goldenStrings(t, db, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name NOT LIKE 'strata\\_%' ORDER BY table_name") {
			var name, create string
			if err := db.QueryRow("SHOW CREATE TABLE `"+table+"`").Scan(&name, &create); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, autoIncrementRE.ReplaceAllString(create, ""))
		}
	}
	return strings.Join(lines, "\n")
}

var autoIncrementRE = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// goldenRowsOf returns the rows of the golden tables.
func goldenRowsOf(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{"SELECT id, name FROM authors ORDER BY id", "SELECT id, author_id FROM books ORDER BY id"} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var a, b sql.NullString
			if err := rows.Scan(&a, &b); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%v %v", a, b))
		}
		rows.Close()
	}
	return out
}

func goldenStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// goldenDiff shows the lines of want and got that differ.
func goldenDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	if b.Len() == 0 {
		return "(the same lines, in another order)\n--- want\n" + want + "\n--- got\n" + got
	}
	return b.String()
}
