package sqlite

import (
	"testing"

	"github.com/strata-go/strata/schema"
)

// TestTableSource writes the user's statement while the table is what it
// says, under another name for a rebuild's new table, and never once the
// table changed or was renamed.
func TestTableSource(t *testing.T) {
	text := "CREATE TABLE t( id bigint PRIMARY KEY ,b bool DEFAULT NULL)"
	mk := func() *schema.Table {
		tb := &schema.Table{Name: "t", Columns: []*schema.Column{
			{Name: "id", Type: schema.IntegerType{Bits: 64}, DeclaredType: "bigint", Nullable: true},
			{Name: "b", Type: schema.BoolType{}, DeclaredType: "bool", Nullable: true, Default: schema.Literal{SQL: "NULL"}},
		}, PrimaryKey: &schema.PrimaryKey{Columns: []string{"id"}}}
		tb.Source = &schema.Source{Text: text, Key: tableKey(tb)}
		return tb
	}
	if got := createTable("t", mk()); got != text {
		t.Errorf("unchanged: %q, want the user's %q", got, text)
	}
	if got, want := createTable("_strata_new_t", mk()), "CREATE TABLE _strata_new_t ( id bigint PRIMARY KEY ,b bool DEFAULT NULL)"; got != want {
		t.Errorf("under another name: %q, want %q", got, want)
	}
	changed := mk()
	changed.Columns[1].Nullable = false
	if got, want := createTable("t", changed), "CREATE TABLE t (\n  id bigint,\n  b bool NOT NULL DEFAULT NULL,\n  PRIMARY KEY (id)\n)"; got != want {
		t.Errorf("changed: %q, want %q", got, want)
	}
	renamed := mk()
	renamed.Name = "u"
	if got := createTable("u", renamed); got == text {
		t.Errorf("renamed: the old statement %q", got)
	}
}
