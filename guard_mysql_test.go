package strata_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/runner"
)

// The data-loss guard on MySQL and MariaDB, whose DDL commits at once: it
// predicts from the run's statements, following their effects, before any
// runs. PostgreSQL and SQLite judge by effect inside the transaction
// (tested beside their guard).

// lossesOf returns err's losses as "table[.column] rows example", or
// fails the test when err is not a *runner.DataLossError.
func lossesOf(t *testing.T, err error) []string {
	t.Helper()
	var loss *runner.DataLossError
	if !errors.As(err, &loss) {
		t.Fatalf("err = %v, want a DataLossError", err)
	}
	var out []string
	for _, l := range loss.Losses {
		what := l.Table
		if l.Column != "" {
			what += "." + l.Column
		}
		out = append(out, strings.TrimSpace(fmt.Sprintf("%s %d %s", what, l.Rows, l.Example)))
	}
	return out
}

const guardBase = `-- strata:revision 001
-- migrate:up
CREATE TABLE x (id INT PRIMARY KEY, note VARCHAR(20));
-- migrate:down
DROP TABLE x;
`

// TestGuardPredictsEffectsOnMySQL runs each case of the issue as a
// revision over a table holding rows: the guard stops the run before
// any statement, naming the rows, however the statements spell it; a
// rebuild that keeps the rows runs.
func TestGuardPredictsEffectsOnMySQL(t *testing.T) {
	cases := []struct {
		name string
		up   []string // revisions after 001, one string each
		go_  *strata.Migration
		want string // "" when the run goes through
	}{
		{name: "rename then drop the renamed table", up: []string{"RENAME TABLE x TO y;\nDROP TABLE y;"}, want: "y 2"},
		{name: "rename and drop in two revisions", up: []string{"ALTER TABLE x RENAME TO y;", "DROP TABLE y;"}, want: "y 2"},
		{name: "create if not exists then drop", up: []string{"CREATE TABLE IF NOT EXISTS x (id INT);\nDROP TABLE x;"}, want: "x 2"},
		{name: "a comment in DROP TABLE", up: []string{"DROP /* c */ TABLE x;"}, want: "x 2"},
		{name: "drop in a list", up: []string{"CREATE TABLE e (id INT);\nDROP TABLE e, x;"}, want: "x 2"},
		{name: "copy, drop, rename rebuild keeps the rows", up: []string{
			"CREATE TABLE x_new (id INT PRIMARY KEY, note VARCHAR(40));\nINSERT INTO x_new (id, note) SELECT id, note FROM x;\nDROP TABLE x;\nRENAME TABLE x_new TO x;"}},
		{name: "rebuild that loses a column", up: []string{
			"CREATE TABLE x_new (id INT PRIMARY KEY);\nINSERT INTO x_new (id) SELECT id FROM x;\nDROP TABLE x;\nRENAME TABLE x_new TO x;"}, want: "x.note 2 'a much longer note'"},
		{name: "narrowing", up: []string{"ALTER TABLE x MODIFY note VARCHAR(5);"}, want: "x.note 1 'a much longer note'"},
		{name: "go revision: rename then drop", go_: &strata.Migration{Revision: "002", Parents: []string{"001"},
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.RenameTable("x", "y")
				op.DropTable("y")
				return nil
			}}, want: "y 2"},
		{name: "go revision then a SQL revision dropping what it renamed", go_: &strata.Migration{Revision: "002", Parents: []string{"001"},
			Upgrade: func(ctx context.Context, op *strata.Op) error {
				op.RenameTable("x", "y")
				return nil
			}}, up: []string{"", "DROP TABLE y;"}, want: "y 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.Skip(t, "mysql")
			ctx := context.Background()
			url := testdb.URL(t, "mysql")
			dir := t.TempDir()
			write(t, dir, "001.sql", guardBase)
			opts := []strata.Option{strata.WithDir(dir), strata.WithoutGlobalRegistry()}
			if c.go_ != nil {
				opts = append(opts, strata.WithMigrations(*c.go_))
			}
			m, err := strata.Open(ctx, url, opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if _, err := m.Upgrade(ctx, "001"); err != nil {
				t.Fatal(err)
			}
			if _, err := m.DB().ExecContext(ctx, "INSERT INTO x VALUES (1, 'a much longer note'), (2, 'ok')"); err != nil {
				t.Fatal(err)
			}
			parent := "001"
			if c.go_ != nil {
				parent = "002"
			}
			for i, up := range c.up {
				id := fmt.Sprintf("%03d", i+2)
				if up == "" {
					continue // the Go revision's place
				}
				write(t, dir, id+".sql", fmt.Sprintf("-- strata:revision %s\n-- strata:parents %s\n-- migrate:up\n%s\n-- migrate:down\nSELECT 1;\n", id, parent, up))
				parent = id
			}
			m.Close()
			m, err = strata.Open(ctx, url, opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			_, err = m.Upgrade(ctx, "head")
			if c.want == "" {
				if err != nil {
					t.Fatalf("a run that keeps the rows: %v", err)
				}
			} else if got := strings.Join(lossesOf(t, err), ", "); got != c.want {
				t.Fatalf("losses = %s, want %s", got, c.want)
			} else if strings.HasPrefix(c.name, "go revision then") && !regexp.MustCompile(`Completed before it in this run, and stay applied: (001, )?002\.`).MatchString(err.Error()) {
				t.Fatalf("a loss found after a revision ran must say so: %v", err)
			}
			// Nothing of the rows went, whatever the name of their table.
			var n int
			table := "x"
			if c.want != "" && strings.HasPrefix(c.name, "go revision then") {
				table = "y" // the Go revision ran; the SQL one was stopped
			}
			if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE note IS NOT NULL").Scan(&n); err != nil || n != 2 {
				t.Fatalf("rows of %s after: %d, %v; want 2", table, n, err)
			}
		})
	}
}

