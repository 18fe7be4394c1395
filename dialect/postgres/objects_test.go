package postgres_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// objectsDDL uses (statements end a line with a semicolon, which no
// body does) every kind of object outside tables: extensions (a
// column of ltree, an index with pg_trgm's operator class), functions
// (overloaded, with defaults, a procedure, one a default calls, one
// returning a table's rows), triggers on a table (UPDATE OF, WHEN,
// arguments) and on a view (INSTEAD OF).
const objectsDDL = `CREATE EXTENSION pg_trgm;
CREATE EXTENSION ltree;
CREATE FUNCTION canon_name(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(replace($1, '-', '_')) $$;
CREATE FUNCTION canon_name(text, integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT left(lower($1), $2) $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now(); RETURN NEW; END
$$;
CREATE FUNCTION greet(who text DEFAULT 'world', OUT msg text) LANGUAGE sql AS $$ SELECT 'hello ' || who $$;
CREATE TABLE categories (id integer PRIMARY KEY, path ltree NOT NULL);
CREATE TABLE crates (
  id integer PRIMARY KEY,
  name text NOT NULL DEFAULT canon_name('new-crate'),
  category_id integer REFERENCES categories (id),
  downloads integer NOT NULL DEFAULT 0,
  updated_at timestamp NOT NULL DEFAULT now()
);
CREATE PROCEDURE bump(n integer) LANGUAGE sql AS $$ UPDATE crates SET downloads = downloads + n $$;
CREATE FUNCTION all_crates() RETURNS SETOF crates LANGUAGE sql STABLE AS $$ SELECT * FROM crates $$;
CREATE UNIQUE INDEX crates_canon ON crates (canon_name(name));
CREATE INDEX crates_trgm ON crates USING gin (canon_name(name) gin_trgm_ops);
CREATE INDEX crates_pattern ON crates (name text_pattern_ops);
CREATE INDEX categories_path ON categories USING gist (path);
CREATE TRIGGER "Touch crates" BEFORE UPDATE OF updated_at, name ON crates
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION touch();
CREATE TRIGGER log_insert AFTER INSERT ON crates FOR EACH STATEMENT EXECUTE PROCEDURE touch('a', 'b');
CREATE VIEW crate_names AS SELECT id, name FROM crates;
CREATE FUNCTION insert_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO crates (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END
$$;
CREATE TRIGGER insert_name INSTEAD OF INSERT ON crate_names FOR EACH ROW EXECUTE FUNCTION insert_name()`

func TestObjectsRoundTrip(t *testing.T) {
	t.Parallel()
	db1, d := freshDB(t)
	mustExec(t, db1, splitStatements(objectsDDL)...)
	first := inspect(t, d, db1)

	var exts []string
	for _, e := range first.Extensions {
		exts = append(exts, e.Name)
	}
	if !slices.Equal(exts, []string{"ltree", "pg_trgm"}) {
		t.Errorf("extensions %q, want ltree and pg_trgm (plpgsql lives in pg_catalog)", exts)
	}
	var keys []string
	for _, f := range first.Functions {
		keys = append(keys, f.Key())
	}
	wantKeys := []string{
		"function all_crates()", "function canon_name(text)", "function canon_name(text, integer)",
		"function greet(who text, OUT msg text)", "function insert_name()", "function touch()", "procedure bump(IN n integer)",
	}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("functions %q,\nwant %q (pg_trgm's and ltree's own are the extensions')", keys, wantKeys)
	}
	if f, _ := first.Function("function canon_name(text)"); f == nil || !strings.HasPrefix(f.Def, "CREATE OR REPLACE FUNCTION canon_name(text)\n RETURNS text") {
		t.Errorf("canon_name's definition: %+v (want pg_get_functiondef's, without the schema)", f)
	}
	crates := tableOf(t, first, "crates")
	var trigs []string
	for _, tr := range crates.Triggers {
		trigs = append(trigs, tr.Def)
	}
	wantTrigs := []string{
		`CREATE TRIGGER "Touch crates" BEFORE UPDATE OF updated_at, name ON "crates" FOR EACH ROW WHEN (old.name IS DISTINCT FROM new.name) EXECUTE FUNCTION touch()`,
		`CREATE TRIGGER log_insert AFTER INSERT ON "crates" FOR EACH STATEMENT EXECUTE FUNCTION touch('a', 'b')`,
	}
	if !slices.Equal(trigs, wantTrigs) {
		t.Errorf("triggers of crates (the foreign key's are internal):\n%s\nwant:\n%s", strings.Join(trigs, "\n"), strings.Join(wantTrigs, "\n"))
	}
	if v, ok := first.View("crate_names"); !ok || len(v.Triggers) != 1 || v.Triggers[0].Name != "insert_name" {
		t.Errorf("the view's INSTEAD OF trigger: %+v", v)
	}
	trgm, _ := crates.Index("crates_trgm")
	if trgm == nil || trgm.Parts[0].OpClass != "gin_trgm_ops" {
		t.Errorf("crates_trgm: %+v, want the operator class gin_trgm_ops", trgm)
	}
	if ix, _ := crates.Index("crates_pattern"); ix == nil || ix.Parts[0].OpClass != "text_pattern_ops" {
		t.Errorf("crates_pattern: %+v, want text_pattern_ops", ix)
	}
	if ix, _ := tableOf(t, first, "categories").Index("categories_path"); ix == nil || ix.Parts[0].OpClass != "" {
		t.Errorf("categories_path: %+v, want ltree's default operator class left out", ix)
	}

	canon := first.Clone()
	d.Canonical(canon)
	assertSame(t, first, canon)

	// Render from nothing into a second database, in one transaction.
	db2, _ := freshDB(t)
	ops, err := diff.Schemas(&schema.Schema{Name: first.Name}, first)
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, db2, d, &schema.Schema{Name: first.Name}, ops)
	second := inspect(t, d, db2)
	assertSame(t, first, second)

	// The downgrade leaves nothing behind.
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, db2, d, second, inv)
	if empty := inspect(t, d, db2); len(schema.Differences(empty, &schema.Schema{Name: "public"})) > 0 {
		t.Errorf("after the downgrade: %q", schema.Differences(empty, &schema.Schema{Name: "public"}))
	}
}

