package sqlite_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
)

// schemaText is the oracle of what a user sees of a schema, which strata
// does not write: sqlite_schema's own text of every object.
func schemaText(t *testing.T, db *sql.DB) string {
	t.Helper()
	return strings.Join(rows(t, db, `SELECT type, name, tbl_name, sql FROM sqlite_schema
WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY type, name`), "\n")
}

// schemaPragmas is the oracle of what applications and drivers read of
// each table, by SQLite's pragmas: declared types, NOT NULL, defaults,
// keys, foreign keys, indexes, STRICT and WITHOUT ROWID. It does not show
// the spacing and case of the text, which a rebuild writes anew.
func schemaPragmas(t *testing.T, db *sql.DB) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT l.name, l.type, l.ncol, l.wr, l.strict FROM pragma_table_list AS l WHERE l.schema = 'main' AND l.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY l.name`,
		`SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, c.cid`,
		`SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, f.id, f.seq`,
		`SELECT m.name, i.name, i."unique", i.origin, i.partial FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS i WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, i.name`,
	} {
		out = append(out, rows(t, db, q)...)
	}
	return strings.Join(out, "\n")
}

// TestUsersText migrates a database from a current schema to a desired
// one, as strata does with a schema file (both applied to databases and
// inspected, diffed, rendered), and judges the result against a database
// where the desired statements were run directly, by an oracle strata
// does not write; then the downgrade against the current statements.
// Tables strata creates read exactly as the user's statements; tables it
// rebuilds keep every declared type, nullability, default and reference
// as the user wrote them.
func TestUsersText(t *testing.T) {
	for _, tc := range []struct {
		name, current, desired string
		// text judges by sqlite_schema's text, else by the pragmas.
		text bool
	}{
		{"declared types on create", ``,
			`CREATE TABLE t (id bigint NOT NULL, ok bool, name varchar(255), n int, price numeric(10,2), raw)`, true},
		{"a primary key the user did not mark NOT NULL", ``,
			`CREATE TABLE t (code text PRIMARY KEY, v integer)`, true},
		{"DEFAULT NULL", ``, `CREATE TABLE t (a text DEFAULT NULL, b int DEFAULT null)`, true},
		{"reference without columns", ``,
			`CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p_id integer REFERENCES p, q_id int, FOREIGN KEY (q_id) REFERENCES p)`, true},
		{"STRICT and WITHOUT ROWID", ``,
			`CREATE TABLE s (id INTEGER PRIMARY KEY, v ANY) STRICT; CREATE TABLE w (k text PRIMARY KEY, v int) WITHOUT ROWID; CREATE TABLE sw (k text PRIMARY KEY, v any) strict, without rowid`, true},
		{"index and view", `CREATE TABLE t (a int)`,
			`CREATE TABLE t (a int); CREATE INDEX ix_t_a ON t(a)  WHERE a>0; CREATE VIEW "v" AS select a from t`, true},
		{"a dropped table comes back as written", `CREATE TABLE keep (a int); CREATE TABLE gone ( id  bigint PRIMARY KEY , b bool DEFAULT NULL ) ; CREATE UNIQUE INDEX gone_b ON gone (b)`,
			`CREATE TABLE keep (a int)`, true},
		{"a changed declared type", `CREATE TABLE t (id integer PRIMARY KEY, a int)`,
			`CREATE TABLE t (id integer PRIMARY KEY, a bigint)`, false},
		{"a column added with its declared type", `CREATE TABLE t (id integer PRIMARY KEY)`,
			`CREATE TABLE t (id integer PRIMARY KEY, b bigint DEFAULT NULL, c bool NOT NULL DEFAULT 0)`, false},
		{"a rebuild keeps a nullable key", `CREATE TABLE t (code text PRIMARY KEY, v int)`,
			`CREATE TABLE t (code text PRIMARY KEY, v text)`, false},
		{"a rebuild keeps a reference without columns", `CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p_id integer REFERENCES p, v int)`,
			`CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p_id integer REFERENCES p, v text)`, false},
		{"made STRICT", `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`,
			`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT`, false},
		{"made WITHOUT ROWID", `CREATE TABLE t (k text PRIMARY KEY, v int) STRICT`,
			`CREATE TABLE t (k text PRIMARY KEY, v int) WITHOUT ROWID`, false},
		// STRICT refuses bigint: it goes before the type changes, and
		// comes back (the downgrade) after them.
		{"no longer STRICT, with a type STRICT refuses", `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER) STRICT`,
			`CREATE TABLE t (id INTEGER PRIMARY KEY, a bigint)`, false},
		// WITHOUT ROWID needs a primary key: it goes before the key does.
		{"no longer WITHOUT ROWID, nor a key", `CREATE TABLE t (k text PRIMARY KEY, v int) WITHOUT ROWID`,
			`CREATE TABLE t (k text, v int)`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			judge := schemaPragmas
			if tc.text {
				judge = schemaText
			}
			a, d := open(t)
			if tc.current != "" {
				exec(t, a, tc.current)
			}
			b, _ := open(t)
			exec(t, b, tc.desired)
			before, want := judge(t, a), judge(t, b)
			current, target := inspect(t, d, a), inspect(t, d, b)
			ops, err := diff.Schemas(current, target)
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) == 0 {
				t.Fatal("no changes found")
			}
			undo, err := diff.Inverse(ops)
			if err != nil {
				t.Fatal(err)
			}
			up := renderAll(t, d, current, ops...)
			inTx(t, a, up)
			if got := judge(t, a); got != want {
				t.Errorf("upgraded:\n%s\nwant, as the statements make it:\n%s\nstatements:\n%s", got, want, strings.Join(up, ";\n"))
			}
			after := inspect(t, d, a)
			if again, err := diff.Schemas(after, target); err != nil || len(again) > 0 {
				t.Errorf("second diff: %v %v", again, err)
			}
			down := renderAll(t, d, after, undo...)
			inTx(t, a, down)
			if got := judge(t, a); got != before {
				t.Errorf("downgraded:\n%s\nwant:\n%s\nstatements:\n%s", got, before, strings.Join(down, ";\n"))
			}
		})
	}
}

// TestUnchangedSpellings finds no change between spellings that mean the
// same to SQLite and that applications cannot tell apart, and a change
// where they can: the declared type's text.
func TestUnchangedSpellings(t *testing.T) {
	for _, tc := range []struct {
		a, b    string
		changed bool
	}{
		{`CREATE TABLE t (a int, b text)`, "CREATE TABLE t (\n  a   int ,\n  b text -- note\n)", false},
		{`CREATE TABLE t (a int DEFAULT 1)`, `CREATE TABLE t (a int DEFAULT (1))`, false},
		{`CREATE TABLE t (a int)`, `CREATE TABLE t (a bigint)`, true},
		{`CREATE TABLE t (a bool)`, `CREATE TABLE t (a boolean)`, true},
		{`CREATE TABLE t (a int)`, `CREATE TABLE t (a INT)`, false},
		{`CREATE TABLE t (a varchar(20))`, `CREATE TABLE t (a VARCHAR( 20 ))`, false},
		{`CREATE TABLE t (a varchar(20))`, `CREATE TABLE t (a varchar(30))`, true},
		{`CREATE TABLE t (a double)`, `CREATE TABLE t (a real)`, true},
		{`CREATE TABLE t (a text PRIMARY KEY)`, `CREATE TABLE t (a text PRIMARY KEY NOT NULL)`, true},
		{`CREATE TABLE t (a text)`, `CREATE TABLE t (a text DEFAULT NULL)`, true},
		{`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (x int REFERENCES p)`, `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (x int REFERENCES p (id))`, true},
		{`CREATE TABLE t (a int PRIMARY KEY)`, `CREATE TABLE t (a int PRIMARY KEY) WITHOUT ROWID`, true},
		{`CREATE TABLE t (a int)`, `CREATE TABLE t (a int) STRICT`, true},
	} {
		t.Run(tc.b, func(t *testing.T) {
			t.Parallel()
			a, d := open(t)
			exec(t, a, tc.a)
			b, _ := open(t)
			exec(t, b, tc.b)
			ops, err := diff.Schemas(inspect(t, d, a), inspect(t, d, b))
			if err != nil {
				t.Fatal(err)
			}
			if changed := len(ops) > 0; changed != tc.changed {
				t.Errorf("changed %t (%v), want %t", changed, ops, tc.changed)
			}
		})
	}
}
