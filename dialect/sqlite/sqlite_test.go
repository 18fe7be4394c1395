package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

func open(t *testing.T) (*sql.DB, *sqlite.Dialect) {
	t.Helper()
	db, _ := testdb.Open(t, "sqlite")
	d, err := sqlite.New(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return db, d
}

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("exec %q: %v", s, err)
		}
	}
}

func inspect(t *testing.T, d *sqlite.Dialect, db *sql.DB) *schema.Schema {
	t.Helper()
	s, err := d.Inspect(context.Background(), db, dialect.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// renderAll renders ops together, as a revision's are (RenderPlan).
func renderAll(t *testing.T, d *sqlite.Dialect, current *schema.Schema, ops ...op.Op) []string {
	t.Helper()
	out, err := dialect.RenderOps(d, current.Clone(), ops)
	if err != nil {
		t.Fatalf("render %v: %v", ops, err)
	}
	return out
}

// TestCanonical renders a schema built like the models package builds one
// and checks that inspecting it gives the canonical form back.
func TestCanonical(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	in := &schema.Schema{Tables: []*schema.Table{{
		Name: "todos",
		Columns: []*schema.Column{
			{Name: "id", Type: schema.IntegerType{Bits: 64}, AutoIncrement: true},
			{Name: "title", Type: schema.StringType{Size: 200}},
			{Name: "done", Type: schema.BoolType{}, Default: schema.Literal{SQL: "false"}},
			{Name: "due", Type: schema.TimeType{Kind: schema.Timestamp, WithZone: true, Precision: 6}, Nullable: true},
			{Name: "data", Type: schema.BinaryType{}, Nullable: true},
			{Name: "score", Type: schema.FloatType{Bits: 64}},
			{Name: "small", Type: schema.IntegerType{Bits: 32}, Default: schema.Literal{SQL: "-1"}},
		},
		PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}},
		Indexes:    []*schema.Index{{Name: "uq_title", Parts: schema.Columns("title"), Unique: true}},
	}}}
	exec(t, db, renderAll(t, d, &schema.Schema{}, op.CreateTable{Table: in.Tables[0]})...)
	got := inspect(t, d, db)
	want := in.Clone()
	d.Canonical(want)
	if diffs := schema.Differences(want, got); len(diffs) > 0 {
		t.Fatalf("canonical differs from inspected:\n%s", strings.Join(diffs, "\n"))
	}
}

func rows(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	r, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	var out []string
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

// TestOpsKeepData runs each op that needs a rebuild on a populated table,
// inside a transaction as the runner does, then its inverse, and checks
// both the rows and that the schema comes back.
func TestOpsKeepData(t *testing.T) {
	done := &schema.Column{Name: "done", Type: schema.BoolType{}}
	note := &schema.Column{Name: "note", Type: schema.StringType{}, Nullable: true}
	cases := []struct {
		name string
		ops  func(*schema.Table) []op.Op
		want []string // rows after the op
	}{
		{"add not null with backfill", func(*schema.Table) []op.Op {
			return []op.Op{op.AddColumn{Table: "items", Column: done, Backfill: schema.Literal{SQL: "false"}}}
		}, []string{"1 a <nil> 0", "2 b x 0"}},
		{"set not null with backfill", func(tb *schema.Table) []op.Op {
			c, _ := tb.Column("note")
			to := c.Clone()
			to.Nullable = false
			return []op.Op{op.AlterColumn{Table: "items", From: c.Clone(), To: to, Backfill: schema.Literal{SQL: "''"}}}
		}, []string{"1 a ", "2 b x"}},
		{"drop indexed column", func(tb *schema.Table) []op.Op {
			c, _ := tb.Column("name")
			ix, _ := tb.Index("items_name")
			return []op.Op{op.DropIndex{Table: "items", Index: ix}, op.DropColumn{Table: "items", Column: c.Clone()}}
		}, []string{"1 <nil>", "2 x"}},
		{"drop plain column", func(*schema.Table) []op.Op {
			return []op.Op{op.DropColumn{Table: "items", Column: note}}
		}, []string{"1 a", "2 b"}},
		{"change type", func(tb *schema.Table) []op.Op {
			c, _ := tb.Column("name")
			to := c.Clone()
			to.Type = schema.StringType{Size: 10}
			return []op.Op{op.AlterColumn{Table: "items", From: c.Clone(), To: to}}
		}, []string{"1 a <nil>", "2 b x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, d := open(t)
			exec(t, db, `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT)`,
				`CREATE INDEX items_name ON items (name)`,
				`INSERT INTO items (name, note) VALUES ('a', NULL), ('b', 'x')`)
			before := inspect(t, d, db)
			tb, _ := before.Table("items")
			ops := tc.ops(tb)
			inTx(t, db, renderAll(t, d, before, ops...))
			if got := rows(t, db, "SELECT * FROM items ORDER BY id"); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("rows after %s = %q, want %q", tc.name, got, tc.want)
			}
			after := inspect(t, d, db)
			expect := before.Clone()
			for _, o := range ops {
				if err := o.Apply(expect); err != nil {
					t.Fatal(err)
				}
			}
			d.Canonical(expect)
			if diffs := schema.Differences(expect, after); len(diffs) > 0 {
				t.Fatalf("schema after %s:\n%s", tc.name, strings.Join(diffs, "\n"))
			}
			var inv []op.Op
			for i := len(ops) - 1; i >= 0; i-- {
				o, err := ops[i].Inverse()
				if err != nil {
					t.Fatal(err)
				}
				inv = append(inv, o)
			}
			inTx(t, db, renderAll(t, d, after, inv...))
			if diffs := schema.Differences(before, inspect(t, d, db)); len(diffs) > 0 {
				t.Fatalf("schema after inverse of %s:\n%s", tc.name, strings.Join(diffs, "\n"))
			}
			if n := len(rows(t, db, "SELECT * FROM items")); n != 2 {
				t.Fatalf("%d rows after the inverse, want 2", n)
			}
		})
	}
}

func inTx(t *testing.T, db *sql.DB, stmts []string) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			tx.Rollback()
			t.Fatalf("exec %q: %v", s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestDSN(t *testing.T) {
	for in, want := range map[string]string{
		"sqlite:app.db":                       "file:app.db?_pragma=busy_timeout%2810000%29&_txlock=immediate",
		"sqlite::memory:":                     "file::memory:?_pragma=busy_timeout%2810000%29&_txlock=immediate",
		"sqlite://dir/x.db":                   "file:dir/x.db?_pragma=busy_timeout%2810000%29&_txlock=immediate",
		"sqlite:a.db?_pragma=busy_timeout(5)": "file:a.db?_pragma=busy_timeout%285%29&_txlock=immediate",
	} {
		got, err := sqlite.DSN(in)
		if err != nil || got != want {
			t.Errorf("DSN(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"postgres://x", "sqlite:"} {
		if _, err := sqlite.DSN(bad); err == nil {
			t.Errorf("DSN(%q): want an error", bad)
		}
	}
}
