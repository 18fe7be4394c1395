package diff

import (
	"testing"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// TestTableOptionsOrder takes a table option away before the table's
// other changes and gives one after them: SQLite's STRICT refuses some
// types, WITHOUT ROWID needs a primary key.
func TestTableOptionsOrder(t *testing.T) {
	table := func(strict, withoutRowID bool, typ string) *schema.Table {
		return &schema.Table{Name: "t", Strict: strict, WithoutRowID: withoutRowID,
			Columns:    []*schema.Column{{Name: "a", Type: schema.IntegerType{Bits: 64}, DeclaredType: typ}},
			PrimaryKey: &schema.PrimaryKey{Columns: []string{"a"}}}
	}
	from := &schema.Schema{Tables: []*schema.Table{table(true, false, "INTEGER")}}
	to := &schema.Schema{Tables: []*schema.Table{table(false, true, "bigint")}}
	ops, err := Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 3 {
		t.Fatalf("ops %v, want 3", ops)
	}
	first, ok := ops[0].(op.AlterTable)
	if !ok || !first.From.Strict || first.To.Strict || first.To.WithoutRowID {
		t.Errorf("first op %#v, want STRICT taken away, nothing given", ops[0])
	}
	if _, ok := ops[1].(op.AlterColumn); !ok {
		t.Errorf("second op %v, want the column's change", ops[1])
	}
	last, ok := ops[2].(op.AlterTable)
	if !ok || last.From.Strict || last.From.WithoutRowID || !last.To.WithoutRowID || last.To.Strict {
		t.Errorf("last op %#v, want WITHOUT ROWID given", ops[2])
	}
	// Other attributes change in one op, after the rest, as before.
	a, b := table(false, false, ""), table(false, false, "")
	b.Comment = "c"
	ops, err = Schemas(&schema.Schema{Tables: []*schema.Table{a}}, &schema.Schema{Tables: []*schema.Table{b}})
	if err != nil || len(ops) != 1 {
		t.Fatalf("ops %v, %v; want one AlterTable", ops, err)
	}
}
