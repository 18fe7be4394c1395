package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/internal/testdb"
	"github.com/strata-go/strata/schema"
)

// pgDump returns pg_dump --schema-only of the database at rawURL without
// the lines that say nothing of the schema: comments, blank lines, SET
// and set_config, and pg_dump's \restrict fence.
func pgDump(t *testing.T, rawURL string) string {
	t.Helper()
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Fatalf("pg_dump, the oracle of these tests, is missing: %v", err)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--schema-only", "--no-owner", "--no-privileges",
		"-h", u.Hostname(), "-U", u.User.Username(), "-d", strings.TrimPrefix(u.Path, "/")}
	if p := u.Port(); p != "" {
		args = append(args, "-p", p)
	}
	cmd := exec.Command("pg_dump", args...)
	if pw, ok := u.User.Password(); ok {
		cmd.Env = append(cmd.Environ(), "PGPASSWORD="+pw)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.String())
	}
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		s := strings.TrimSpace(l)
		if s == "" || strings.HasPrefix(s, "--") || strings.HasPrefix(s, "SET ") ||
			strings.HasPrefix(s, "SELECT pg_catalog.set_config") || strings.HasPrefix(s, `\restrict`) || strings.HasPrefix(s, `\unrestrict`) {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// dumpDB is a fresh database with the URL pg_dump reads it by.
type dumpDB struct {
	db  *sql.DB
	url string
	d   *postgres.Dialect
}

func freshDumpDB(t *testing.T) dumpDB {
	t.Helper()
	db, u := testdb.Open(t, "postgres")
	d, err := postgres.New(context.Background(), db)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return dumpDB{db: db, url: u, d: d}
}

// convergeByDump applies desired to one database and current to another,
// lets strata migrate the second (inspect both, diff, render, apply), and
// wants pg_dump to show the two alike; then the rendered inverse must give
// back the first pg_dump of the second. pg_dump, not strata's inspection,
// judges: an attribute strata does not read shows up there.
func convergeByDump(t *testing.T, current, desired string) {
	t.Helper()
	ctx := context.Background()
	a, b := freshDumpDB(t), freshDumpDB(t)
	mustExec(t, a.db, splitStatements(current)...)
	mustExec(t, b.db, splitStatements(desired)...)
	before := pgDump(t, a.url)
	want := pgDump(t, b.url)
	from := inspect(t, a.d, a.db)
	to := inspect(t, b.d, b.db)
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatalf("diff: %v", err)
	}
	inverse, err := diff.Inverse(ops)
	if err != nil {
		t.Fatalf("inverse: %v", err)
	}
	running := from.Clone()
	up, err := dialect.RenderOps(a.d, running, ops)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	down, err := dialect.RenderOps(a.d, running, inverse)
	if err != nil {
		t.Fatalf("render inverse: %v", err)
	}
	runAll := func(what string, stmts []string) {
		t.Helper()
		tx, err := a.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %s: %v", what, s, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	runAll("upgrade", up)
	if got := pgDump(t, a.url); got != want {
		t.Fatalf("pg_dump after the upgrade differs from the desired schema's:\n%s\nupgrade:\n  %s",
			lineDiff(got, want), strings.Join(up, ";\n  "))
	}
	again, err := diff.Schemas(inspect(t, a.d, a.db), to)
	if err != nil {
		t.Fatalf("second diff: %v", err)
	}
	if len(again) > 0 {
		t.Errorf("second diff not empty: %v", again)
	}
	runAll("downgrade", down)
	if got := pgDump(t, a.url); got != before {
		t.Fatalf("pg_dump after the downgrade differs from the current schema's:\n%s\ndowngrade:\n  %s",
			lineDiff(got, before), strings.Join(down, ";\n  "))
	}
}

// lineDiff lists the lines of got missing from want (-) and of want
// missing from got (+).
func lineDiff(got, want string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var out []string
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			out = append(out, "+ "+l)
		}
	}
	if len(out) == 0 {
		return "(same lines, another order)"
	}
	return strings.Join(out, "\n")
}

