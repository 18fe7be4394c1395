package diff_test

import (
	"reflect"
	"testing"

	"github.com/strata-go/strata/diff"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// TestCommentsChangeInPlace: a comment on an index, a constraint or an
// enum type changes with SetComment, never by dropping and making the
// object again, and the ops bring the schema to the target and back.
func TestCommentsChangeInPlace(t *testing.T) {
	build := func(comment string) *schema.Schema {
		p := tbl("p", []*schema.Column{{Name: "n", Type: int64Type}})
		p.PrimaryKey.Name = "p_pkey"
		p.PrimaryKey.Comment = comment
		p.Indexes = []*schema.Index{
			{Name: "p_n", Parts: schema.Columns("n"), Comment: comment},
			{Name: "p_n_key", Parts: schema.Columns("n"), Unique: true, Constraint: true, Comment: comment},
		}
		p.Checks = []*schema.Check{{Name: "p_n_check", Expr: "n > 0", Comment: comment}}
		c := tbl("c", []*schema.Column{ref("p")}, "p>p")
		c.ForeignKeys[0].Comment = comment
		s := &schema.Schema{Tables: []*schema.Table{c, p}, Enums: []*schema.Enum{{Name: "mood", Values: []string{"a"}, Comment: comment}}}
		s.Normalize()
		return s
	}
	from, to := build(""), build("said")
	ops, err := diff.Schemas(from, to)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range ops {
		sc, ok := o.(op.SetComment)
		if !ok {
			t.Fatalf("%s: want only SetComment ops, got %T", o, o)
		}
		if sc.To != "said" || sc.From != "" {
			t.Errorf("%s: from %q to %q", o, sc.From, sc.To)
		}
		kinds = append(kinds, sc.Kind+" "+sc.Name)
	}
	want := []string{"type mood", "constraint fk_c_p", "constraint p_pkey", "index p_n", "constraint p_n_key", "constraint p_n_check"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("ops %q, want %q", kinds, want)
	}
	got := from.Clone()
	for _, o := range ops {
		if err := o.Apply(got); err != nil {
			t.Fatal(err)
		}
	}
	if d := schema.Differences(got, to); len(d) > 0 {
		t.Errorf("after the ops: %q", d)
	}
	inv, err := diff.Inverse(ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range inv {
		if err := o.Apply(got); err != nil {
			t.Fatal(err)
		}
	}
	if d := schema.Differences(got, from); len(d) > 0 {
		t.Errorf("after the inverse: %q", d)
	}
}

// TestConstraintAttributesRecreate: a check's NO INHERIT or NOT VALID, a
// foreign key's MATCH or NOT VALID, and an index's INCLUDE, storage
// parameters, NULLS NOT DISTINCT, DEFERRABLE and per-key collation or
// NULLS order are part of what the object is: a change drops it and adds
// it again.
func TestConstraintAttributesRecreate(t *testing.T) {
	base := func() *schema.Schema {
		p := tbl("p", []*schema.Column{{Name: "n", Type: int64Type}})
		p.Indexes = []*schema.Index{{Name: "p_n", Parts: schema.Columns("n")}}
		p.Checks = []*schema.Check{{Name: "p_n_check", Expr: "n > 0"}}
		c := tbl("c", []*schema.Column{ref("p")}, "p>p")
		return &schema.Schema{Tables: []*schema.Table{c, p}}
	}
	for name, change := range map[string]func(s *schema.Schema){
		"check no inherit":         func(s *schema.Schema) { s.Tables[1].Checks[0].NoInherit = true },
		"check not valid":          func(s *schema.Schema) { s.Tables[1].Checks[0].NotValid = true },
		"foreign key match":        func(s *schema.Schema) { s.Tables[0].ForeignKeys[0].Match = "FULL" },
		"foreign key not valid":    func(s *schema.Schema) { s.Tables[0].ForeignKeys[0].NotValid = true },
		"index include":            func(s *schema.Schema) { s.Tables[1].Indexes[0].Include = []string{"id"} },
		"index params":             func(s *schema.Schema) { s.Tables[1].Indexes[0].Params = []string{"fillfactor=70"} },
		"index nulls not distinct": func(s *schema.Schema) { s.Tables[1].Indexes[0].NullsNotDistinct = true },
		"index deferrable":         func(s *schema.Schema) { s.Tables[1].Indexes[0].Deferrable = true },
		"key collation":            func(s *schema.Schema) { s.Tables[1].Indexes[0].Parts[0].Collation = "C" },
		"key nulls":                func(s *schema.Schema) { s.Tables[1].Indexes[0].Parts[0].Nulls = "FIRST" },
		"key opclass params":       func(s *schema.Schema) { s.Tables[1].Indexes[0].Parts[0].OpClassParams = "siglen=10" },
	} {
		from, to := base(), base()
		change(to)
		ops, err := diff.Schemas(from, to)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(ops) != 2 {
			t.Errorf("%s: ops %v, want a drop and an add", name, ops)
		}
		if d := schema.Differences(from, to); len(d) == 0 {
			t.Errorf("%s: Differences finds none", name)
		}
	}
}
