package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

const opsSetup = `CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT, other INTEGER);
CREATE INDEX parent_name ON parent (name);
CREATE TABLE child (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER CONSTRAINT child_parent REFERENCES parent (id) ON DELETE CASCADE,
  note TEXT CONSTRAINT note_len CHECK (length(note) < 20),
  other INTEGER);
INSERT INTO parent (id, code, name, other) VALUES (1, 'a', 'Ann', 1), (2, 'b', 'Bob', 2);
INSERT INTO child (id, parent_id, note, other) VALUES (10, 1, 'x', 1), (11, 1, 'y', 2), (12, 2, NULL, 2);
CREATE TABLE tag (code TEXT REFERENCES parent (code) ON UPDATE CASCADE);
INSERT INTO tag (code) VALUES ('a'), ('b');`

const opsView = `CREATE VIEW parent_names AS SELECT id, name FROM parent;
CREATE VIEW parent_names2 AS SELECT name FROM parent_names WHERE id > 0;`

type opsCase struct {
	name string
	view bool // add the views that use parent
	ops  func(t *testing.T, s *schema.Schema) []op.Op
	// inverse, when set, replaces the ops' inverses (for ops without one).
	inverse func(t *testing.T, s *schema.Schema) []op.Op
	// check runs on the database after the ops.
	check func(t *testing.T, db *sql.DB)
	// sql, when set, must be what the ops render to, in full ("" for no
	// statement) or, with a trailing "...", at the start.
	sql *string
	// fails, when set, is part of the error the ops must fail with; the
	// transaction must then leave everything as it was.
	fails string
}

func sqlIs(s string) *string { return &s }

func tbl(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	return table1(t, s, name)
}

func col(t *testing.T, s *schema.Schema, table, name string) *schema.Column {
	t.Helper()
	return column(t, s, table, name).Clone()
}