// TestIndexAttributesByDump changes each attribute of an index strata
// reads besides its keys, both ways, judged by pg_dump.
func TestIndexAttributesByDump(t *testing.T) {
	t.Parallel()
	const table = `CREATE TABLE t (a integer, b text, c text, tsv tsvector);`
	cases := []struct{ name, current, desired string }{
		{"include", `CREATE INDEX t_a ON t (a)`, `CREATE INDEX t_a ON t (a) INCLUDE (b, c)`},
		{"include changes", `CREATE INDEX t_a ON t (a) INCLUDE (b)`, `CREATE INDEX t_a ON t (a) INCLUDE (c)`},
		{"key collation", `CREATE INDEX t_b ON t (b)`, `CREATE INDEX t_b ON t (b COLLATE "C")`},
		{"expression collation", `CREATE INDEX t_b ON t (lower(b))`, `CREATE INDEX t_b ON t (lower(b) COLLATE "C")`},
		{"nulls first", `CREATE INDEX t_a ON t (a)`, `CREATE INDEX t_a ON t (a NULLS FIRST)`},
		{"desc nulls last", `CREATE INDEX t_a ON t (a DESC)`, `CREATE INDEX t_a ON t (a DESC NULLS LAST)`},
		{"storage parameters", `CREATE INDEX t_a ON t (a)`, `CREATE INDEX t_a ON t (a) WITH (fillfactor = 70, deduplicate_items = off)`},
		{"storage parameter changes", `CREATE INDEX t_a ON t (a) WITH (fillfactor = 70)`, `CREATE INDEX t_a ON t (a) WITH (fillfactor = 80)`},
		{"operator class parameters", `CREATE INDEX t_tsv ON t USING gist (tsv)`, `CREATE INDEX t_tsv ON t USING gist (tsv tsvector_ops (siglen = 100))`},
		{"nulls not distinct", `CREATE UNIQUE INDEX t_a ON t (a)`, `CREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT`},
		{"unique constraint nulls not distinct", `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)`, `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE NULLS NOT DISTINCT (a)`},
		{"unique constraint include and with", `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)`, `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a) INCLUDE (b) WITH (fillfactor = 60)`},
		{"deferrable unique", `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)`, `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE`},
		{"initially deferred unique", `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE`, `ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED`},
		{"index comment", `CREATE INDEX t_a ON t (a)`, `CREATE INDEX t_a ON t (a); COMMENT ON INDEX t_a IS 'by a'`},
		{"index comment changes", `CREATE INDEX t_a ON t (a); COMMENT ON INDEX t_a IS 'by a'`, `CREATE INDEX t_a ON t (a); COMMENT ON INDEX t_a IS 'still by a'`},
		{"new index with every attribute", ``, `CREATE UNIQUE INDEX t_all ON t (a DESC NULLS LAST, b COLLATE "C" text_pattern_ops) INCLUDE (c) NULLS NOT DISTINCT WITH (fillfactor = 50) WHERE a > 0;
COMMENT ON INDEX t_all IS 'all of it'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			convergeByDump(t, table+tc.current, table+tc.desired)
		})
	}
}

// TestNewTableIndexAttributesByDump creates tables whose indexes and
// constraints carry every attribute, and drops them again.
func TestNewTableIndexAttributesByDump(t *testing.T) {
	t.Parallel()
	convergeByDump(t, `CREATE TABLE keep (id integer)`, `CREATE TABLE keep (id integer);
CREATE TABLE p (id integer PRIMARY KEY, code text, n integer,
  CONSTRAINT p_code_key UNIQUE NULLS NOT DISTINCT (code) INCLUDE (n) WITH (fillfactor = 70) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT p_n_check CHECK (n > 0) NO INHERIT);
CREATE TABLE c (id integer, p integer, CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p (id) MATCH FULL DEFERRABLE);
CREATE INDEX p_n ON p (n DESC NULLS LAST) INCLUDE (code) WITH (fillfactor = 80);
ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0) NOT VALID;
COMMENT ON INDEX p_n IS 'by n';
COMMENT ON CONSTRAINT p_pkey ON p IS 'the key';
COMMENT ON CONSTRAINT p_code_key ON p IS 'one code';
COMMENT ON CONSTRAINT p_n_check ON p IS 'positive';
COMMENT ON CONSTRAINT c_p_fkey ON c IS 'to p'`)
}

// TestConstraintAttributesByDump changes the attributes of checks, foreign
// keys and primary keys, judged by pg_dump.
func TestConstraintAttributesByDump(t *testing.T) {
	t.Parallel()
	const tables = `CREATE TABLE p (id integer, CONSTRAINT p_pkey PRIMARY KEY (id));
CREATE TABLE c (id integer, p integer);
`
	cases := []struct{ name, current, desired string }{
		{"check no inherit", `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0)`, `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0) NO INHERIT`},
		{"check not valid", `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0)`, `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0) NOT VALID`},
		{"check validated", `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0) NOT VALID`, `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0)`},
		{"foreign key not valid", `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p`, `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p NOT VALID`},
		{"foreign key match full", `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p`, `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p MATCH FULL`},
		{"foreign key initially deferred", `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p DEFERRABLE`, `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p DEFERRABLE INITIALLY DEFERRED`},
		{"primary key comment", ``, `COMMENT ON CONSTRAINT p_pkey ON p IS 'the key'`},
		{"check comment", `ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0); COMMENT ON CONSTRAINT c_id_check ON c IS 'old'`,
			`ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0); COMMENT ON CONSTRAINT c_id_check ON c IS 'new'`},
		{"foreign key comment", `ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p`,
			`ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p; COMMENT ON CONSTRAINT c_p_fkey ON c IS 'to p'`},
		{"unique constraint comment", `ALTER TABLE c ADD CONSTRAINT c_id_key UNIQUE (id)`,
			`ALTER TABLE c ADD CONSTRAINT c_id_key UNIQUE (id); COMMENT ON CONSTRAINT c_id_key ON c IS 'one each'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			convergeByDump(t, tables+tc.current, tables+tc.desired)
		})
	}
}

