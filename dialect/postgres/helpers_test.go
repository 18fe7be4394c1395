package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// freshDB returns a new, empty database and the dialect probed from it.
func freshDB(t *testing.T) (*sql.DB, *postgres.Dialect) {
	t.Helper()
	db, _ := testdb.Open(t, "postgres")
	db.SetMaxOpenConns(4)
	d, err := postgres.New(context.Background(), db)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return db, d
}

// mustExec runs each statement, failing t on the first error.
func mustExec(t *testing.T, q dialect.Querier, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := q.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("exec %s: %v", s, err)
		}
	}
}

func inspect(t *testing.T, d *postgres.Dialect, q dialect.Querier) *schema.Schema {
	t.Helper()
	s, err := d.Inspect(context.Background(), q, dialect.InspectOptions{})
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return s
}

func render(t *testing.T, d *postgres.Dialect, current *schema.Schema, o op.Op) []string {
	t.Helper()
	stmts, err := d.Render(current, o)
	if err != nil {
		t.Fatalf("Render(%s): %v", o, err)
	}
	return stmts
}

// applyOp renders o against current and runs it in one transaction.
func applyOp(t *testing.T, db *sql.DB, d *postgres.Dialect, current *schema.Schema, o op.Op) []string {
	t.Helper()
	stmts := render(t, d, current, o)
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: exec %s: %v", o, s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return stmts
}

// createAll creates every table of s in a database, parents before the
// tables whose foreign keys point at them.
func createAll(t *testing.T, db *sql.DB, d *postgres.Dialect, s *schema.Schema) {
	t.Helper()
	done := map[string]bool{}
	var visit func(tb *schema.Table)
	current := &schema.Schema{}
	visit = func(tb *schema.Table) {
		if done[tb.Name] {
			return
		}
		done[tb.Name] = true
		for _, fk := range tb.ForeignKeys {
			if parent, ok := s.Table(fk.RefTable); ok {
				visit(parent)
			}
		}
		applyOp(t, db, d, current, op.CreateTable{Table: tb})
		current.Tables = append(current.Tables, tb)
	}
	for _, tb := range s.Tables {
		visit(tb)
	}
}

// assertSame fails t unless got holds the objects of want, names of
// primary and foreign keys included (Differences compares keys by
// content only).
func assertSame(t *testing.T, want, got *schema.Schema) {
	t.Helper()
	diffs := schema.Differences(want, got)
	diffs = append(diffs, nameDifferences(want, got)...)
	if len(diffs) > 0 {
		t.Errorf("schemas differ:\n  %s\nwant:\n%s\ngot:\n%s", strings.Join(diffs, "\n  "), dump(want), dump(got))
	}
}

func nameDifferences(a, b *schema.Schema) []string {
	var out []string
	for _, ta := range a.Tables {
		tb, ok := b.Table(ta.Name)
		if !ok {
			continue
		}
		pkName := func(pk *schema.PrimaryKey) string {
			if pk == nil {
				return ""
			}
			return pk.Name
		}
		if pkName(ta.PrimaryKey) != pkName(tb.PrimaryKey) {
			out = append(out, fmt.Sprintf("table %q: primary key name %q, want %q", ta.Name, pkName(tb.PrimaryKey), pkName(ta.PrimaryKey)))
		}
		fkNames := func(fks []*schema.ForeignKey) []string {
			var n []string
			for _, fk := range fks {
				n = append(n, fk.Name)
			}
			return n
		}
		if !slices.Equal(fkNames(ta.ForeignKeys), fkNames(tb.ForeignKeys)) {
			out = append(out, fmt.Sprintf("table %q: foreign key names %q, want %q", ta.Name, fkNames(tb.ForeignKeys), fkNames(ta.ForeignKeys)))
		}
		checkNames := func(cks []*schema.Check) []string {
			var n []string
			for _, ck := range cks {
				n = append(n, ck.Name+": "+ck.Expr)
			}
			slices.Sort(n)
			return n
		}
		if !slices.Equal(checkNames(ta.Checks), checkNames(tb.Checks)) {
			out = append(out, fmt.Sprintf("table %q: checks %q, want %q", ta.Name, checkNames(tb.Checks), checkNames(ta.Checks)))
		}
	}
	return out
}

// dump writes s readably for failure messages.
func dump(s *schema.Schema) string {
	var b strings.Builder
	for _, e := range s.Enums {
		fmt.Fprintf(&b, "  enum %q %q\n", e.Name, e.Values)
	}
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "  table %q comment=%q\n", t.Name, t.Comment)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "    column %q %s null=%t default=%v auto=%t identity=%q generated=%+v collation=%q comment=%q\n",
				c.Name, c.Type, c.Nullable, c.Default, c.AutoIncrement, c.Identity, c.Generated, c.Collation, c.Comment)
		}
		if t.PrimaryKey != nil {
			fmt.Fprintf(&b, "    primary key %q %q\n", t.PrimaryKey.Name, t.PrimaryKey.Columns)
		}
		for _, ix := range t.Indexes {
			fmt.Fprintf(&b, "    index %q %+v unique=%t constraint=%t where=%q method=%q\n", ix.Name, ix.Parts, ix.Unique, ix.Constraint, ix.Where, ix.Method)
		}
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(&b, "    foreign key %q %q -> %q %q delete=%q update=%q deferrable=%t deferred=%t\n",
				fk.Name, fk.Columns, fk.RefTable, fk.RefColumns, fk.OnDelete, fk.OnUpdate, fk.Deferrable, fk.InitiallyDeferred)
		}
		for _, ck := range t.Checks {
			fmt.Fprintf(&b, "    check %q %q\n", ck.Name, ck.Expr)
		}
	}
	for _, v := range s.Views {
		fmt.Fprintf(&b, "  view %q %q\n", v.Name, v.Def)
	}
	return b.String()
}

// column returns table.column of s, failing t when it is missing.
func column(t *testing.T, s *schema.Schema, table, name string) *schema.Column {
	t.Helper()
	tb, ok := s.Table(table)
	if !ok {
		t.Fatalf("no table %q in\n%s", table, dump(s))
	}
	c, ok := tb.Column(name)
	if !ok {
		t.Fatalf("no column %q.%q in\n%s", table, name, dump(s))
	}
	return c
}

// tableOf returns the table called name, failing t when it is missing.
func tableOf(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	tb, ok := s.Table(name)
	if !ok {
		t.Fatalf("no table %q in\n%s", name, dump(s))
	}
	return tb
}

// queryStrings returns the first column of every row of query as text.
func queryStrings(t *testing.T, q dialect.Querier, query string) []string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("query %s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v.Valid {
			out = append(out, v.String)
		} else {
			out = append(out, "NULL")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