var opsCases = []opsCase{
	{name: "rename table", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.RenameTable{From: "parent", To: "Parent Table"}}
	}, sql: sqlIs(`ALTER TABLE parent RENAME TO "Parent Table"`)},
	{name: "alter table is a no-op", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AlterTable{Table: "parent", To: schema.TableAttrs{Comment: "people"}}}
	}, sql: sqlIs("")},
	{name: "add foreign key", view: true, ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AddForeignKey{Table: "child", ForeignKey: &schema.ForeignKey{
			Name: "child_other", Columns: []string{"other"}, RefTable: "parent", RefColumns: []string{"id"},
			OnDelete: "SET NULL", Deferrable: true, InitiallyDeferred: true,
		}}}
	}},
	{name: "add foreign key to rebuilt parent", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		// parent references child: parent is rebuilt while child points at it.
		return []op.Op{op.AddForeignKey{Table: "parent", ForeignKey: &schema.ForeignKey{
			Columns: []string{"other"}, RefTable: "child", RefColumns: []string{"id"},
		}}}
	}, check: func(t *testing.T, db *sql.DB) {
		// other = 1 and 2 reference no child: the check reports them.
		if got := rows(t, db, `PRAGMA foreign_key_check("parent")`); len(got) != 2 {
			t.Errorf("foreign_key_check = %q, want the 2 dangling rows", got)
		}
	}},
	{name: "drop foreign key", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		fk, _ := tbl(t, s, "child").ForeignKey("child_parent")
		return []op.Op{op.DropForeignKey{Table: "child", ForeignKey: fk}}
	}},
	{name: "add check to referenced table", view: true, ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AddCheck{Table: "parent", Check: &schema.Check{Name: "code_len", Expr: "length(code) = 1"}}}
	}},
	{name: "drop check", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		ck, _ := tbl(t, s, "child").Check("note_len")
		return []op.Op{op.DropCheck{Table: "child", Check: ck}}
	}},
	{name: "drop constraint check", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.DropConstraint{Table: "child", Name: "note_len"}}
	}, inverse: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AddCheck{Table: "child", Check: &schema.Check{Name: "note_len", Expr: "length(note) < 20"}}}
	}},
	{name: "drop constraint foreign key", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.DropConstraint{Table: "child", Name: "child_parent"}}
	}, inverse: func(t *testing.T, s *schema.Schema) []op.Op {
		fk, _ := tbl(t, s, "child").ForeignKey("child_parent")
		return []op.Op{op.AddForeignKey{Table: "child", ForeignKey: fk}}
	}},
	{name: "drop constraint index", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.DropConstraint{Table: "parent", Name: "parent_name"}}
	}, sql: sqlIs(`DROP INDEX parent_name`), inverse: func(t *testing.T, s *schema.Schema) []op.Op {
		ix, _ := tbl(t, s, "parent").Index("parent_name")
		return []op.Op{op.CreateIndex{Table: "parent", Index: ix}}
	}},
	{name: "drop unique constraint a foreign key needs", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.DropConstraint{Table: "parent", Name: "sqlite_autoindex_parent_1"}}
	}, fails: `foreign key mismatch - "tag" referencing "parent"`},
	{name: "drop constraint unique", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		fk := tbl(t, s, "tag").ForeignKeys[0]
		return []op.Op{op.DropForeignKey{Table: "tag", ForeignKey: fk}, op.DropConstraint{Table: "parent", Name: "sqlite_autoindex_parent_1"}}
	}, inverse: func(t *testing.T, s *schema.Schema) []op.Op {
		ix, _ := tbl(t, s, "parent").Index("sqlite_autoindex_parent_1")
		fk := tbl(t, s, "tag").ForeignKeys[0]
		return []op.Op{op.CreateIndex{Table: "parent", Index: ix}, op.AddForeignKey{Table: "tag", ForeignKey: fk}}
	}},
	{name: "rename column", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		from := col(t, s, "parent", "name")
		to := from.Clone()
		to.Name = "full name"
		return []op.Op{op.AlterColumn{Table: "parent", From: from, To: to}}
	}, sql: sqlIs(`ALTER TABLE parent RENAME COLUMN name TO "full name"`)},
	{name: "rename referenced column and change type", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		from := col(t, s, "parent", "code")
		to := from.Clone()
		to.Name, to.Type, to.Collation = "Parent Code", schema.StringType{Size: 8}, "NOCASE"
		return []op.Op{op.AlterColumn{Table: "parent", From: from, To: to}}
	}},
	{name: "change type of referenced table", view: true, ops: func(t *testing.T, s *schema.Schema) []op.Op {
		from := col(t, s, "parent", "other")
		to := from.Clone()
		to.Type, to.Default = schema.DecimalType{Precision: 10, Scale: 2}, lit("0")
		return []op.Op{op.AlterColumn{Table: "parent", From: from, To: to}}
	}},
	{name: "add unique constraint", view: true, ops: func(t *testing.T, s *schema.Schema) []op.Op {
		// SQLite names the constraint's index itself; Canonical gives an op
		// built from models that name, which the inverse needs to find it.
		return []op.Op{op.CreateIndex{Table: "parent", Index: &schema.Index{Name: "sqlite_autoindex_parent_2", Parts: schema.Columns("name", "other"), Unique: true, Constraint: true}}}
	}},
	{name: "create index with everything", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.CreateIndex{Table: "child", Index: &schema.Index{
			Name:  "child_x",
			Parts: []schema.IndexPart{{Column: "parent_id", Desc: true}, {Expr: "lower(note)"}, {Expr: `"note" COLLATE NOCASE`}},
			Where: "note IS NOT NULL", Unique: true,
		}}}
	}},
	{name: "add stored generated column", view: true, ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AddColumn{Table: "parent", Column: &schema.Column{
			Name: "label", Type: schema.StringType{}, Nullable: true, Generated: schema.Generated{Expr: "code || '-' || name", Stored: true},
		}}}
	}, check: func(t *testing.T, db *sql.DB) {
		if got := fmt.Sprint(rows(t, db, "SELECT label FROM parent ORDER BY id")); got != "[a-Ann b-Bob]" {
			t.Errorf("labels = %s", got)
		}
	}},
	{name: "add virtual generated column", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AddColumn{Table: "child", Column: &schema.Column{
			Name: "double", Type: schema.IntegerType{Bits: 64}, Nullable: true, Generated: schema.Generated{Expr: "other * 2"},
		}}}
	}},
	{name: "add column with expression default", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.AddColumn{Table: "parent", Column: &schema.Column{
			Name: "created", Type: schema.TimeType{}, Default: expr("CURRENT_TIMESTAMP"),
		}}}
	}, check: func(t *testing.T, db *sql.DB) {
		if got := rows(t, db, "SELECT count(*) FROM parent WHERE created IS NOT NULL"); got[0] != "2" {
			t.Errorf("rows with a creation time: %s", got)
		}
	}},
	{name: "add and drop stored generated column", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		c := &schema.Column{Name: "twice", Type: schema.IntegerType{Bits: 64}, Nullable: true, Generated: schema.Generated{Expr: "other * 2", Stored: true}}
		return []op.Op{op.AddColumn{Table: "child", Column: c}, op.DropColumn{Table: "child", Column: c}}
	}},
	{name: "drop referencing column", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		fk, _ := tbl(t, s, "child").ForeignKey("child_parent")
		return []op.Op{op.DropForeignKey{Table: "child", ForeignKey: fk}, op.DropColumn{Table: "child", Column: col(t, s, "child", "parent_id")}}
	}, inverse: func(t *testing.T, s *schema.Schema) []op.Op {
		fk, _ := tbl(t, s, "child").ForeignKey("child_parent")
		return []op.Op{op.AddColumn{Table: "child", Column: col(t, s, "child", "parent_id")}, op.AddForeignKey{Table: "child", ForeignKey: fk}}
	}},
	{name: "views", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{
			op.CreateView{View: &schema.View{Name: "Kids View", Def: "SELECT c.id, p.name FROM child AS c JOIN parent AS p ON p.id = c.parent_id"}},
			op.CreateView{View: &schema.View{Name: "v2", Def: `SELECT count(*) AS n FROM "Kids View"`}},
		}
	}, check: func(t *testing.T, db *sql.DB) {
		if got := rows(t, db, "SELECT n FROM v2"); got[0] != "3" {
			t.Errorf("v2 = %s", got)
		}
	}},
	{name: "bulk insert", ops: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.BulkInsert{Table: "parent", Columns: []string{"id", "code", "name", "other"}, Rows: [][]any{
			{3, "c", "O'Hara", nil},
			{int64(4), "d", "", true},
			{uint8(5), "e", "x", 2.5},
		}}}
	}, inverse: func(t *testing.T, s *schema.Schema) []op.Op {
		return []op.Op{op.Execute{SQL: "DELETE FROM parent WHERE id > 2"}}
	}, check: func(t *testing.T, db *sql.DB) {
		want := "[3 c O'Hara <nil> 4 d  1 5 e x 2.5]"
		if got := fmt.Sprint(rows(t, db, "SELECT id, code, name, other FROM parent WHERE id > 2 ORDER BY id")); got != want {
			t.Errorf("rows = %s, want %s", got, want)
		}
	}},
}

