package strata

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseFileRenames: the annotation at the end of a line or alone
// above it, on each kind of line, with quoted and qualified names.
func TestParseFileRenames(t *testing.T) {
	text := `CREATE TABLE lists (id INTEGER PRIMARY KEY); -- a plain comment
-- strata:renamed_from users
CREATE TABLE IF NOT EXISTS public."Accounts" (
  id INTEGER PRIMARY KEY,
  "E-mail" TEXT NOT NULL, -- strata:renamed_from "mail"
  -- strata:renamed_from note

  remark TEXT DEFAULT '--', -- strata:renamed_from comment
  CONSTRAINT ck_remark CHECK (remark <> '('), -- strata:renamed_from ck_note
  UNIQUE KEY uq_mail (` + "`E-mail`" + `), -- strata:renamed_from uq_old
  KEY ix_remark (remark) -- strata:renamed_from ix_old
);
CREATE UNIQUE INDEX accounts_mail_idx ON "Accounts" ("E-mail"); -- strata:renamed_from users_mail_idx
ALTER TABLE lists ADD CONSTRAINT lists_positive CHECK (id > 0); -- strata:renamed_from positive
CREATE TABLE after (
  x INTEGER -- strata:renamed_from y
);
`
	got, err := parseFileRenames("schema.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range got {
		lines = append(lines, fmt.Sprintf("%d %d %s %s>%s", r.Line, r.Kind, r.Table, r.From, r.To))
	}
	want := []string{
		"2 0  users>Accounts",
		"5 1 Accounts mail>E-mail",
		"6 1 Accounts note>remark",
		"8 1 Accounts comment>remark",
		"9 2 Accounts ck_note>ck_remark",
		"10 2 Accounts uq_old>uq_mail",
		"11 2 Accounts ix_old>ix_remark",
		"13 2 Accounts users_mail_idx>accounts_mail_idx",
		"14 2 lists positive>lists_positive",
		"16 1 after y>x",
	}
	if g, w := strings.Join(lines, "\n"), strings.Join(want, "\n"); g != w {
		t.Fatalf("got\n%s\nwant\n%s", g, w)
	}
}

func TestParseFileRenamesErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"CREATE TABLE t (\n  a INT,\n  PRIMARY KEY (a) -- strata:renamed_from pk\n);\n", "schema.sql:3: strata:renamed_from pk: the line declares an unnamed constraint"},
		{"CREATE TABLE t (a INT);\n-- strata:renamed_from x\n", "schema.sql:2: strata:renamed_from x: no SQL follows it"},
		{"INSERT INTO t VALUES (1); -- strata:renamed_from x\n", "schema.sql:1: strata:renamed_from x: the line names no table"},
		{"CREATE TABLE t (a INT); -- strata:renamed_from\n", "schema.sql:1: strata:renamed_from needs the old name"},
	} {
		_, err := parseFileRenames("schema.sql", tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.text, err, tc.want)
		}
	}
}
