package op_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

func canonFn(body string) *schema.Function {
	return &schema.Function{Kind: schema.FunctionKind, Name: "canon", Args: "text", Params: "text", Returns: "text",
		Def: "CREATE OR REPLACE FUNCTION canon(text) RETURNS text LANGUAGE sql AS $$" + body + "$$"}
}

func touchTrigger(table string) *schema.Trigger {
	return &schema.Trigger{Name: "touch", Def: `CREATE TRIGGER touch BEFORE UPDATE OF note ON "` + table + `" FOR EACH ROW EXECUTE FUNCTION touch()`}
}

func withObjects() *schema.Schema {
	l := lists()
	l.Triggers = []*schema.Trigger{touchTrigger("lists")}
	return &schema.Schema{
		Tables:     []*schema.Table{l, todos()},
		Views:      []*schema.View{{Name: "names", Def: "SELECT name FROM lists"}},
		Extensions: []*schema.Extension{{Name: "pg_trgm"}},
		Functions:  []*schema.Function{canonFn("SELECT lower($1)")},
	}
}

func TestObjectOpsInverseTwice(t *testing.T) {
	t.Parallel()
	for _, o := range []op.Op{
		op.CreateExtension{Extension: &schema.Extension{Name: "ltree"}},
		op.DropExtension{Extension: &schema.Extension{Name: "pg_trgm"}},
		op.CreateFunction{Function: canonFn("SELECT $1")},
		op.DropFunction{Function: canonFn("SELECT $1")},
		op.ReplaceFunction{From: canonFn("SELECT $1"), To: canonFn("SELECT upper($1)")},
		op.CreateTrigger{Table: "todos", Trigger: touchTrigger("todos")},
		op.DropTrigger{Table: "lists", Trigger: touchTrigger("lists")},
	} {
		inv, err := o.Inverse()
		if err != nil {
			t.Fatalf("%s: %v", o, err)
		}
		back, err := inv.Inverse()
		if err != nil || !reflect.DeepEqual(back, o) {
			t.Errorf("%s: inverting twice gives %#v, %v", o, back, err)
		}
	}
}

func TestObjectOpsApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		op    op.Op
		check func(t *testing.T, s *schema.Schema)
	}{
		{"create extension", op.CreateExtension{Extension: &schema.Extension{Name: "ltree"}}, func(t *testing.T, s *schema.Schema) {
			if _, ok := s.Extension("ltree"); !ok {
				t.Error("no extension")
			}
		}},
		{"drop extension", op.DropExtension{Extension: &schema.Extension{Name: "pg_trgm"}}, func(t *testing.T, s *schema.Schema) {
			if len(s.Extensions) != 0 {
				t.Errorf("extensions %v", s.Extensions)
			}
		}},
		{"create overload", op.CreateFunction{Function: &schema.Function{Kind: schema.FunctionKind, Name: "canon", Args: "text, integer", Def: "x"}}, func(t *testing.T, s *schema.Schema) {
			if len(s.Functions) != 2 {
				t.Errorf("functions %v: an overload is another function", s.Functions)
			}
		}},
		{"drop function", op.DropFunction{Function: canonFn("SELECT lower($1)")}, func(t *testing.T, s *schema.Schema) {
			if len(s.Functions) != 0 {
				t.Errorf("functions %v", s.Functions)
			}
		}},
		{"replace function", op.ReplaceFunction{From: canonFn("SELECT lower($1)"), To: canonFn("SELECT upper($1)")}, func(t *testing.T, s *schema.Schema) {
			if f, _ := s.Function("function canon(text)"); f == nil || !strings.Contains(f.Def, "upper") {
				t.Errorf("function %+v", f)
			}
		}},
		{"create trigger on a view", op.CreateTrigger{Table: "names", Trigger: &schema.Trigger{Name: "ins", Def: "CREATE TRIGGER ins INSTEAD OF INSERT ON names"}}, func(t *testing.T, s *schema.Schema) {
			if v, _ := s.View("names"); len(v.Triggers) != 1 {
				t.Errorf("view triggers %v", v.Triggers)
			}
		}},
		{"drop trigger", op.DropTrigger{Table: "lists", Trigger: touchTrigger("lists")}, func(t *testing.T, s *schema.Schema) {
			if tb, _ := s.Table("lists"); len(tb.Triggers) != 0 {
				t.Errorf("triggers %v", tb.Triggers)
			}
		}},
		{"drop table takes its triggers", op.DropTable{Table: lists()}, func(t *testing.T, s *schema.Schema) {
			if _, ok := s.Table("lists"); ok {
				t.Error("table kept")
			}
		}},
		{"rename table carries its triggers", op.RenameTable{From: "lists", To: "boards"}, func(t *testing.T, s *schema.Schema) {
			tb, _ := s.Table("boards")
			if len(tb.Triggers) != 1 || tb.Triggers[0].Def != strings.Replace(touchTrigger("lists").Def, `"lists"`, `"boards"`, 1) {
				t.Errorf("triggers %+v", tb.Triggers)
			}
		}},
		{"rename column rewrites the trigger", op.AlterColumn{Table: "lists",
			From: &schema.Column{Name: "note", Type: textType, Nullable: true}, To: &schema.Column{Name: "memo", Type: textType, Nullable: true}},
			func(t *testing.T, s *schema.Schema) {
				tb, _ := s.Table("lists")
				if !strings.Contains(tb.Triggers[0].Def, "UPDATE OF memo ON") {
					t.Errorf("trigger %q", tb.Triggers[0].Def)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := withObjects()
			if err := tt.op.Apply(s); err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
			inv, err := tt.op.Inverse()
			if err != nil {
				t.Fatal(err)
			}
			// DropTable's inverse gives the table back with its triggers.
			if dt, ok := tt.op.(op.DropTable); ok {
				dt.Table.Triggers = []*schema.Trigger{touchTrigger("lists")}
				inv = op.CreateTable{Table: dt.Table}
			}
			if err := inv.Apply(s); err != nil {
				t.Fatalf("inverse: %v", err)
			}
			want := withObjects()
			s.Normalize()
			want.Normalize()
			if d := schema.Differences(s, want); len(d) > 0 {
				t.Errorf("op and inverse: %q", d)
			}
		})
	}
}