// TestOps runs each op on populated tables inside a transaction, as the
// runner does, then its inverse: the schema must be what op.Apply says,
// then the original again; rows and the foreign keys of other tables must
// survive.
func TestOps(t *testing.T) {
	for _, tc := range opsCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, d := open(t)
			exec(t, db, opsSetup)
			if tc.view {
				exec(t, db, opsView)
			}
			before := inspect(t, d, db)
			wantRows := counts(t, db)
			ops := tc.ops(t, before)
			stmts := renderAll(t, d, before, ops...)
			if tc.sql != nil {
				got, want := strings.Join(stmts, ";\n"), *tc.sql
				if prefix, ok := strings.CutSuffix(want, "..."); ok && !strings.HasPrefix(got, prefix) || !ok && got != want {
					t.Errorf("rendered:\n%s\nwant:\n%s", got, want)
				}
			}
			// Each rebuild is bracketed by PRAGMA legacy_alter_table, and
			// the foreign key checks end the statements when one happened.
			open, rebuilt := 0, false
			for _, s := range stmts {
				switch s {
				case "PRAGMA legacy_alter_table = ON":
					open++
					rebuilt = true
				case "PRAGMA legacy_alter_table = OFF":
					open--
				}
			}
			if open != 0 || rebuilt && !strings.HasPrefix(stmts[len(stmts)-1], "PRAGMA foreign_key_check(") {
				t.Errorf("rebuilds not closed, or without PRAGMA foreign_key_check at the end:\n%s", strings.Join(stmts, ";\n"))
			}
			if tc.fails != "" {
				err := inTxErr(db, stmts)
				if err == nil || !strings.Contains(err.Error(), tc.fails) {
					t.Fatalf("err = %v, want one with %q", err, tc.fails)
				}
				if diffs := schema.Differences(before, inspect(t, d, db)); len(diffs) > 0 {
					t.Fatalf("schema after the failure:\n%s", strings.Join(diffs, "\n"))
				}
				if got := counts(t, db); got != wantRows {
					t.Errorf("rows after the failure: %s, want %s", got, wantRows)
				}
				return
			}
			inTx(t, db, stmts)
			if tc.check != nil {
				tc.check(t, db)
			} else if got := rows(t, db, "PRAGMA foreign_key_check"); len(got) > 0 {
				t.Errorf("foreign key violations after the ops: %q", got)
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
				t.Fatalf("schema after the ops:\n%s\nstatements:\n%s", strings.Join(diffs, "\n"), strings.Join(stmts, ";\n"))
			}
			var inv []op.Op
			if tc.inverse != nil {
				inv = tc.inverse(t, before)
			} else {
				for i := len(ops) - 1; i >= 0; i-- {
					o, err := ops[i].Inverse()
					if err != nil {
						t.Fatal(err)
					}
					inv = append(inv, o)
				}
			}
			inTx(t, db, renderAll(t, d, after, inv...))
			if diffs := schema.Differences(before, inspect(t, d, db)); len(diffs) > 0 {
				t.Fatalf("schema after the inverse:\n%s", strings.Join(diffs, "\n"))
			}
			if got := counts(t, db); got != wantRows {
				t.Errorf("rows after the inverse: %s, want %s", got, wantRows)
			}
			if got := rows(t, db, "PRAGMA foreign_key_check"); len(got) > 0 && tc.check == nil {
				t.Errorf("foreign key violations after the inverse: %q", got)
			}
		})
	}
}

