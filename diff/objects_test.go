package diff_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

func fn(name, args, returns, body string) *schema.Function {
	return &schema.Function{
		Kind: schema.FunctionKind, Name: name, Args: args, Params: args, Returns: returns,
		Def: "CREATE OR REPLACE FUNCTION " + name + "(" + args + ") RETURNS " + returns + " LANGUAGE sql AS $$" + body + "$$",
	}
}

func trigger(name, table, events, function string) *schema.Trigger {
	return &schema.Trigger{Name: name, Def: `CREATE TRIGGER ` + name + ` BEFORE ` + events + ` ON "` + table + `" FOR EACH ROW EXECUTE FUNCTION ` + function + `()`}
}

// opStrings lists ops as strings.
func opStrings(ops []op.Op) []string {
	var out []string
	for _, o := range ops {
		out = append(out, o.String())
	}
	return out
}

// before fails t unless the op a comes before the op b in ops.
func before(t *testing.T, ops []string, a, b string) {
	t.Helper()
	i, j := slices.Index(ops, a), slices.Index(ops, b)
	switch {
	case i < 0:
		t.Errorf("no op %s in\n%s", a, strings.Join(ops, "\n"))
	case j < 0:
		t.Errorf("no op %s in\n%s", b, strings.Join(ops, "\n"))
	case i > j:
		t.Errorf("%s comes after %s:\n%s", a, b, strings.Join(ops, "\n"))
	}
}

