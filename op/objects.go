package op

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// CreateExtension installs an extension (PostgreSQL).
type CreateExtension struct{ Extension *schema.Extension }

// DropExtension removes an extension; Extension holds it for the inverse.
type DropExtension struct{ Extension *schema.Extension }

// CreateFunction creates a stored function or procedure from its
// definition.
type CreateFunction struct{ Function *schema.Function }

// DropFunction drops a function or procedure; Function holds it for the
// inverse.
type DropFunction struct{ Function *schema.Function }

// ReplaceFunction gives a function a new definition in place (CREATE OR
// REPLACE), keeping what depends on it. From and To have the same
// identity, parameters and result (schema.Replaceable); otherwise the
// function must be dropped and created again.
type ReplaceFunction struct{ From, To *schema.Function }

// CreateTrigger creates a trigger on the table or view Table.
type CreateTrigger struct {
	Table   string
	Trigger *schema.Trigger
}

// DropTrigger drops a trigger of the table or view Table; Trigger holds
// it for the inverse. Dropping a table or view drops its triggers with
// it, without this op.
type DropTrigger struct {
	Table   string
	Trigger *schema.Trigger
}

func (CreateExtension) op() {}
func (DropExtension) op()   {}
func (CreateFunction) op()  {}
func (DropFunction) op()    {}
func (ReplaceFunction) op() {}
func (CreateTrigger) op()   {}
func (DropTrigger) op()     {}

// Inverse returns DropExtension.
func (o CreateExtension) Inverse() (Op, error) { return DropExtension(o), nil }

// Inverse returns CreateExtension.
func (o DropExtension) Inverse() (Op, error) { return CreateExtension(o), nil }

// Inverse returns DropFunction.
func (o CreateFunction) Inverse() (Op, error) { return DropFunction(o), nil }

// Inverse returns CreateFunction.
func (o DropFunction) Inverse() (Op, error) { return CreateFunction(o), nil }

// Inverse swaps From and To.
func (o ReplaceFunction) Inverse() (Op, error) { return ReplaceFunction{From: o.To, To: o.From}, nil }

// Inverse returns DropTrigger.
func (o CreateTrigger) Inverse() (Op, error) { return DropTrigger(o), nil }

// Inverse returns CreateTrigger.
func (o DropTrigger) Inverse() (Op, error) { return CreateTrigger(o), nil }

func (o CreateExtension) String() string {
	return fmt.Sprintf("create extension %q", extensionName(o.Extension))
}
func (o DropExtension) String() string {
	return fmt.Sprintf("drop extension %q", extensionName(o.Extension))
}
func (o CreateFunction) String() string  { return "create " + functionName(o.Function) }
func (o DropFunction) String() string    { return "drop " + functionName(o.Function) }
func (o ReplaceFunction) String() string { return "replace " + functionName(o.To) }
func (o CreateTrigger) String() string {
	return fmt.Sprintf("create trigger %q on %q", triggerName(o.Trigger), o.Table)
}
func (o DropTrigger) String() string {
	return fmt.Sprintf("drop trigger %q on %q", triggerName(o.Trigger), o.Table)
}

// The names of the objects the ops carry, for String: an op missing its
// object still describes itself (in the error that says it is missing).
func functionName(f *schema.Function) string {
	if f == nil {
		return "function"
	}
	return fmt.Sprintf("%s %q(%s)", f.Kind, f.Name, f.Args)
}

func extensionName(e *schema.Extension) string {
	if e == nil {
		return ""
	}
	return e.Name
}

func triggerName(t *schema.Trigger) string {
	if t == nil {
		return ""
	}
	return t.Name
}

// Apply adds the extension.
func (o CreateExtension) Apply(s *schema.Schema) error {
	if o.Extension == nil {
		return fmt.Errorf("op: create extension: no extension")
	}
	if _, ok := s.Extension(o.Extension.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	s.Extensions = append(s.Extensions, &schema.Extension{Name: o.Extension.Name})
	return nil
}

// Apply removes the extension.
func (o DropExtension) Apply(s *schema.Schema) error {
	if o.Extension == nil {
		return fmt.Errorf("op: drop extension: no extension")
	}
	if _, ok := s.Extension(o.Extension.Name); !ok {
		return fmt.Errorf("op: %s: no such extension", o)
	}
	s.Extensions = slices.DeleteFunc(s.Extensions, func(e *schema.Extension) bool { return e.Name == o.Extension.Name })
	return nil
}

// Apply adds the function.
func (o CreateFunction) Apply(s *schema.Schema) error {
	if o.Function == nil {
		return fmt.Errorf("op: create function: no function")
	}
	if _, ok := s.Function(o.Function.Key()); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	f := *o.Function
	s.Functions = append(s.Functions, &f)
	return nil
}

// Apply removes the function.
func (o DropFunction) Apply(s *schema.Schema) error {
	if o.Function == nil {
		return fmt.Errorf("op: drop function: no function")
	}
	key := o.Function.Key()
	if _, ok := s.Function(key); !ok {
		return fmt.Errorf("op: %s: no such function", o)
	}
	s.Functions = slices.DeleteFunc(s.Functions, func(f *schema.Function) bool { return f.Key() == key })
	return nil
}

// Apply sets the new definition.
func (o ReplaceFunction) Apply(s *schema.Schema) error {
	if o.From == nil || o.To == nil {
		return fmt.Errorf("op: replace function: needs both From and To")
	}
	if why := schema.NotReplaceable(o.From, o.To); why != "" {
		return fmt.Errorf("op: %s: %s, which cannot be done in place", o, why)
	}
	f, ok := s.Function(o.From.Key())
	if !ok {
		return fmt.Errorf("op: %s: no such function", o)
	}
	*f = *o.To
	return nil
}

// Apply adds the trigger to its table or view.
func (o CreateTrigger) Apply(s *schema.Schema) error {
	if o.Trigger == nil {
		return fmt.Errorf("op: create trigger on %q: no trigger", o.Table)
	}
	ts, ok := s.Triggers(o.Table)
	if !ok {
		return fmt.Errorf("op: %s: no table or view %q", o, o.Table)
	}
	if slices.ContainsFunc(*ts, func(t *schema.Trigger) bool { return t.Name == o.Trigger.Name }) {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	tr := *o.Trigger
	*ts = append(*ts, &tr)
	return nil
}

// Apply removes the trigger from its table or view.
func (o DropTrigger) Apply(s *schema.Schema) error {
	if o.Trigger == nil {
		return fmt.Errorf("op: drop trigger on %q: no trigger", o.Table)
	}
	ts, ok := s.Triggers(o.Table)
	if !ok {
		return fmt.Errorf("op: %s: no table or view %q", o, o.Table)
	}
	n := len(*ts)
	*ts = slices.DeleteFunc(*ts, func(t *schema.Trigger) bool { return t.Name == o.Trigger.Name })
	if len(*ts) == n {
		return fmt.Errorf("op: %s: no such trigger", o)
	}
	return nil
}
