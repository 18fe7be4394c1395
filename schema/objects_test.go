package schema_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/strata-go/strata/schema"
)

// objects returns todos() with an extension, two overloads of a function,
// a trigger on todos and a view with an INSTEAD OF trigger.
func objects() *schema.Schema {
	s := todos()
	s.Extensions = []*schema.Extension{{Name: "pg_trgm"}, {Name: "citext"}}
	s.Functions = []*schema.Function{
		{Kind: schema.FunctionKind, Name: "f", Args: "text", Def: "CREATE FUNCTION f(text) …"},
		{Kind: schema.FunctionKind, Name: "f", Args: "integer", Def: "CREATE FUNCTION f(integer) …"},
	}
	table := s.Tables[1]
	table.Triggers = []*schema.Trigger{{Name: "z", Def: "CREATE TRIGGER z"}, {Name: "a", Def: "CREATE TRIGGER a"}}
	s.Views = []*schema.View{{Name: "v", Def: "SELECT 1", Triggers: []*schema.Trigger{{Name: "i", Def: "CREATE TRIGGER i"}}}}
	s.Normalize()
	return s
}

func TestObjectsNormalize(t *testing.T) {
	t.Parallel()
	s := objects()
	var got []string
	for _, e := range s.Extensions {
		got = append(got, e.Name)
	}
	for _, f := range s.Functions {
		got = append(got, f.Key())
	}
	for _, tr := range table(t, s, "todos").Triggers {
		got = append(got, tr.Name)
	}
	want := []string{"citext", "pg_trgm", "function f(integer)", "function f(text)", "a", "z"}
	if !slices.Equal(got, want) {
		t.Errorf("normalized order %q, want %q", got, want)
	}
}

func TestObjectsCloneIsDeep(t *testing.T) {
	t.Parallel()
	for name, change := range map[string]func(s *schema.Schema){
		"extension":    func(s *schema.Schema) { s.Extensions[0].Name = "x" },
		"function":     func(s *schema.Schema) { s.Functions[0].Def = "x" },
		"trigger":      func(s *schema.Schema) { s.Tables[1].Triggers[0].Def = "x" },
		"view trigger": func(s *schema.Schema) { s.Views[0].Triggers[0].Def = "x" },
	} {
		orig := objects()
		c := orig.Clone()
		if !reflect.DeepEqual(c, orig) {
			t.Fatalf("%s: clone differs from the original", name)
		}
		change(c)
		if !reflect.DeepEqual(orig, objects()) {
			t.Errorf("changing the clone's %s changed the original", name)
		}
	}
}

func TestObjectsDifferences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(s *schema.Schema)
		want   []string
	}{
		{"extension removed", func(s *schema.Schema) { s.Extensions = s.Extensions[1:] }, []string{`extension "citext" removed`}},
		{"extension added", func(s *schema.Schema) { s.Extensions = append(s.Extensions, &schema.Extension{Name: "ltree"}) }, []string{`extension "ltree" added`}},
		{"function changed", func(s *schema.Schema) { s.Functions[0].Def = "new" }, []string{`function f(integer): definition "CREATE FUNCTION f(integer) …", want "new"`}},
		{"function result changed", func(s *schema.Schema) { s.Functions[0].Returns = "bigint" }, []string{`function f(integer): definition "CREATE FUNCTION f(integer) …", want "CREATE FUNCTION f(integer) …"`}},
		{"overload removed", func(s *schema.Schema) { s.Functions = s.Functions[1:] }, []string{`function f(integer) removed`}},
		{"trigger changed", func(s *schema.Schema) { s.Tables[1].Triggers[1].Def = "new" },
			[]string{`table "todos": trigger "z": definition "CREATE TRIGGER z", want "new"`}},
		{"trigger removed", func(s *schema.Schema) { s.Tables[1].Triggers = nil },
			[]string{`table "todos": trigger "a" removed`, `table "todos": trigger "z" removed`}},
		{"view trigger added", func(s *schema.Schema) {
			s.Views[0].Triggers = append(s.Views[0].Triggers, &schema.Trigger{Name: "j", Def: "CREATE TRIGGER j"})
		}, []string{`view "v": trigger "j" added`}},
	}
	for _, tt := range tests {
		b := objects()
		tt.change(b)
		if got := schema.Differences(objects(), b); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Differences = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestReplaceable(t *testing.T) {
	t.Parallel()
	f := &schema.Function{Kind: schema.FunctionKind, Name: "f", Args: "integer", Params: "a integer", Returns: "integer", Def: "1"}
	body := *f
	body.Def = "2"
	result := body
	result.Returns = "bigint"
	param := body
	param.Params = "b integer"
	proc := body
	proc.Kind = schema.ProcedureKind
	for _, tt := range []struct {
		name string
		to   *schema.Function
		want bool
	}{{"new body", &body, true}, {"new result", &result, false}, {"renamed parameter", &param, false}, {"procedure", &proc, false}} {
		if got := schema.Replaceable(f, tt.to); got != tt.want {
			t.Errorf("%s: Replaceable = %t, want %t", tt.name, got, tt.want)
		}
	}
}
