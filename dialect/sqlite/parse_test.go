package sqlite

import (
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	for in, want := range map[string]string{
		`a>=-1.5e+3 AND "x""y" <> 'it''s'`:     `a >= -1.5e+3 AND "x""y" <> 'it''s'`,
		"f( a ,b )-- note\n/* c */ || [q r]":   "f(a, b) || [q r]",
		"`a``b`.c IN (1,2)":                    "`a``b`.c IN (1, 2)",
		"x'00FF' IS NOT NULL":                  "x'00FF' IS NOT NULL",
		"CASE WHEN a THEN -b ELSE +c END":      "CASE WHEN a THEN -b ELSE +c END",
		"a - b, (-1), doc->>'$.a', doc -> '$'": "a - b, (-1), doc ->> '$.a', doc -> '$'",
		"naïve*数量":                             "naïve * 数量",
		"count ( * ) AND NOT (a)":              "count(*) AND NOT (a)",
		"0x1F + .5":                            "0x1F + .5",
		"'unterminated":                        "'unterminated",
		"((a + b))":                            "((a + b))",
		"[unterminated":                        "[unterminated",
		"/* only a comment":                    "",
	} {
		if got := join(tokenize(in)); got != want {
			t.Errorf("join(tokenize(%q)) = %q, want %q", in, got, want)
		}
	}
	if got := normExpr("((a + b))"); got != "a + b" {
		t.Errorf("normExpr unwraps to %q", got)
	}
	if got := normExpr("(a) + (b)"); got != "(a) + (b)" {
		t.Errorf("normExpr(%q) = %q", "(a) + (b)", got)
	}
}

func TestParseCreateTable(t *testing.T) {
	def := parseCreateTable(`CREATE TABLE "t" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  [n] TEXT COLLATE nocase CONSTRAINT n_ok CHECK (n <> 'a,b)') REFERENCES p (x) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  g REAL AS (id * 2) STORED,
  CONSTRAINT "fk 2" FOREIGN KEY (id, n) REFERENCES "q" ("a", b) NOT DEFERRABLE,
  CHECK (id > 0)
) WITHOUT ROWID`)
	if !def.withoutRowid {
		t.Error("WITHOUT ROWID missed")
	}
	if c := def.columns["id"]; c == nil || !c.autoincrement {
		t.Errorf("id: %+v", c)
	}
	if c := def.columns["n"]; c == nil || c.collation != "nocase" {
		t.Errorf("n: %+v", c)
	}
	if c := def.columns["g"]; c == nil || c.generated != "id * 2" {
		t.Errorf("g: %+v", c)
	}
	if len(def.checks) != 2 || def.checks[0] != (checkDef{"n_ok", "n <> 'a,b)'"}) || def.checks[1] != (checkDef{"", "id > 0"}) {
		t.Errorf("checks: %+v", def.checks)
	}
	if len(def.foreignKeys) != 2 {
		t.Fatalf("foreign keys: %+v", def.foreignKeys)
	}
	fk := def.foreignKeys[0]
	if fk.name != "" || fk.refTable != "p" || !fk.deferrable || !fk.initiallyDeferred || strings.Join(fk.columns, ",") != "n" {
		t.Errorf("column foreign key: %+v", fk)
	}
	fk = def.foreignKeys[1]
	if fk.name != "fk 2" || fk.refTable != "q" || fk.deferrable || strings.Join(fk.refColumns, ",") != "a,b" {
		t.Errorf("table foreign key: %+v", fk)
	}
}

func TestParseCreateIndex(t *testing.T) {
	def := parseCreateIndex(`CREATE UNIQUE INDEX IF NOT EXISTS "i" ON "t" (lower(a) DESC, (b + 1), c COLLATE NOCASE ASC) WHERE a IS NOT NULL -- x`)
	if strings.Join(def.parts, "|") != "lower(a)|b + 1|c COLLATE NOCASE" || def.where != "a IS NOT NULL" {
		t.Errorf("parsed %+v", def)
	}
}

// FuzzParse checks that the parsers never panic, whatever SQLite stores.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT REFERENCES p ON DELETE SET NULL, CHECK (a > 0))`,
		`CREATE INDEX i ON t (lower(a) DESC) WHERE b`,
		`CREATE VIEW v AS SELECT 1`,
		`CREATE TABLE t (a CONSTRAINT`, `CREATE INDEX i ON (`, `CREATE TABLE t (a PRIMARY`, `"`, `[`, `x'`, `/*`,
		`CREATE TABLE t (FOREIGN KEY (a) REFERENCES`, `CREATE TABLE t (a REFERENCES p (`, `CREATE TABLE t (a DEFAULT -`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseCreateTable(s)
		parseCreateIndex(s)
		viewDef(s)
		normExpr(s)
		// Canonical text is a fixed point.
		if n := normExpr(s); normExpr(n) != n && !strings.ContainsAny(s, "'\"`[-/") {
			t.Errorf("normExpr not idempotent: %q -> %q -> %q", s, n, normExpr(n))
		}
	})
}