func TestSchemasObjectOrder(t *testing.T) {
	t.Parallel()
	canon := fn("canon_name", "text", "text", "SELECT lower($1)")
	touch := fn("touch", "", "trigger", "")
	touch.Def = "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.at = now(); RETURN NEW; END$$"
	counter := fn("crate_count", "", "bigint", "SELECT count(*) FROM crates")
	crates := tbl("crates", []*schema.Column{
		{Name: "name", Type: textType, Default: schema.Expr{SQL: "canon_name('x')"}},
		{Name: "path", Type: schema.RawType{SQL: "ltree"}, Nullable: true},
		{Name: "at", Type: schema.TimeType{}, Nullable: true},
	})
	crates.Indexes = []*schema.Index{{Name: "ix_canon", Parts: []schema.IndexPart{{Expr: "canon_name(name)", OpClass: "gin_trgm_ops"}}, Method: "gin"}}
	crates.Triggers = []*schema.Trigger{trigger("crates_touch", "crates", "UPDATE", "touch")}
	view := &schema.View{Name: "big", Def: "SELECT crate_count() AS n",
		Triggers: []*schema.Trigger{{Name: "big_insert", Def: `CREATE TRIGGER big_insert INSTEAD OF INSERT ON "big" FOR EACH ROW EXECUTE FUNCTION touch()`}}}
	to := &schema.Schema{
		Tables:     []*schema.Table{crates},
		Views:      []*schema.View{view},
		Extensions: []*schema.Extension{{Name: "ltree"}, {Name: "pg_trgm"}},
		Functions:  []*schema.Function{canon, touch, counter},
	}
	to.Normalize()
	ops, err := diff.Schemas(&schema.Schema{}, to)
	if err != nil {
		t.Fatal(err)
	}
	got := opStrings(ops)
	for _, pair := range [][2]string{
		{`create extension "ltree"`, `create function "canon_name"(text)`},
		{`create extension "pg_trgm"`, `create table "crates"`},
		// The default and the index call canon_name: it comes first.
		{`create function "canon_name"(text)`, `create table "crates"`},
		{`create function "touch"()`, `create table "crates"`},
		// crate_count's body reads crates, which must exist when a SQL
		// function is created.
		{`create table "crates"`, `create function "crate_count"()`},
		{`create function "crate_count"()`, `create view "big"`},
		{`create table "crates"`, `create trigger "crates_touch" on "crates"`},
	} {
		before(t, got, pair[0], pair[1])
	}
	for _, o := range ops {
		if ct, ok := o.(op.CreateTable); ok && len(ct.Table.Triggers) > 0 {
			t.Errorf("%s carries its triggers; they come after every table and function", o)
		}
	}
	// The inverse drops the triggers of the table before the table: more
	// than Schemas(to, from) says, with the same result.
	applyBothWays(t, &schema.Schema{}, to, ops)

	// Back to empty: the reverse order; a dropped table or view takes its
	// triggers along.
	back, err := diff.Schemas(to, &schema.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	got = opStrings(back)
	for _, o := range got {
		if strings.HasPrefix(o, "drop trigger") {
			t.Errorf("%s: dropping the table drops it", o)
		}
	}
	for _, pair := range [][2]string{
		{`drop view "big"`, `drop function "crate_count"()`},
		{`drop function "crate_count"()`, `drop table "crates"`},
		{`drop table "crates"`, `drop function "canon_name"(text)`},
		{`drop table "crates"`, `drop function "touch"()`},
		{`drop function "canon_name"(text)`, `drop extension "pg_trgm"`},
		{`drop table "crates"`, `drop extension "ltree"`},
	} {
		before(t, got, pair[0], pair[1])
	}
}

func TestSchemasTriggerAroundTypeChange(t *testing.T) {
	t.Parallel()
	touch := fn("touch", "", "trigger", "")
	from := sch(tbl("crates", []*schema.Column{{Name: "updated_at", Type: schema.TimeType{}}, {Name: "name", Type: textType}}))
	from.Functions = []*schema.Function{touch}
	from.Tables[0].Triggers = []*schema.Trigger{
		trigger("on_update", "crates", "UPDATE OF updated_at", "touch"),
		trigger("on_insert", "crates", "INSERT", "touch"),
	}
	to := from.Clone()
	to.Tables[0].Columns[1].Type = schema.TimeType{WithZone: true}
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	got := opStrings(ops)
	want := []string{
		`drop trigger "on_update" on "crates"`,
		`alter column "crates"."updated_at" (type timestamp(0), want timestamp(0) with time zone)`,
		`create trigger "on_update" on "crates"`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ops:\n%s\nwant (on_insert names no changed column):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkApply(t, from, to, ops)
}

func TestSchemasFunctionChanges(t *testing.T) {
	t.Parallel()
	v1 := fn("score", "integer", "integer", "SELECT $1")
	v2 := fn("score", "integer", "integer", "SELECT $1 * 2")
	v3 := fn("score", "integer", "bigint", "SELECT $1 * 2")
	base := func(f *schema.Function) *schema.Schema {
		s := sch(tbl("games", []*schema.Column{{Name: "points", Type: int64Type}}))
		s.Functions = []*schema.Function{f}
		s.Tables[0].Triggers = []*schema.Trigger{trigger("rescore", "games", "UPDATE", "score")}
		s.Views = []*schema.View{{Name: "scores", Def: "SELECT score(1) AS s"}, {Name: "plain", Def: "SELECT 1 AS one"}}
		return s
	}
	t.Run("body", func(t *testing.T) {
		t.Parallel()
		ops, err := diff.Schemas(base(v1), base(v2))
		if err != nil {
			t.Fatal(err)
		}
		if got := opStrings(ops); !slices.Equal(got, []string{`replace function "score"(integer)`}) {
			t.Fatalf("ops %q: a new body is replaced in place, its users untouched", got)
		}
		checkApply(t, base(v1), base(v2), ops)
	})
	t.Run("result", func(t *testing.T) {
		t.Parallel()
		ops, err := diff.Schemas(base(v2), base(v3))
		if err != nil {
			t.Fatal(err)
		}
		got := opStrings(ops)
		want := []string{
			`drop view "scores"`,
			`drop trigger "rescore" on "games"`,
			`drop function "score"(integer)`,
			`create function "score"(integer)`,
			`create view "scores"`,
			`create trigger "rescore" on "games"`,
		}
		if !slices.Equal(got, want) {
			t.Fatalf("ops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		checkApply(t, base(v2), base(v3), ops)
	})
}

func TestSchemasFunctionOfDroppedTable(t *testing.T) {
	t.Parallel()
	rows := fn("all_games", "", "SETOF games", "SELECT * FROM games")
	keep := fn("keep_me", "", "integer", "SELECT 1")
	from := sch(tbl("games", nil), tbl("players", nil))
	from.Functions = []*schema.Function{rows, keep}
	to := sch(tbl("players", nil))
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	got := opStrings(ops)
	before(t, got, `drop function "all_games"()`, `drop table "games"`)
	before(t, got, `drop table "games"`, `drop function "keep_me"()`)
	checkApply(t, from, to, ops)

	// A trigger function that names the dropped table it writes to waits
	// for the dropped table whose trigger calls it.
	logRow := fn("log_row", "", "trigger", "BEGIN INSERT INTO logs VALUES (1); RETURN NEW; END")
	from = sch(tbl("games", nil), tbl("logs", nil))
	from.Functions = []*schema.Function{logRow}
	from.Tables[0].Triggers = []*schema.Trigger{trigger("log", "games", "INSERT", "log_row")}
	ops, err = diff.Schemas(from, &schema.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	got = opStrings(ops)
	before(t, got, `drop table "games"`, `drop function "log_row"()`)
	before(t, got, `drop table "logs"`, `drop function "log_row"()`)
}

func TestSchemasRenameCarriesTriggers(t *testing.T) {
	t.Parallel()
	from := sch(tbl("todos", []*schema.Column{{Name: "title", Type: textType}}))
	from.Tables[0].Triggers = []*schema.Trigger{trigger("todos_check", "todos", "UPDATE OF title", "check_title")}
	// The database rewrites the table and the column in the definition.
	to := sch(tbl("tasks", []*schema.Column{{Name: "name", Type: textType}}))
	to.Tables[0].Triggers = []*schema.Trigger{trigger("todos_check", "tasks", "UPDATE OF name", "check_title")}
	ops, err := diff.Schemas(from, to, diff.RenameTable("todos", "tasks"), diff.RenameColumn("tasks", "title", "name"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`rename table "todos" to "tasks"`, `rename column "tasks"."title" to "name"`}
	if got := opStrings(ops); !slices.Equal(got, want) {
		t.Fatalf("ops %q, want %q: the trigger follows the renames", got, want)
	}
	s := from.Clone()
	for _, o := range ops {
		if err := o.Apply(s); err != nil {
			t.Fatal(err)
		}
	}
	if d := schema.Differences(s, to); len(d) > 0 {
		t.Fatalf("after the renames: %q", d)
	}
}

// applyBothWays applies ops to a clone of from, expects to, then applies
// their inverse and expects from.
func applyBothWays(t *testing.T, from, to *schema.Schema, ops []op.Op) {
	t.Helper()
	s := from.Clone()
	for _, o := range ops {
		if err := o.Apply(s); err != nil {
			t.Fatalf("Apply(%s): %v", o, err)
		}
	}
	s.Normalize()
	if d := schema.Differences(s, to); len(d) > 0 {
		t.Fatalf("from + ops differs from to:\n%s", strings.Join(d, "\n"))
	}
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range inv {
		if err := o.Apply(s); err != nil {
			t.Fatalf("Apply(%s) of the inverse: %v", o, err)
		}
	}
	s.Normalize()
	if d := schema.Differences(s, from); len(d) > 0 {
		t.Fatalf("to + inverse ops differs from from:\n%s", strings.Join(d, "\n"))
	}
}

// TestSchemasTriggerChanges: a changed trigger is dropped and created
// again, a new one on a kept view created, one that goes dropped.
func TestSchemasTriggerChanges(t *testing.T) {
	t.Parallel()
	from := sch(tbl("items", nil))
	from.Views = []*schema.View{{Name: "v", Def: "SELECT id FROM items"}}
	from.Tables[0].Triggers = []*schema.Trigger{trigger("a", "items", "INSERT", "f"), trigger("b", "items", "DELETE", "f")}
	to := from.Clone()
	to.Tables[0].Triggers = []*schema.Trigger{trigger("a", "items", "INSERT OR UPDATE", "f")}
	to.Views[0].Triggers = []*schema.Trigger{{Name: "c", Def: `CREATE TRIGGER c INSTEAD OF INSERT ON "v" FOR EACH ROW EXECUTE FUNCTION f()`}}
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`drop trigger "a" on "items"`,
		`drop trigger "b" on "items"`,
		`create trigger "a" on "items"`,
		`create trigger "c" on "v"`,
	}
	if got := opStrings(ops); !slices.Equal(got, want) {
		t.Fatalf("ops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkApply(t, from, to, ops)
}
