package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-go/strata/dialect/postgres"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// TestGeneratedTypeChangesNeverCut renders type changes that lose values
// under PostgreSQL's casts (cut, round, drop the time) and runs them over
// a value that does not survive and one that does: the change either
// fails, naming the count and the value, or keeps every value as it was.
func TestGeneratedTypeChangesNeverCut(t *testing.T) {
	cases := []struct {
		from, to  string
		bad, fits string
	}{
		{"character varying(500)", "character varying(5)", "'a much longer title'", "'short'"},
		{"text", "character varying(3)", "'abcd'", "'abc'"},
		{"character(10)", "character(3)", "'abcdefg'", "'abc'"},
		{"integer", "character varying(3)", "12345", "123"},
		{"numeric(10,2)", "numeric(10,0)", "1.50", "2.00"},
		{"numeric(10,2)", "integer", "1.25", "7.00"},
		{"double precision", "integer", "2.5", "3"},
		{"double precision", "real", "0.1", "0.5"},
		{"bigint", "integer", "5000000000", "5"},
		{"timestamp without time zone", "timestamp(0) without time zone", "'2026-01-01 10:00:00.5'", "'2026-01-01 10:00:00'"},
		{"timestamp without time zone", "date", "'2026-01-01 10:00:00'", "'2026-01-01 00:00:00'"},
		{"numeric(10,2)", "numeric(4,2)", "123.45", "12.34"},
	}
	for _, c := range cases {
		t.Run(c.from+" to "+c.to, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, d := freshDB(t)
			mustExec(t, db, "CREATE TABLE items (id integer PRIMARY KEY, v "+c.from+")",
				"INSERT INTO items VALUES (1, "+c.bad+"), (2, "+c.fits+")")
			current := inspect(t, d, db)
			from := column(t, current, "items", "v")
			to := from.Clone()
			to.Type = postgres.ParseType(c.to)
			stmts := render(t, d, current, op.AlterColumn{Table: "items", From: from, To: to})
			for _, s := range stmts {
				if strings.Contains(s, "USING") && strings.Contains(s, "character") {
					t.Errorf("a cast to a string type in USING cuts values: %s", s)
				}
			}
			before := queryStrings(t, db, "SELECT v::text FROM items ORDER BY id")
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			var runErr error
			for _, s := range stmts {
				if _, runErr = tx.ExecContext(ctx, s); runErr != nil {
					break
				}
			}
			if runErr == nil {
				t.Fatalf("the change kept going over %s (now %v): %s", c.bad, queryStrings(t, tx, "SELECT v::text FROM items ORDER BY id"), strings.Join(stmts, ";\n"))
			}
			tx.Rollback()
			// A value out of range fails the conversion itself, with the
			// server's error; the others fail the check, which names them.
			if msg := runErr.Error(); !strings.Contains(msg, "out of range") && !strings.Contains(msg, "overflow") && (!strings.Contains(msg, "1 row(s)") || !strings.Contains(msg, strings.Trim(c.bad, "'"))) {
				t.Errorf("the check's error does not name the count and the value %s: %v", c.bad, runErr)
			}
			// The fitting value alone goes through and keeps its value.
			mustExec(t, db, "DELETE FROM items WHERE id = 1")
			for _, s := range stmts {
				mustExec(t, db, s)
			}
			got := queryStrings(t, db, "SELECT (v::"+c.from+")::text FROM items ORDER BY id")
			if len(got) != 1 || got[0] != before[1] {
				t.Errorf("the value that fits became %v, want %s", got, before[1])
			}
		})
	}
}

// TestTypeChangeRendering: a change every value survives is one ALTER
// with no check; USING is written only where no assignment cast exists,
// and never to a string type.
func TestTypeChangeRendering(t *testing.T) {
	d := &postgres.Dialect{}
	cases := []struct {
		from, to string
		want     []string // statements, a check shown as "check"
	}{
		{"character varying(200)", "character varying(500)", []string{`ALTER TABLE "items" ALTER COLUMN "v" TYPE character varying(500)`}},
		{"character varying(200)", "text", []string{`ALTER TABLE "items" ALTER COLUMN "v" TYPE text`}},
		{"integer", "bigint", []string{`ALTER TABLE "items" ALTER COLUMN "v" TYPE bigint`}},
		{"numeric(10,2)", "numeric(12,4)", []string{`ALTER TABLE "items" ALTER COLUMN "v" TYPE numeric(12,4)`}},
		{"timestamp(0) without time zone", "timestamp without time zone", []string{`ALTER TABLE "items" ALTER COLUMN "v" TYPE timestamp without time zone`}},
		{"character varying(500)", "character varying(5)", []string{"check", `ALTER TABLE "items" ALTER COLUMN "v" TYPE character varying(5)`}},
		{"numeric(10,2)", "numeric(10,0)", []string{"check", `ALTER TABLE "items" ALTER COLUMN "v" TYPE numeric(10,0)`}},
		{"text", "integer", []string{"check", `ALTER TABLE "items" ALTER COLUMN "v" TYPE integer USING "v"::integer`}},
		{"integer", "boolean", []string{"check", `ALTER TABLE "items" ALTER COLUMN "v" TYPE boolean USING "v"::boolean`}},
	}
	for _, c := range cases {
		s := &schema.Schema{Tables: []*schema.Table{{Name: "items", Columns: []*schema.Column{{Name: "v", Type: postgres.ParseType(c.from), Nullable: true}}}}}
		from := s.Tables[0].Columns[0]
		to := from.Clone()
		to.Type = postgres.ParseType(c.to)
		got, err := d.Render(s, op.AlterColumn{Table: "items", From: from, To: to})
		if err != nil {
			t.Fatalf("%s to %s: %v", c.from, c.to, err)
		}
		for i, g := range got {
			if strings.HasPrefix(g, "DO $strata$") {
				got[i] = "check"
			}
		}
		if strings.Join(got, ";\n") != strings.Join(c.want, ";\n") {
			t.Errorf("%s to %s:\n%s\nwant\n%s", c.from, c.to, strings.Join(got, ";\n"), strings.Join(c.want, ";\n"))
		}
	}
}
