package sqlite_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/sqlite"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// triggersDDL has triggers on tables (BEFORE, AFTER, UPDATE OF, WHEN,
// FOR EACH ROW, IF NOT EXISTS, a quoted name, a comment) and on a view
// (INSTEAD OF).
var triggersDDL = []string{
	`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)`,
	`CREATE TABLE audit (what TEXT, at TEXT)`,
	`CREATE TRIGGER users_insert AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('insert', NEW.name); END`,
	`create trigger if not exists "Users Age" before update of age, name on [users] for each row
	 when NEW.age < 0 -- no negative ages
	 begin select raise(abort, 'negative age'); end`,
	`CREATE TRIGGER "users_update" AFTER UPDATE ON "users" BEGIN UPDATE audit SET "what" = '"what"' WHERE [at] IS NULL AND "select" = 1 AND what <> "gone"; END`,
	`CREATE VIEW adults AS SELECT id, name FROM users WHERE age >= 18`,
	`CREATE TRIGGER adults_insert INSTEAD OF INSERT ON adults BEGIN INSERT INTO users (name, age) VALUES (NEW.name, 18); END`,
}

func TestTriggersRoundTrip(t *testing.T) {
	t.Parallel()
	db1, d := open(t)
	exec(t, db1, triggersDDL...)
	first := inspect(t, d, db1)
	users := table1(t, first, "users")
	var defs []string
	for _, tr := range users.Triggers {
		defs = append(defs, tr.Def)
	}
	want := []string{
		`CREATE TRIGGER "Users Age" before update of age, name on users for each row
	 when NEW.age < 0 -- no negative ages
	 begin select raise(abort, 'negative age'); end`,
		`CREATE TRIGGER users_insert AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('insert', NEW.name); END`,
		// Quotes come off the schema's names, not off keywords, literals,
		// or words SQLite reads as strings ("gone" names nothing).
		`CREATE TRIGGER "users_update" AFTER UPDATE ON users BEGIN UPDATE audit SET what = '"what"' WHERE at IS NULL AND "select" = 1 AND what <> "gone"; END`,
	}
	if !slices.Equal(defs, want) {
		t.Errorf("triggers of users:\n%s\nwant (as SQLite keeps them, the table after ON as quote writes it):\n%s", strings.Join(defs, "\n"), strings.Join(want, "\n"))
	}
	if v, ok := first.View("adults"); !ok || len(v.Triggers) != 1 || v.Triggers[0].Name != "adults_insert" {
		t.Errorf("the view's INSTEAD OF trigger: %+v", v)
	}
	canon := first.Clone()
	d.Canonical(canon)
	if diffs := schema.Differences(first, canon); len(diffs) > 0 {
		t.Errorf("Canonical changed the inspected schema: %q", diffs)
	}

	db2, _ := open(t)
	ops, err := diff.Schemas(&schema.Schema{}, first)
	if err != nil {
		t.Fatal(err)
	}
	inTx(t, db2, renderAll(t, d, &schema.Schema{}, ops...))
	second := inspect(t, d, db2)
	if diffs := schema.Differences(second, first); len(diffs) > 0 {
		t.Fatalf("round trip:\n%s", strings.Join(diffs, "\n"))
	}
	exec(t, db2, `INSERT INTO users (name, age) VALUES ('ann', 30)`)
	if _, err := db2.Exec(`UPDATE users SET age = -1`); err == nil || !strings.Contains(err.Error(), "negative age") {
		t.Errorf("the created trigger does not run: %v", err)
	}
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	inTx(t, db2, renderAll(t, d, second, inv...))
	if n := rows(t, db2, "SELECT count(*) FROM sqlite_schema"); n[0] != "0" {
		t.Errorf("after the downgrade %s objects are left", n[0])
	}
}