func counts(t *testing.T, db *sql.DB) string {
	t.Helper()
	var out []string
	for _, tb := range []string{"parent", "child", "tag"} {
		out = append(out, rows(t, db, "SELECT count(*), coalesce(sum(rowid), 0) FROM "+tb)...)
	}
	return strings.Join(out, "; ")
}

// TestRebuildRefusals checks that a revision that rebuilds a table is
// refused, before anything runs, rather than drop triggers or fire
// foreign key actions: strata's own rebuild and one written by hand,
// read by CheckStatements.
func TestRebuildRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	addCheck := op.AddCheck{Table: "parent", Check: &schema.Check{Expr: "id > 0"}}
	byHand := []string{
		`CREATE TABLE "new_parent" (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT, other INTEGER, CHECK (id > 0))`,
		`INSERT INTO new_parent SELECT * FROM parent`,
		`DROP TABLE parent`,
		`ALTER TABLE new_parent RENAME TO parent`,
		`CREATE INDEX parent_name ON parent (name)`,
	}
	t.Run("unknown triggers", func(t *testing.T) {
		t.Parallel()
		db, d := open(t)
		exec(t, db, opsSetup)
		// Rendered from a schema that does not know the trigger: the
		// rebuild cannot give it back, so it must not start.
		generated := renderAll(t, d, inspect(t, d, db), addCheck)
		exec(t, db, `CREATE TRIGGER parent_audit AFTER UPDATE ON parent BEGIN SELECT 1; END`)
		for name, stmts := range map[string][]string{"generated": generated, "by hand": byHand} {
			r, err := d.CheckStatements(ctx, db, stmts, true)
			if err != nil {
				t.Fatal(err)
			}
			if r == nil || r.Table != "parent" || !strings.Contains(r.Reason, "parent_audit") || !strings.Contains(r.Fix, "CREATE TRIGGER parent_audit") {
				t.Fatalf("%s: refusal %+v, want one naming parent and its trigger", name, r)
			}
			if !strings.HasPrefix(stmts[r.Statement], "DROP TABLE ") {
				t.Errorf("%s: refusal at %q, want the DROP TABLE of the old table", name, stmts[r.Statement])
			}
			// With the trigger created again (or dropped) by the revision, it runs.
			again := append(slices.Clone(stmts), `CREATE TRIGGER parent_audit AFTER UPDATE ON parent BEGIN SELECT 1; END`)
			if r, err := d.CheckStatements(ctx, db, again, true); err != nil || r != nil {
				t.Fatalf("%s: with the trigger created again: %+v, %v", name, r, err)
			}
		}
	})
	t.Run("known triggers", func(t *testing.T) {
		t.Parallel()
		db, d := open(t)
		exec(t, db, opsSetup, `CREATE TRIGGER parent_audit AFTER UPDATE ON parent BEGIN SELECT 1; END`,
			`CREATE VIEW parent_names AS SELECT id FROM parent`,
			`CREATE TRIGGER parent_names_insert INSTEAD OF INSERT ON parent_names BEGIN INSERT INTO parent (id) VALUES (NEW.id); END`)
		before := inspect(t, d, db)
		// Known to the schema, they are created again by the rebuild
		// itself, as plain SQL.
		stmts := renderAll(t, d, before, addCheck)
		if r, err := d.CheckStatements(ctx, db, stmts, true); err != nil || r != nil {
			t.Fatalf("rebuild with known triggers refused: %+v, %v", r, err)
		}
		if err := inTxErr(db, stmts); err != nil {
			t.Fatalf("rebuild with known triggers: %v", err)
		}
		after := inspect(t, d, db)
		if got := rows(t, db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name"); strings.Join(got, " ") != "parent_audit parent_names_insert" {
			t.Fatalf("triggers after the rebuild: %q", got)
		}
		tb, _ := after.Table("parent")
		want, _ := before.Table("parent")
		if len(tb.Triggers) != 1 || tb.Triggers[0].Def != want.Triggers[0].Def {
			t.Fatalf("trigger %+v, want %+v", tb.Triggers, want.Triggers)
		}
		if diffs := schema.Differences(before.Clone(), after); len(diffs) != 1 {
			t.Errorf("differences after the rebuild: %q, want the check alone", diffs)
		}
	})
	t.Run("foreign keys on", func(t *testing.T) {
		t.Parallel()
		db, d := open(t)
		exec(t, db, opsSetup)
		generated := renderAll(t, d, inspect(t, d, db), addCheck)
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
		for name, stmts := range map[string][]string{"generated": generated, "by hand": byHand} {
			r, err := d.CheckStatements(ctx, conn, stmts, true)
			if err != nil {
				t.Fatal(err)
			}
			if r == nil || r.Table != "parent" || !strings.Contains(r.Reason, "foreign keys are on") || !strings.Contains(r.Reason, "child, tag") {
				t.Fatalf("%s: refusal %+v, want one about foreign keys", name, r)
			}
			// Outside a transaction, PRAGMA foreign_keys = OFF first does it.
			off := append([]string{"PRAGMA foreign_keys = OFF"}, stmts...)
			if r, err := d.CheckStatements(ctx, conn, off, false); err != nil || r != nil {
				t.Fatalf("%s: with foreign keys turned off first: %+v, %v", name, r, err)
			}
			if r, err := d.CheckStatements(ctx, conn, off, true); err != nil || r == nil {
				t.Fatalf("%s: PRAGMA foreign_keys = OFF inside a transaction is a no-op: %+v, %v", name, r, err)
			}
		}
	})
}

