package oracle

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/strata-go/strata/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const pgDumpSample = `--
-- PostgreSQL database dump
--

\restrict AbC123

-- Dumped from database version 15.20
-- Dumped by pg_dump version 15.20

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
SET row_security = off;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.mood AS ENUM (
    'sad'
);


SET default_tablespace = '';

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (
    id integer NOT NULL
);


--
-- PostgreSQL database dump complete
--

\unrestrict AbC123
`

func TestParsePgDump(t *testing.T) {
	d := ParsePgDump(pgDumpSample)
	want := []Object{
		{Key: "TYPE public.mood", Text: "CREATE TYPE public.mood AS ENUM (\n    'sad'\n);"},
		{Key: "TABLE public.t", Text: "SET default_tablespace = '';\n\nCREATE TABLE public.t (\n    id integer NOT NULL\n);"},
	}
	if len(d.Objects) != len(want) {
		t.Fatalf("got %d objects, want %d:\n%s", len(d.Objects), len(want), d)
	}
	for i, o := range d.Objects {
		if o != want[i] {
			t.Errorf("object %d:\n got %q\nwant %q", i, o, want[i])
		}
	}
	// The random key of \restrict does not make two dumps differ.
	other := ParsePgDump(strings.ReplaceAll(pgDumpSample, "AbC123", "XyZ789"))
	if d := Differences(other, d, Strict); len(d) > 0 {
		t.Errorf("dumps differing in their \\restrict key differ: %v", d)
	}
}

func TestCanon(t *testing.T) {
	a := "CREATE TABLE users(\n  id integer, -- the key\n  \"name\" text\n)"
	b := `CREATE TABLE "users" (id integer, name text)`
	for _, tt := range []struct {
		level Level
		equal bool
	}{{Strict, false}, {Whitespace, false}, {Quoting, true}} {
		if got := Canon(a, tt.level) == Canon(b, tt.level); got != tt.equal {
			t.Errorf("%s: equal = %t, want %t (%q, %q)", tt.level, got, tt.equal, Canon(a, tt.level), Canon(b, tt.level))
		}
	}
	// Whitespace inside a string literal is kept.
	if Canon("DEFAULT 'a  b'", Whitespace) == Canon("DEFAULT 'a b'", Whitespace) {
		t.Error("whitespace inside a literal was normalised")
	}
	// Case is never normalised.
	if Canon("id integer", Quoting) == Canon("id INTEGER", Quoting) {
		t.Error("letter case was normalised")
	}
}

func TestCause(t *testing.T) {
	tests := []struct {
		got, want, cause string
	}{
		{"CREATE TABLE t (\n  a int,\n  b int\n)", "CREATE TABLE t (\n  b int,\n  a int\n)", "TABLE: same lines in another order (column, key or index order)"},
		{"CREATE TABLE t (a INTEGER)", "CREATE TABLE t (a bigint)", "TABLE: column type spelled differently"},
		{"CREATE TABLE t (a int)", "CREATE TABLE t (a int DEFAULT 1)", "TABLE: default"},
		{"CREATE INDEX i ON t USING btree (a)", "CREATE INDEX i ON t USING btree (a) INCLUDE (b)", "INDEX: index attributes (INCLUDE, order, NULLS, method, visibility)"},
		{"CREATE TABLE t(a int)", "CREATE TABLE t (a int)", "TABLE: whitespace or comments only"},
	}
	for _, tt := range tests {
		d := Diff{Key: strings.Fields(tt.got)[1] + " t", Got: tt.got, Want: tt.want}
		if got := d.Cause(); got != tt.cause {
			t.Errorf("Cause(%q, %q) = %q, want %q", tt.got, tt.want, got, tt.cause)
		}
	}
	if got := (Diff{Key: "VIEW public.v", Want: "x", Missing: true}).Cause(); got != "VIEW: missing" {
		t.Errorf("missing: %q", got)
	}
}

// TestTake dumps two databases of each dialect made with the same DDL,
// which must compare equal, and a third whose columns are in another
// order, which must not: the oracle sees what strata's own inspection
// does not compare.
func TestTake(t *testing.T) {
	ddl := map[string][]string{
		"sqlite":   {"CREATE TABLE t (id bigint NOT NULL, name text)", "CREATE VIEW v AS SELECT id FROM t"},
		"postgres": {"CREATE TABLE t (id bigserial PRIMARY KEY, name text)", "CREATE VIEW v AS SELECT id FROM t"},
		"mysql":    {"CREATE TABLE t (id bigint AUTO_INCREMENT PRIMARY KEY, name text)", "CREATE VIEW v AS SELECT id FROM t", "INSERT INTO t (name) VALUES ('x')"},
	}
	reordered := map[string]string{
		"sqlite":   "CREATE TABLE t (name text, id bigint NOT NULL)",
		"postgres": "CREATE TABLE t (name text, id bigserial PRIMARY KEY)",
		"mysql":    "CREATE TABLE t (name text, id bigint AUTO_INCREMENT PRIMARY KEY)",
	}
	testdb.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dump := func(stmts ...string) *Dump {
			db, u := testdb.Open(t, dialect)
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for _, s := range stmts {
				if _, err := conn.ExecContext(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			name := ""
			if pu, err := url.Parse(u); err == nil && dialect != "sqlite" {
				name = strings.TrimPrefix(pu.Path, "/")
			}
			d, err := Take(ctx, dialect, conn, u, name)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		a, b := dump(ddl[dialect]...), dump(ddl[dialect][:2]...)
		if len(a.Objects) == 0 {
			t.Fatal("empty dump")
		}
		if d := Differences(a, b, Strict); len(d) > 0 {
			t.Errorf("same DDL, different dumps: %v\n%s\n%s", d, a, b)
		}
		c := dump(append([]string{reordered[dialect]}, ddl[dialect][1])...)
		d := Differences(c, a, Strict)
		if len(d) == 0 {
			t.Fatalf("column order not seen:\n%s", c)
		}
		if cause := d[0].Cause(); !strings.Contains(cause, "order") {
			t.Errorf("cause %q, want an order; %v", cause, d)
		}
	})
}
