package postgres_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/diff"
)

var alterOf = regexp.MustCompile(`^ALTER TABLE "([^"]+)"`)

// TestRenderPlan diffs a database towards one where the desired DDL ran,
// renders the ops together (dialect.RenderStatements), runs them in one
// transaction and compares: the ALTER TABLE statements of one table that
// follow one another are one statement, and the result is the same as
// one op at a time; the inverse brings the schema back.
func TestRenderPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, d := freshDB(t)
	mustExec(t, db,
		`CREATE TABLE authors (id integer PRIMARY KEY)`,
		`CREATE TABLE books (id integer PRIMARY KEY, author_id integer, title varchar(100) NOT NULL, legacy integer, note text,
			CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id))`,
		`INSERT INTO authors VALUES (1), (2)`,
		`INSERT INTO books VALUES (1, 1, 't1', 7, 'n'), (2, 2, 't2', 8, NULL)`)
	target, _ := freshDB(t)
	mustExec(t, target,
		`CREATE TABLE authors (id integer PRIMARY KEY)`,
		`CREATE TABLE books (id integer PRIMARY KEY, author_id bigint, title varchar(200) NOT NULL, note text, price numeric(10,2),
			CONSTRAINT ck_price CHECK (price >= 0),
			CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE)`)
	before := inspect(t, d, db)
	want := inspect(t, d, target)
	ops, err := diff.Schemas(before, want)
	if err != nil {
		t.Fatal(err)
	}
	inverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	oneByOne := 0
	s := before.Clone()
	for _, o := range ops {
		oneByOne += len(render(t, d, s, o))
		if err := o.Apply(s); err != nil {
			t.Fatal(err)
		}
	}
	running := before.Clone()
	up, err := dialect.RenderStatements(d, running, ops)
	if err != nil {
		t.Fatal(err)
	}
	down, err := dialect.RenderStatements(d, running, inverse)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d ops, %d statements one op at a time, %d together; up:\n%s\ndown:\n%s", len(ops), oneByOne, len(up),
		strings.Join(dialect.StatementSQL(up), ";\n"), strings.Join(dialect.StatementSQL(down), ";\n"))
	alters := 0
	for _, st := range up {
		if len(st.Ops) == 0 {
			t.Errorf("statement %q carries no op", st.SQL)
		}
		if m := alterOf.FindStringSubmatch(st.SQL); m != nil && m[1] == "books" {
			alters++
		}
	}
	// Drop the foreign key; drop legacy, add price, change the types of
	// author_id and title; add the check and the foreign key back (the
	// key dropped is added under its name in a later statement).
	if alters > 3 {
		t.Errorf("%d ALTER TABLE statements for books, want at most 3", alters)
	}
	run := func(stmts []dialect.Statement) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		mustExec(t, tx, dialect.StatementSQL(stmts)...)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	run(up)
	assertSame(t, want, inspect(t, d, db))
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM books WHERE title IN ('t1', 't2') AND author_id IS NOT NULL`).Scan(&n); err != nil || n != 2 {
		t.Errorf("rows after the upgrade: %d, %v; want 2", n, err)
	}
	run(down)
	assertSame(t, before, inspect(t, d, db))
}