// TestTriggersConverge migrates a database from one schema to another
// with diff's ops, applied as plain SQL, then back with their inverse.
func TestTriggersConverge(t *testing.T) {
	t.Parallel()
	base := []string{
		`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)`,
		`CREATE TABLE audit (what TEXT)`,
	}
	cases := []struct {
		name             string
		current, desired []string
		opts             []diff.Option
	}{
		{
			name:    "trigger added, changed and dropped",
			current: append(slices.Clone(base), `CREATE TRIGGER a AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('a'); END`, `CREATE TRIGGER b AFTER DELETE ON users BEGIN INSERT INTO audit VALUES ('b'); END`),
			desired: append(slices.Clone(base), `CREATE TRIGGER a AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('a2'); END`, `CREATE TRIGGER c AFTER UPDATE ON users BEGIN INSERT INTO audit VALUES ('c'); END`),
		},
		{
			name:    "table with a trigger dropped",
			current: append(slices.Clone(base), `CREATE TRIGGER a AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('a'); END`),
			desired: []string{`CREATE TABLE audit (what TEXT)`},
		},
		{
			// A rebuild (the column's type changes) keeps the table's other
			// triggers; the one naming the column is made again around it.
			name:    "column type change rebuilds the table",
			current: append(slices.Clone(base), `CREATE TRIGGER a AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('a'); END`, `CREATE TRIGGER b BEFORE UPDATE OF age ON users BEGIN SELECT 1; END`),
			desired: []string{`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age TEXT)`, `CREATE TABLE audit (what TEXT)`,
				`CREATE TRIGGER a AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('a'); END`, `CREATE TRIGGER b BEFORE UPDATE OF age ON users BEGIN SELECT 1; END`},
		},
		{
			name: "view with a trigger changed",
			current: append(slices.Clone(base), `CREATE VIEW v AS SELECT id, name FROM users`,
				`CREATE TRIGGER v_insert INSTEAD OF INSERT ON v BEGIN INSERT INTO users (name) VALUES (NEW.name); END`),
			desired: append(slices.Clone(base), `CREATE VIEW v AS SELECT id, name FROM users WHERE id > 0`,
				`CREATE TRIGGER v_insert INSTEAD OF INSERT ON v BEGIN INSERT INTO users (name) VALUES (NEW.name); END`),
		},
		{
			name:    "renamed table and column carry their trigger",
			current: append(slices.Clone(base), `CREATE TRIGGER a BEFORE UPDATE OF name ON users BEGIN SELECT NEW.name; END`),
			desired: []string{`CREATE TABLE people (id INTEGER PRIMARY KEY, full_name TEXT, age INTEGER)`, `CREATE TABLE audit (what TEXT)`,
				`CREATE TRIGGER a BEFORE UPDATE OF full_name ON "people" BEGIN SELECT NEW.full_name; END`},
			opts: []diff.Option{diff.RenameTable("users", "people"), diff.RenameColumn("people", "name", "full_name")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, d := open(t)
			b, _ := open(t)
			exec(t, a, tc.current...)
			exec(t, b, tc.desired...)
			before, target := inspect(t, d, a), inspect(t, d, b)
			ops, err := diff.Schemas(before, target, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			exec(t, a, `INSERT INTO users (name, age) VALUES ('ann', 30)`)
			inTx(t, a, renderAll(t, d, before, ops...))
			after := inspect(t, d, a)
			if diffs := schema.Differences(after, target); len(diffs) > 0 {
				t.Fatalf("after the upgrade:\n%s", strings.Join(diffs, "\n"))
			}
			if again, err := diff.Schemas(after, target); err != nil || len(again) > 0 {
				t.Fatalf("second diff: %v, %v", again, err)
			}
			inv, err := diff.Inverse(ops)
			if err != nil {
				t.Fatal(err)
			}
			inTx(t, a, renderAll(t, d, after, inv...))
			if diffs := schema.Differences(inspect(t, d, a), before); len(diffs) > 0 {
				t.Fatalf("after the downgrade:\n%s", strings.Join(diffs, "\n"))
			}
		})
	}
}

func TestRoutinesUnsupported(t *testing.T) {
	t.Parallel()
	var d sqlite.Dialect
	f := &schema.Function{Kind: schema.FunctionKind, Name: "f", Def: "CREATE FUNCTION f() …"}
	for _, o := range []op.Op{
		op.CreateFunction{Function: f},
		op.DropFunction{Function: f},
		op.ReplaceFunction{From: f, To: f},
		op.CreateExtension{Extension: &schema.Extension{Name: "x"}},
		op.DropExtension{Extension: &schema.Extension{Name: "x"}},
	} {
		if _, err := d.Render(&schema.Schema{}, o); !errors.Is(err, sqlite.ErrNoRoutines) {
			t.Errorf("render %s: err = %v, want ErrNoRoutines", o, err)
		}
	}
}