func TestEnumsUnsupported(t *testing.T) {
	t.Parallel()
	var d sqlite.Dialect
	for _, o := range []op.Op{
		op.CreateEnum{Enum: &schema.Enum{Name: "mood", Values: []string{"ok"}}},
		op.DropEnum{Enum: &schema.Enum{Name: "mood"}},
		op.AddEnumValue{Enum: "mood", Value: "sad"},
	} {
		if _, err := d.Render(&schema.Schema{}, o); !errors.Is(err, sqlite.ErrNoEnums) {
			t.Errorf("render %s: err = %v, want ErrNoEnums", o, err)
		}
	}
}

func TestBulkInsertLiterals(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db, `CREATE TABLE t (a, b, c, d, e, f, g)`)
	when := time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.FixedZone("x", 3600))
	o := op.BulkInsert{Table: "t", Columns: []string{"a", "b", "c", "d", "e", "f", "g"}, Rows: [][]any{
		{nil, true, false, -7, 1e100, []byte{0, 0xAB}, when},
		{"it's", uint64(1 << 62), float32(0.5), int8(-1), 3.0, []byte{}, "ü"},
	}}
	stmts, err := d.Render(inspect(t, d, db), o)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, stmts...)
	got := rows(t, db, "SELECT quote(a), quote(b), quote(c), quote(d), quote(e), quote(f), quote(g) FROM t ORDER BY rowid")
	want := []string{
		"NULL 1 0 -7 1.0e+100 X'00AB' '2026-01-02 02:04:05.678'",
		"'it''s' 4611686018427387904 0.5 -1 3.0 X'' 'ü'",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("inserted %q, want %q", got, want)
	}
	for _, bad := range []any{struct{}{}, uint64(1 << 63)} {
		if _, err := d.Render(nil, op.BulkInsert{Table: "t", Columns: []string{"a"}, Rows: [][]any{{bad}}}); err == nil {
			t.Errorf("BulkInsert of %T: want an error", bad)
		}
	}
	// Many rows are cut into statements of at most 500 rows.
	many := op.BulkInsert{Table: "t", Columns: []string{"a"}}
	for i := range 1201 {
		many.Rows = append(many.Rows, []any{i})
	}
	stmts, err = d.Render(nil, many)
	if err != nil || len(stmts) != 3 {
		t.Fatalf("1201 rows: %d statements, %v; want 3", len(stmts), err)
	}
	exec(t, db, stmts...)
	if n := rows(t, db, "SELECT count(*) FROM t"); n[0] != "1203" {
		t.Errorf("count = %s", n)
	}
}