// TestEnumCommentByDump comments an enum type, changes the comment, and
// keeps it when the type is made again for a removed value.
func TestEnumCommentByDump(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, current, desired string }{
		{"added", `CREATE TYPE mood AS ENUM ('a', 'b')`, `CREATE TYPE mood AS ENUM ('a', 'b'); COMMENT ON TYPE mood IS 'how'`},
		{"new type", ``, `CREATE TYPE mood AS ENUM ('a'); COMMENT ON TYPE mood IS 'how'`},
		{"kept when values go", `CREATE TYPE mood AS ENUM ('a', 'b'); COMMENT ON TYPE mood IS 'how'`,
			`CREATE TYPE mood AS ENUM ('a'); COMMENT ON TYPE mood IS 'how'`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			convergeByDump(t, `CREATE TABLE keep (id integer);`+tc.current, `CREATE TABLE keep (id integer);`+tc.desired)
		})
	}
}

// TestSequenceOptionsByDump changes the sequence options of identity and
// serial columns, judged by pg_dump.
func TestSequenceOptionsByDump(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, current, desired string }{
		{"identity options", `CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY)`,
			`CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 10 MINVALUE 0 MAXVALUE 100000 CACHE 5 CYCLE))`},
		{"identity counting down", `CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY (START WITH 5))`,
			`CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY (START WITH -100 INCREMENT BY -5 MINVALUE -1000 MAXVALUE -1))`},
		{"identity added with options", `CREATE TABLE t (id integer NOT NULL)`,
			`CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH -200 INCREMENT BY 10 MINVALUE -200))`},
		{"new table with identity options", `CREATE TABLE keep (id integer)`,
			`CREATE TABLE keep (id integer); CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 7 CACHE 20))`},
		{"new column with identity options", `CREATE TABLE t (n integer)`,
			`CREATE TABLE t (n integer, id smallint GENERATED BY DEFAULT AS IDENTITY (MAXVALUE 1000))`},
		{"serial to bigserial", `CREATE TABLE t (id serial)`, `CREATE TABLE t (id bigserial)`},
		{"smallserial to serial", `CREATE TABLE t (id smallserial)`, `CREATE TABLE t (id serial)`},
		{"serial options", `CREATE TABLE t (id serial)`, `CREATE TABLE t (id serial); ALTER SEQUENCE t_id_seq START WITH 50 INCREMENT BY 2`},
		{"new serial with options", `CREATE TABLE keep (id integer)`,
			`CREATE TABLE keep (id integer); CREATE TABLE t (id bigserial); ALTER SEQUENCE t_id_seq MAXVALUE 999 CYCLE`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			convergeByDump(t, tc.current, tc.desired)
		})
	}
}

