package sqlite_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// TestQuoteIdent checks that plain names are written bare and the rest
// quoted, and that SQLite reads each back as the same name.
func TestQuoteIdent(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, want string }{
		{"price", "price"},
		{"_strata_rebuild_guard", "_strata_rebuild_guard"},
		{"col2", "col2"},
		{"order", `"order"`},   // keyword
		{"Select", `"Select"`}, // keyword, and a capital
		{"rowid", "rowid"},     // not a keyword, only a special name
		{"Price", `"Price"`},   // capitals keep their spelling
		{"2col", `"2col"`},
		{"full name", `"full name"`},
		{`say "hi"`, `"say ""hi"""`},
		{"café", `"café"`},
		{"a-b", `"a-b"`},
	}
	db, d := open(t)
	for _, c := range cases {
		if got := d.QuoteIdent(c.name); got != c.want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", c.name, got, c.want)
		}
		if c.name == "rowid" {
			continue
		}
		exec(t, db, "CREATE TABLE t ("+d.QuoteIdent(c.name)+" INTEGER)")
		if got := rows(t, db, "SELECT name FROM pragma_table_info('t')"); len(got) != 1 || got[0] != c.name {
			t.Errorf("column %s reads back as %q, want %q", d.QuoteIdent(c.name), got, c.name)
		}
		exec(t, db, "DROP TABLE t")
	}
}

// TestRenderReadableBySqlc checks the two things sqlc v1.31 could not
// read in strata's SQLite files: quotes around a plain column name in
// ALTER TABLE ... ADD/DROP COLUMN (sqlc keeps them as part of the name),
// and the temp. schema in the rebuild's statements (sqlc knows no schema
// called temp). scripts/ecosystem runs sqlc itself on such files.
func TestRenderReadableBySqlc(t *testing.T) {
	t.Parallel()
	db, d := open(t)
	exec(t, db, opsSetup)
	current := inspect(t, d, db)
	price := &schema.Column{Name: "price", Type: schema.IntegerType{Bits: 64}, Nullable: true}
	// Each on its own: together, the rebuild would carry out all three.
	var stmts []string
	for _, o := range []op.Op{
		op.AddColumn{Table: "parent", Column: price},
		op.DropColumn{Table: "parent", Column: price},
		op.AddCheck{Table: "parent", Check: &schema.Check{Expr: "id > 0"}}, // a rebuild
	} {
		stmts = append(stmts, renderAll(t, d, current, o)...)
		if err := o.Apply(current); err != nil {
			t.Fatal(err)
		}
	}
	all := strings.Join(stmts, "\n")
	for _, want := range []string{"ALTER TABLE parent ADD COLUMN price INTEGER", "ALTER TABLE parent DROP COLUMN price"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in:\n%s", want, all)
		}
	}
	if !strings.Contains(all, "ALTER TABLE parent RENAME TO _strata_old_parent") {
		t.Fatalf("the check is not added by a rebuild:\n%s", all)
	}
	if strings.Contains(strings.ToLower(all), "temp.") {
		t.Errorf("a statement names the temp schema:\n%s", all)
	}
	// And the rebuild still runs and keeps the rows.
	inTx(t, db, stmts)
	if got := rows(t, db, "SELECT count(*) FROM sqlite_temp_schema"); got[0] != "0" {
		t.Errorf("the rebuild left %s temporary tables", got[0])
	}
}