// applyAll renders ops following them on a clone of current, and runs
// the statements in one transaction.
func applyAll(t *testing.T, db *sql.DB, d *postgres.Dialect, current *schema.Schema, ops []op.Op) {
	t.Helper()
	stmts, err := dialect.RenderOps(d, current.Clone(), ops)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("exec %s: %v\nall statements:\n%s", s, err, strings.Join(stmts, ";\n"))
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestObjectsConverge migrates a database from one schema to another
// with the ops of diff.Schemas, then back with their inverse.
func TestObjectsConverge(t *testing.T) {
	t.Parallel()
	const touch = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
`
	cases := []struct {
		name, current, desired string
		opts                   []diff.Option
	}{
		{
			// crates.io's timezones step: PostgreSQL cannot change the type of
			// a column a trigger names.
			name: "column type under a trigger",
			current: touch + `CREATE TABLE crates (id integer PRIMARY KEY, updated_at timestamp);
CREATE TRIGGER touch BEFORE UPDATE OF updated_at ON crates FOR EACH ROW EXECUTE FUNCTION touch()`,
			desired: touch + `CREATE TABLE crates (id integer PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER touch BEFORE UPDATE OF updated_at ON crates FOR EACH ROW EXECUTE FUNCTION touch()`,
		},
		{
			name: "function body replaced under its users",
			current: `CREATE FUNCTION canon(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) $$;
CREATE TABLE t (name text DEFAULT canon('A'));
CREATE INDEX t_canon ON t (canon(name))`,
			desired: `CREATE FUNCTION canon(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper($1) $$;
CREATE TABLE t (name text DEFAULT canon('A'));
CREATE INDEX t_canon ON t (canon(name))`,
		},
		{
			name: "function result changed under a trigger and a view",
			current: `CREATE FUNCTION score(integer) RETURNS integer LANGUAGE sql AS $$ SELECT $1 $$;
CREATE FUNCTION rescore() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE games (id integer, points integer);
CREATE TRIGGER rescore BEFORE INSERT ON games FOR EACH ROW EXECUTE FUNCTION rescore();
CREATE VIEW scores AS SELECT score(points) AS s FROM games`,
			desired: `CREATE FUNCTION score(integer) RETURNS bigint LANGUAGE sql AS $$ SELECT $1::bigint * 2 $$;
CREATE FUNCTION rescore() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE games (id integer, points integer);
CREATE TRIGGER rescore BEFORE INSERT ON games FOR EACH ROW EXECUTE FUNCTION rescore();
CREATE VIEW scores AS SELECT score(points) AS s FROM games`,
		},
		{
			name:    "extension, function and trigger added to a kept table",
			current: `CREATE TABLE crates (id integer PRIMARY KEY, name text, updated_at timestamp)`,
			desired: `CREATE EXTENSION pg_trgm;
CREATE FUNCTION canon_crate_name(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT replace(lower($1), '-', '_') $$;
` + touch + `CREATE TABLE crates (id integer PRIMARY KEY, name text, updated_at timestamp, slug text DEFAULT canon_crate_name('x'));
CREATE INDEX crates_name_tgrm ON crates USING gin (canon_crate_name(name) gin_trgm_ops);
CREATE TRIGGER touch BEFORE UPDATE ON crates FOR EACH ROW EXECUTE FUNCTION touch()`,
		},
		{
			name: "table with triggers dropped",
			current: touch + `CREATE TABLE crates (id integer PRIMARY KEY, updated_at timestamp);
CREATE TABLE keep (id integer);
CREATE TRIGGER touch BEFORE UPDATE ON crates FOR EACH ROW EXECUTE FUNCTION touch()`,
			desired: `CREATE TABLE keep (id integer)`,
		},
		{
			name: "tables dropped with a trigger and the function it calls",
			current: `CREATE TABLE logs (id integer);
CREATE FUNCTION log_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO logs VALUES (NEW.id); RETURN NEW; END $$;
CREATE TABLE games (id integer);
CREATE TRIGGER log AFTER INSERT ON games FOR EACH ROW EXECUTE FUNCTION log_row()`,
			desired: `CREATE TABLE keep (id integer)`,
		},
		{
			name: "trigger changed and a new one on a view",
			current: touch + `CREATE TABLE crates (id integer PRIMARY KEY, updated_at timestamp);
CREATE VIEW v AS SELECT id FROM crates;
CREATE TRIGGER touch BEFORE UPDATE ON crates FOR EACH ROW EXECUTE FUNCTION touch()`,
			desired: touch + `CREATE FUNCTION v_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO crates (id) VALUES (NEW.id); RETURN NEW; END $$;
CREATE TABLE crates (id integer PRIMARY KEY, updated_at timestamp);
CREATE VIEW v AS SELECT id FROM crates;
CREATE TRIGGER touch BEFORE INSERT OR UPDATE ON crates FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER v_insert INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_insert()`,
		},
		{
			name:    "function reading a new table",
			current: `CREATE TABLE keep (id integer)`,
			desired: `CREATE TABLE keep (id integer);
CREATE TABLE users (id integer, name text);
CREATE FUNCTION user_names() RETURNS SETOF text LANGUAGE sql STABLE AS $$ SELECT name FROM users $$;
CREATE FUNCTION all_users() RETURNS SETOF users LANGUAGE sql STABLE AS $$ SELECT * FROM users $$`,
		},
		{
			name: "renamed table and column carry their trigger",
			current: touch + `CREATE TABLE todos (id integer PRIMARY KEY, updated_at timestamp);
CREATE TRIGGER touch BEFORE UPDATE OF updated_at ON todos FOR EACH ROW EXECUTE FUNCTION touch()`,
			desired: touch + `CREATE TABLE tasks (id integer PRIMARY KEY, changed_at timestamp);
CREATE TRIGGER touch BEFORE UPDATE OF changed_at ON tasks FOR EACH ROW EXECUTE FUNCTION touch()`,
			opts: []diff.Option{diff.RenameTable("todos", "tasks"), diff.RenameColumn("tasks", "updated_at", "changed_at")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, d := freshDB(t)
			b, _ := freshDB(t)
			mustExec(t, a, splitStatements(tc.current)...)
			mustExec(t, b, splitStatements(tc.desired)...)
			before, target := inspect(t, d, a), inspect(t, d, b)
			ops, err := diff.Schemas(before, target, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			applyAll(t, a, d, before, ops)
			after := inspect(t, d, a)
			if diffs := schema.Differences(after, target); len(diffs) > 0 {
				t.Fatalf("after the upgrade (%q):\n%s", opNames(ops), strings.Join(diffs, "\n"))
			}
			if again, err := diff.Schemas(after, target); err != nil || len(again) > 0 {
				t.Fatalf("second diff: %q, %v", opNames(again), err)
			}
			inv, err := diff.Inverse(ops)
			if err != nil {
				t.Fatal(err)
			}
			applyAll(t, a, d, after, inv)
			if diffs := schema.Differences(inspect(t, d, a), before); len(diffs) > 0 {
				t.Fatalf("after the downgrade (%q):\n%s", opNames(inv), strings.Join(diffs, "\n"))
			}
		})
	}
}

func opNames(ops []op.Op) []string {
	var out []string
	for _, o := range ops {
		out = append(out, o.String())
	}
	return out
}

func TestRenderObjectErrors(t *testing.T) {
	t.Parallel()
	f := &schema.Function{Kind: schema.FunctionKind, Name: "score", Args: "integer", Params: "integer", Returns: "integer", Def: "CREATE FUNCTION score(integer) …"}
	g := *f
	g.Returns = "bigint"
	for _, tc := range []struct {
		op   op.Op
		want string
	}{
		{op.ReplaceFunction{From: f, To: &g}, `postgres: render replace function "score"(integer): the result of function score(integer) changes from integer to bigint, which CREATE OR REPLACE cannot do: drop the function and create it again`},
		{op.CreateFunction{Function: &schema.Function{Name: "x"}}, "no function definition"},
		{op.DropTrigger{Trigger: &schema.Trigger{Name: "t"}}, "needs the trigger's name and table"},
		{op.CreateTrigger{Table: "t", Trigger: &schema.Trigger{Name: "t"}}, "no trigger definition"},
		{op.CreateExtension{Extension: &schema.Extension{}}, "no extension"},
	} {
		_, err := postgres.Dialect{}.Render(nil, tc.op)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: error %v, want %q", tc.op, err, tc.want)
		}
	}
	stmts, err := postgres.Dialect{}.Render(nil, op.ReplaceFunction{From: f, To: &schema.Function{Kind: f.Kind, Name: f.Name, Args: f.Args, Params: f.Params, Returns: f.Returns,
		Def: "create function score(integer) RETURNS integer AS 'SELECT 2' LANGUAGE sql"}})
	if err != nil || len(stmts) != 1 || !strings.HasPrefix(stmts[0], "CREATE OR REPLACE function score") {
		t.Errorf("a definition without OR REPLACE replaces in place: %q, %v", stmts, err)
	}
}