func TestObjectOpsApplyErrors(t *testing.T) {
	t.Parallel()
	for _, o := range []op.Op{
		op.CreateExtension{Extension: &schema.Extension{Name: "pg_trgm"}},
		op.DropExtension{Extension: &schema.Extension{Name: "nope"}},
		op.CreateFunction{Function: canonFn("")},
		op.DropFunction{Function: &schema.Function{Kind: schema.FunctionKind, Name: "canon", Args: "integer"}},
		op.ReplaceFunction{From: canonFn(""), To: &schema.Function{Kind: schema.FunctionKind, Name: "canon", Args: "text", Params: "text", Returns: "integer"}},
		op.CreateTrigger{Table: "lists", Trigger: touchTrigger("lists")},
		op.CreateTrigger{Table: "nope", Trigger: touchTrigger("nope")},
		op.DropTrigger{Table: "todos", Trigger: touchTrigger("todos")},
		op.CreateExtension{},
		op.DropFunction{},
		op.ReplaceFunction{To: canonFn("")},
		op.CreateTrigger{Table: "lists"},
	} {
		err := o.Apply(withObjects())
		if err == nil || !strings.HasPrefix(err.Error(), "op: ") {
			t.Errorf("%T: error %v, want one starting op:", o, err)
		}
	}
}

func TestTriggerRewrites(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, def, want string }{
		{"quoted", `CREATE TRIGGER t BEFORE INSERT ON "old" FOR EACH ROW EXECUTE FUNCTION f()`, `CREATE TRIGGER t BEFORE INSERT ON "new" FOR EACH ROW EXECUTE FUNCTION f()`},
		{"bare, qualified", `CREATE TRIGGER t BEFORE INSERT ON public.old FOR EACH ROW EXECUTE FUNCTION f()`, `CREATE TRIGGER t BEFORE INSERT ON public.old FOR EACH ROW EXECUTE FUNCTION f()`},
		{"bare", `create trigger IF NOT EXISTS "on" after delete on Old begin delete from x; end`, `create trigger IF NOT EXISTS "on" after delete on new begin delete from x; end`},
		{"other table", `CREATE TRIGGER t BEFORE INSERT ON "other" EXECUTE FUNCTION f('old')`, `CREATE TRIGGER t BEFORE INSERT ON "other" EXECUTE FUNCTION f('old')`},
	}
	for _, tt := range tests {
		if got := schema.RenameTriggerTable(tt.def, "old", "new"); got != tt.want {
			t.Errorf("%s: RenameTriggerTable:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	def := `CREATE TRIGGER "a" AFTER UPDATE OF a, "b" ON "a" FOR EACH ROW WHEN (new.a <> 'a' /* a */) BEGIN UPDATE log SET a = NEW.A; END`
	want := `CREATE TRIGGER "a" AFTER UPDATE OF "A 2", "b" ON "a" FOR EACH ROW WHEN (new."A 2" <> 'a' /* a */) BEGIN UPDATE log SET "A 2" = NEW."A 2"; END`
	if got := schema.RenameTriggerColumn(def, "a", "A 2"); got != want {
		t.Errorf("RenameTriggerColumn:\n got %s\nwant %s", got, want)
	}
}