func inTxErr(db *sql.DB, stmts []string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			tx.Rollback()
			return fmt.Errorf("exec %q: %w", s, err)
		}
	}
	return tx.Commit()
}

// TestRebuildKeepsAutoincrement checks that a rebuild keeps the
// AUTOINCREMENT counter: the id of a deleted row is not given again.
func TestRebuildKeepsAutoincrement(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db, `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)`,
		`INSERT INTO t (v) VALUES ('a'), ('b'), ('c')`, `DELETE FROM t WHERE id = 3`)
	before := inspect(t, d, db)
	inTx(t, db, renderAll(t, d, before, op.AddCheck{Table: "t", Check: &schema.Check{Expr: "v <> ''"}}))
	exec(t, db, `INSERT INTO t (v) VALUES ('d')`)
	if got := rows(t, db, "SELECT id FROM t WHERE v = 'd'"); got[0] != "4" {
		t.Errorf("new row got id %s, want 4", got[0])
	}
	// An empty table keeps its counter too.
	exec(t, db, `DELETE FROM t`)
	inTx(t, db, renderAll(t, d, inspect(t, d, db), op.DropCheck{Table: "t", Check: &schema.Check{Expr: "v <> ''"}}))
	exec(t, db, `INSERT INTO t (v) VALUES ('e')`)
	if got := rows(t, db, "SELECT id FROM t"); got[0] != "5" {
		t.Errorf("new row got id %s, want 5", got[0])
	}
}