// TestSequenceOptionsCanonical reads sequence options as people write them
// in the spelling Inspect reports.
func TestSequenceOptionsCanonical(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ        schema.Type
		opts, want string
	}{
		{int32T, "", ""},
		{int32T, "START 1 INCREMENT 1 NO MINVALUE NO MAXVALUE CACHE 1 NO CYCLE", ""},
		{int32T, "(increment by 5 start with 100)", "START WITH 100 INCREMENT BY 5"},
		{int32T, "MINVALUE 10", "MINVALUE 10"},
		{int32T, "MINVALUE 10 START WITH 10", "MINVALUE 10"},
		{int16T, "MAXVALUE 32767", ""},
		{int64T, "INCREMENT BY -1", "INCREMENT BY -1"},
		{int64T, "INCREMENT BY -1 START WITH -1 MAXVALUE -1", "INCREMENT BY -1"},
		{int32T, "AS bigint", "AS bigint"},
		{int32T, "AS integer CYCLE", "CYCLE"},
	} {
		s := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{
			{Name: "id", Type: tc.typ, AutoIncrement: true, Sequence: tc.opts}}}}}
		postgres.Dialect{}.Canonical(s)
		if got := s.Tables[0].Columns[0].Sequence; got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.typ, tc.opts, got, tc.want)
		}
	}
}

func withSequence(c *schema.Column, opts string) *schema.Column {
	c.Sequence = opts
	return c
}

// TestTypeModifiersByDump keeps the precision a time type is declared
// with, even where it is the default, as pg_dump shows it.
func TestTypeModifiersByDump(t *testing.T) {
	t.Parallel()
	const plain = `CREATE TABLE t (a timestamp, b time, c timestamptz, d timetz, e interval, f interval day to second)`
	const six = `CREATE TABLE t (a timestamp(6), b time(6), c timestamptz(6), d timetz(6), e interval(6), f interval day to second(6))`
	const three = `CREATE TABLE t (a timestamp(3), b time(3), c timestamptz(3), d timetz(3), e interval(3), f interval day to second(3))`
	for _, tc := range []struct{ name, current, desired string }{
		{"default precision written", plain, six},
		{"default precision dropped", six, plain},
		{"other precision", six, three},
		{"new table", `CREATE TABLE keep (id integer)`, `CREATE TABLE keep (id integer);` + six},
		{"other modifiers", `CREATE TABLE keep (id integer)`, `CREATE TABLE keep (id integer);
CREATE TABLE m (a numeric(10), b numeric(10,2), c varchar, d varchar(5), e char, f char(3), g bit(3), h varbit(4),
  i bit varying, j float(10), k float(30), l interval year to month, n interval minute to second(2), o time(0),
  p timestamp(0) with time zone, q int[], r varchar(3)[][], s timestamp(6)[], u numeric(5,-2))`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			convergeByDump(t, tc.current, tc.desired)
		})
	}
}

// TestViewAndFunctionCommentsByDump comments views and functions, in place
// and as they are made (again), judged by pg_dump.
func TestViewAndFunctionCommentsByDump(t *testing.T) {
	t.Parallel()
	const base = `CREATE TABLE t (id integer);
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 1 $$;
CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE VIEW v AS SELECT id FROM t;
`
	for _, tc := range []struct{ name, current, desired string }{
		{"view comment", base, base + `COMMENT ON VIEW v IS 'ids'`},
		{"function and procedure comments", base, base + `COMMENT ON FUNCTION f(integer) IS 'next'; COMMENT ON PROCEDURE p() IS 'one'`},
		{"comment of a replaced function", base + `COMMENT ON FUNCTION f(integer) IS 'next'`,
			`CREATE TABLE t (id integer);
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 2 $$;
CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE VIEW v AS SELECT id FROM t;
COMMENT ON FUNCTION f(integer) IS 'after next'`},
		{"comment of a view made again", base + `COMMENT ON VIEW v IS 'ids'`,
			`CREATE TABLE t (id integer);
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 1 $$;
CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE VIEW v AS SELECT id, id + 1 AS next FROM t;
COMMENT ON VIEW v IS 'ids and more'`},
		{"new view and function", `CREATE TABLE t (id integer)`, base + `COMMENT ON VIEW v IS 'ids'; COMMENT ON FUNCTION f(integer) IS 'next'`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			convergeByDump(t, tc.current, tc.desired)
		})
	}
}