type bookLong struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:500"`
}

func (bookLong) TableName() string { return "books" }

type bookShort struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:5"`
}

func (bookShort) TableName() string { return "books" }

type bookMid struct {
	ID    int64  `db:"id" strata:"pk"`
	Title string `db:"title" strata:"size:200"`
}

func (bookMid) TableName() string { return "books" }

// TestGuardNarrowingGenerated: a model going size:500 to size:5 generates
// a narrowing the guard stops, with the count and one value; so does the
// generated downgrade of a widening (200 to 500) over a longer value. The
// values stay whole.
func TestGuardNarrowingGenerated(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	dir := t.TempDir()
	long := "a much longer title"
	m := open(t, url, dir, bookLong{})
	if _, err := m.Autogenerate(ctx, "books"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB().ExecContext(ctx, "INSERT INTO books VALUES (1, ?), (2, 'ok'), (3, ?)", long, long+"!"); err != nil {
		t.Fatal(err)
	}
	m = open(t, url, dir, bookShort{})
	if _, err := m.Autogenerate(ctx, "shorter titles"); err != nil {
		t.Fatal(err)
	}
	_, err := m.Upgrade(ctx, "head")
	if got := lossesOf(t, err); len(got) != 1 || got[0] != "books.title 2 '"+long+"'" {
		t.Fatalf("losses = %v", got)
	}
	if msg := err.Error(); !strings.Contains(msg, "narrows the type (varchar(500) to varchar(5)) of column books.title") || !strings.Contains(msg, "for example '"+long+"'") {
		t.Fatalf("message: %s", msg)
	}
	var title string
	if err := m.DB().QueryRowContext(ctx, "SELECT title FROM books WHERE id = 1").Scan(&title); err != nil || title != long {
		t.Fatalf("title after the stopped run: %q, %v", title, err)
	}

	// Forced, with a URL asking for a non-strict sql_mode, strata's own
	// session stays strict: the statement fails, the values stay whole.
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	forced, err := strata.Open(ctx, url+sep+"sql_mode=%27%27", strata.WithDir(dir), strata.WithModels(bookShort{}), strata.WithForce())
	if err != nil {
		t.Fatal(err)
	}
	defer forced.Close()
	if _, err := forced.Upgrade(ctx, "head"); err == nil || !strings.Contains(err.Error(), "Data too long") {
		t.Fatalf("forced narrowing under a non-strict URL: err = %v, want the server's refusal", err)
	}
	if err := m.DB().QueryRowContext(ctx, "SELECT title FROM books WHERE id = 1").Scan(&title); err != nil || title != long {
		t.Fatalf("title after the forced run: %q, %v", title, err)
	}

	// The downgrade of a widening narrows back.
	url2 := testdb.URL(t, "mysql")
	dir2 := t.TempDir()
	m = open(t, url2, dir2, bookMid{})
	if _, err := m.Autogenerate(ctx, "books"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	m = open(t, url2, dir2, bookLong{})
	if _, err := m.Autogenerate(ctx, "longer titles"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	v300 := strings.Repeat("x", 300)
	if _, err := m.DB().ExecContext(ctx, "INSERT INTO books VALUES (1, ?)", v300); err != nil {
		t.Fatal(err)
	}
	_, err = m.Downgrade(ctx, "-1")
	if got := lossesOf(t, err); len(got) != 1 || got[0] != "books.title 1 '"+strings.Repeat("x", 60)+"…'" {
		t.Fatalf("downgrade losses = %v", got)
	}
	if err := m.DB().QueryRowContext(ctx, "SELECT title FROM books").Scan(&title); err != nil || title != v300 {
		t.Fatalf("title after the stopped downgrade: %d characters, %v", len(title), err)
	}
}

// TestGuardDryRun: upgrade --dry-run reports the same loss, count and
// example, counted on the real data (not on the copy a MySQL dry run
// rehearses on, which holds at most --dry-run-limit rows), and changes
// nothing.
func TestGuardDryRun(t *testing.T) {
	testdb.Skip(t, "mysql")
	ctx := context.Background()
	url := testdb.URL(t, "mysql")
	dir := t.TempDir()
	write(t, dir, "001.sql", guardBase)
	write(t, dir, "002.sql", "-- strata:revision 002\n-- strata:parents 001\n-- migrate:up\nRENAME TABLE x TO y;\nALTER TABLE y MODIFY note VARCHAR(5);\n-- migrate:down\nSELECT 1;\n")
	m, err := strata.Open(ctx, url, strata.WithDir(dir), strata.WithoutGlobalRegistry(), strata.WithDryRunLimit(1))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Upgrade(ctx, "001"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB().ExecContext(ctx, "INSERT INTO x VALUES (1, 'a much longer note'), (2, 'ok'), (3, 'another long one')"); err != nil {
		t.Fatal(err)
	}
	reh, err := m.Rehearse(ctx, runner.Up, "head")
	if err != nil {
		t.Fatal(err)
	}
	if got := lossesOf(t, reh.Err); strings.Join(got, ", ") != "y.note 2 'a much longer note'" {
		t.Fatalf("dry run losses = %v", got)
	}
	var n int
	if err := m.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM x WHERE note = 'a much longer note'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after the dry run: %d, %v", n, err)
	}
	if st, err := m.Status(ctx); err != nil || len(st.Current) != 1 || st.Current[0].ID != "001" {
		t.Fatalf("after the dry run: %+v, %v", st, err)
	}
}
