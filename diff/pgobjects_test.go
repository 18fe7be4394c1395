package diff_test

import (
	"strings"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

func opList(ops []op.Op) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = o.String()
	}
	return strings.Join(s, ", ")
}

// TestTypesOrder: sequences, domains (a domain after the one it is built
// on; one whose check calls a new function after the functions) and
// composite types come before the tables that use them and go after; a
// partition comes after its table's columns; the inverse undoes it all.
func TestTypesOrder(t *testing.T) {
	fn := &schema.Function{Kind: schema.FunctionKind, Name: "is_mail", Args: "text", Def: "CREATE FUNCTION is_mail(text) …"}
	to := &schema.Schema{
		Sequences: []*schema.Sequence{{Name: "seq"}},
		Domains: []*schema.Domain{
			{Name: "a_short", Type: "z_base"},
			{Name: "mail", Type: "text", Checks: []*schema.Check{{Name: "mail_check", Expr: "CHECK (is_mail(VALUE))"}}},
			{Name: "z_base", Type: "text"},
		},
		CompositeTypes: []*schema.CompositeType{{Name: "pair", Attributes: []schema.Attribute{{Name: "a", Type: "a_short"}}}},
		Functions:      []*schema.Function{fn},
		Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{{Name: "p", Type: schema.RawType{SQL: "pair"}}},
			PartitionBy: "LIST (p)", Partitions: []*schema.Partition{{Name: "t1", Bound: "DEFAULT"}}}},
	}
	to.Normalize()
	ops, err := diff.Schemas(&schema.Schema{}, to)
	if err != nil {
		t.Fatal(err)
	}
	want := `create sequence "seq", create domain "z_base", create domain "a_short", create composite type "pair", ` +
		`create function "is_mail"(text), create domain "mail", create table "t"`
	if got := opList(ops); got != want {
		t.Errorf("ops:\n got %s\nwant %s", got, want)
	}
	back, err := diff.Schemas(to, &schema.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	want = `drop table "t", drop domain "mail", drop function "is_mail"(text), drop composite type "pair", ` +
		`drop domain "a_short", drop domain "z_base", drop sequence "seq"`
	if got := opList(back); got != want {
		t.Errorf("drops:\n got %s\nwant %s", got, want)
	}

	// Changes in place, and their inverses.
	from := to.Clone()
	to2 := to.Clone()
	to2.Sequences[0].Increment = 5
	to2.Domains[1].Default = "'x@y'"
	to2.CompositeTypes[0].Attributes = append(to2.CompositeTypes[0].Attributes, schema.Attribute{Name: "b", Type: "integer"})
	to2.Tables[0].Partitions = append(to2.Tables[0].Partitions, &schema.Partition{Name: "t2", Bound: "FOR VALUES IN (NULL)"})
	to2.Tables[0].Exclusions = []*schema.Exclusion{{Name: "t_ex", Def: "EXCLUDE USING gist (p WITH =)"}}
	to2.Normalize()
	ops, err = diff.Schemas(from, to2)
	if err != nil {
		t.Fatal(err)
	}
	want = `alter sequence "seq", alter domain "mail", alter composite type "pair", ` +
		`add exclusion constraint "t_ex" to "t", add partition "t2" of "t"`
	if got := opList(ops); got != want {
		t.Errorf("alters:\n got %s\nwant %s", got, want)
	}
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	s := to2.Clone()
	for _, o := range inv {
		if err := o.Apply(s); err != nil {
			t.Fatalf("apply %s: %v", o, err)
		}
	}
	s.Normalize()
	if d := schema.Differences(from, s); len(d) > 0 {
		t.Errorf("the inverse does not restore the schema: %q", d)
	}

	// A changed partition key cannot be done in place.
	to3 := to.Clone()
	to3.Tables[0].PartitionBy = "HASH (p)"
	if _, err := diff.Schemas(to, to3); err == nil || !strings.Contains(err.Error(), "partition key") {
		t.Errorf("a new partition key: err %v, want one naming the partition key", err)
	}
}
