package op

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/schema"
)

// RenameTable renames a table.
type RenameTable struct{ From, To string }

// AlterTable changes a table's own attributes: its comment and MySQL's
// engine, charset and collation.
type AlterTable struct {
	Table    string
	From, To schema.TableAttrs
}

// AddForeignKey adds a foreign key to an existing table.
type AddForeignKey struct {
	Table      string
	ForeignKey *schema.ForeignKey
}

// DropForeignKey drops a foreign key; ForeignKey holds it for the inverse.
type DropForeignKey struct {
	Table      string
	ForeignKey *schema.ForeignKey
}

// AddCheck adds a check constraint.
type AddCheck struct {
	Table string
	Check *schema.Check
}

// DropCheck drops a check constraint; Check holds it for the inverse.
type DropCheck struct {
	Table string
	Check *schema.Check
}

// DropConstraint drops a constraint known only by name, as hand-written
// migrations say it. Renderers look the name up in the current schema to
// know its kind; it has no inverse.
type DropConstraint struct {
	Table, Name string
}

// CreateEnum creates a named enum type (PostgreSQL).
type CreateEnum struct{ Enum *schema.Enum }

// DropEnum drops a named enum type; Enum holds it for the inverse.
type DropEnum struct{ Enum *schema.Enum }

// AddEnumValue adds a value to a named enum type, after the value After
// or, when After is empty, at the end. PostgreSQL cannot take a value out
// again, so it has no inverse.
type AddEnumValue struct {
	Enum, Value, After string
	// Before holds the values before the op, when known, so that the
	// inverse can put them back (ReplaceEnum).
	Before []string
}

// ReplaceEnum gives a named enum type the values To, in order, replacing
// From: for removing, renaming or reordering values, which PostgreSQL
// cannot do in place (the type is made again and its columns cast to it).
type ReplaceEnum struct {
	Enum     string
	From, To []string
}

func (ReplaceEnum) op() {}

// Inverse swaps From and To.
func (o ReplaceEnum) Inverse() (Op, error) {
	return ReplaceEnum{Enum: o.Enum, From: o.To, To: o.From}, nil
}

func (o ReplaceEnum) String() string {
	return fmt.Sprintf("replace the values of enum %q with %q", o.Enum, o.To)
}

// Apply sets the values.
func (o ReplaceEnum) Apply(s *schema.Schema) error {
	e, ok := s.Enum(o.Enum)
	if !ok {
		return fmt.Errorf("op: %s: no such enum", o)
	}
	e.Values = slices.Clone(o.To)
	return nil
}

// CreateView creates a view.
type CreateView struct{ View *schema.View }

// DropView drops a view; View holds it for the inverse.
type DropView struct{ View *schema.View }

// BulkInsert inserts rows, each a value per column. Values are Go values
// (nil, bool, integers, floats, string, []byte, time.Time) that renderers
// write as literals. It has no inverse.
type BulkInsert struct {
	Table   string
	Columns []string
	Rows    [][]any
}

func (RenameTable) op()    {}
func (AlterTable) op()     {}
func (AddForeignKey) op()  {}
func (DropForeignKey) op() {}
func (AddCheck) op()       {}
func (DropCheck) op()      {}
func (DropConstraint) op() {}
func (CreateEnum) op()     {}
func (DropEnum) op()       {}
func (AddEnumValue) op()   {}
func (CreateView) op()     {}
func (DropView) op()       {}
func (BulkInsert) op()     {}

// Inverse renames back.
func (o RenameTable) Inverse() (Op, error) { return RenameTable{From: o.To, To: o.From}, nil }

// Inverse swaps From and To.
func (o AlterTable) Inverse() (Op, error) {
	return AlterTable{Table: o.Table, From: o.To, To: o.From}, nil
}

// Inverse returns DropForeignKey.
func (o AddForeignKey) Inverse() (Op, error) {
	return DropForeignKey{Table: o.Table, ForeignKey: o.ForeignKey}, nil
}

// Inverse returns AddForeignKey.
func (o DropForeignKey) Inverse() (Op, error) {
	return AddForeignKey{Table: o.Table, ForeignKey: o.ForeignKey}, nil
}

// Inverse returns DropCheck.
func (o AddCheck) Inverse() (Op, error) { return DropCheck{Table: o.Table, Check: o.Check}, nil }

// Inverse returns AddCheck.
func (o DropCheck) Inverse() (Op, error) { return AddCheck{Table: o.Table, Check: o.Check}, nil }

// Inverse fails: the constraint's definition is unknown.
func (o DropConstraint) Inverse() (Op, error) {
	return nil, fmt.Errorf("%w: %s does not know the constraint's definition; write the downgrade by hand", ErrIrreversible, o)
}

// Inverse returns DropEnum.
func (o CreateEnum) Inverse() (Op, error) { return DropEnum{Enum: o.Enum}, nil }

// Inverse returns CreateEnum.
func (o DropEnum) Inverse() (Op, error) { return CreateEnum{Enum: o.Enum}, nil }

// Inverse puts the values before back with ReplaceEnum, when they are
// known; PostgreSQL cannot remove one value in place.
func (o AddEnumValue) Inverse() (Op, error) {
	if o.Before == nil {
		return nil, fmt.Errorf("%w: %s: PostgreSQL cannot remove a value from an enum type", ErrIrreversible, o)
	}
	after := slices.Clone(o.Before)
	at := len(after)
	if i := slices.Index(after, o.After); o.After != "" && i >= 0 {
		at = i + 1
	}
	after = slices.Insert(after, at, o.Value)
	return ReplaceEnum{Enum: o.Enum, From: after, To: slices.Clone(o.Before)}, nil
}

// Inverse returns DropView.
func (o CreateView) Inverse() (Op, error) { return DropView{View: o.View}, nil }

// Inverse returns CreateView.
func (o DropView) Inverse() (Op, error) { return CreateView{View: o.View}, nil }

// Inverse fails: which rows to delete is the migration's business.
func (o BulkInsert) Inverse() (Op, error) {
	return nil, fmt.Errorf("%w: %s; delete the rows in the downgrade by hand", ErrIrreversible, o)
}

func (o RenameTable) String() string { return fmt.Sprintf("rename table %q to %q", o.From, o.To) }
func (o AlterTable) String() string  { return fmt.Sprintf("alter table %q options", o.Table) }
func (o AddForeignKey) String() string {
	return fmt.Sprintf("add foreign key %s on %q", fkName(o.ForeignKey), o.Table)
}
func (o DropForeignKey) String() string {
	return fmt.Sprintf("drop foreign key %s on %q", fkName(o.ForeignKey), o.Table)
}
func (o AddCheck) String() string  { return fmt.Sprintf("add check %q on %q", o.Check.Expr, o.Table) }
func (o DropCheck) String() string { return fmt.Sprintf("drop check %q on %q", o.Check.Expr, o.Table) }
func (o DropConstraint) String() string {
	return fmt.Sprintf("drop constraint %q on %q", o.Name, o.Table)
}
func (o CreateEnum) String() string   { return fmt.Sprintf("create enum %q", o.Enum.Name) }
func (o DropEnum) String() string     { return fmt.Sprintf("drop enum %q", o.Enum.Name) }
func (o AddEnumValue) String() string { return fmt.Sprintf("add value %q to enum %q", o.Value, o.Enum) }
func (o CreateView) String() string {
	return fmt.Sprintf("create %s %q", viewKind(o.View), o.View.Name)
}
func (o DropView) String() string { return fmt.Sprintf("drop %s %q", viewKind(o.View), o.View.Name) }
func (o BulkInsert) String() string {
	return fmt.Sprintf("insert %d row(s) into %q", len(o.Rows), o.Table)
}

func fkName(fk *schema.ForeignKey) string {
	if fk.Name != "" {
		return fmt.Sprintf("%q", fk.Name)
	}
	return schema.FKString(fk)
}

// Apply renames the table and the references to it.
func (o RenameTable) Apply(s *schema.Schema) error {
	t, err := table(s, o.From)
	if err != nil {
		return err
	}
	if _, ok := s.Table(o.To); ok {
		return fmt.Errorf("op: rename table %q to %q: %q exists already", o.From, o.To, o.To)
	}
	t.Name = o.To
	// The triggers go with the table; their definitions name it.
	for _, tr := range t.Triggers {
		tr.Def = schema.RenameTriggerTable(tr.Def, o.From, o.To)
	}
	for _, other := range s.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == o.From {
				fk.RefTable = o.To
			}
		}
	}
	return nil
}

// Apply sets the attributes.
func (o AlterTable) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	t.SetAttrs(o.To)
	return nil
}

// Apply adds the foreign key.
func (o AddForeignKey) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	cp := *o.ForeignKey
	cp.Columns, cp.RefColumns = slices.Clone(cp.Columns), slices.Clone(cp.RefColumns)
	t.ForeignKeys = append(t.ForeignKeys, &cp)
	return nil
}

// Apply removes the foreign key, found by name, else by content.
func (o DropForeignKey) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	n := len(t.ForeignKeys)
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool {
		if o.ForeignKey.Name != "" && fk.Name != "" {
			return fk.Name == o.ForeignKey.Name
		}
		return schema.FKString(fk) == schema.FKString(o.ForeignKey)
	})
	if len(t.ForeignKeys) == n {
		return fmt.Errorf("op: %s: no such foreign key", o)
	}
	return nil
}

// Apply adds the check.
func (o AddCheck) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	cp := *o.Check
	t.Checks = append(t.Checks, &cp)
	return nil
}

// Apply removes the check, found by name, else by expression.
func (o DropCheck) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	n := len(t.Checks)
	t.Checks = slices.DeleteFunc(t.Checks, func(c *schema.Check) bool {
		if o.Check.Name != "" && c.Name != "" {
			return c.Name == o.Check.Name
		}
		return c.Expr == o.Check.Expr
	})
	if len(t.Checks) == n {
		return fmt.Errorf("op: %s: no such check", o)
	}
	return nil
}

// Apply removes whatever constraint or index carries the name.
func (o DropConstraint) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	switch {
	case t.PrimaryKey != nil && t.PrimaryKey.Name == o.Name:
		t.PrimaryKey = nil
	case slices.ContainsFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return fk.Name == o.Name }):
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return fk.Name == o.Name })
	case slices.ContainsFunc(t.Checks, func(c *schema.Check) bool { return c.Name == o.Name }):
		t.Checks = slices.DeleteFunc(t.Checks, func(c *schema.Check) bool { return c.Name == o.Name })
	case slices.ContainsFunc(t.Indexes, func(ix *schema.Index) bool { return ix.Name == o.Name }):
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix *schema.Index) bool { return ix.Name == o.Name })
	default:
		return fmt.Errorf("op: %s: no constraint or index of that name", o)
	}
	return nil
}

// Apply adds the enum type.
func (o CreateEnum) Apply(s *schema.Schema) error {
	if _, ok := s.Enum(o.Enum.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	s.Enums = append(s.Enums, &schema.Enum{Name: o.Enum.Name, Values: slices.Clone(o.Enum.Values)})
	return nil
}

// Apply removes the enum type.
func (o DropEnum) Apply(s *schema.Schema) error {
	if _, ok := s.Enum(o.Enum.Name); !ok {
		return fmt.Errorf("op: %s: no such enum", o)
	}
	s.Enums = slices.DeleteFunc(s.Enums, func(e *schema.Enum) bool { return e.Name == o.Enum.Name })
	return nil
}

// Apply inserts the value.
func (o AddEnumValue) Apply(s *schema.Schema) error {
	e, ok := s.Enum(o.Enum)
	if !ok {
		return fmt.Errorf("op: %s: no such enum", o)
	}
	if slices.Contains(e.Values, o.Value) {
		return fmt.Errorf("op: %s: the enum has it already", o)
	}
	at := len(e.Values)
	if o.After != "" {
		i := slices.Index(e.Values, o.After)
		if i < 0 {
			return fmt.Errorf("op: %s: no value %q to put it after", o, o.After)
		}
		at = i + 1
	}
	e.Values = slices.Insert(e.Values, at, o.Value)
	return nil
}

// Apply adds the view.
func (o CreateView) Apply(s *schema.Schema) error {
	if _, ok := s.View(o.View.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	s.Views = append(s.Views, o.View.Clone())
	return nil
}

// Apply removes the view.
func (o DropView) Apply(s *schema.Schema) error {
	if _, ok := s.View(o.View.Name); !ok {
		return fmt.Errorf("op: %s: no such view", o)
	}
	s.Views = slices.DeleteFunc(s.Views, func(v *schema.View) bool { return v.Name == o.View.Name })
	return nil
}

// Apply changes nothing in the schema: rows are data.
func (o BulkInsert) Apply(s *schema.Schema) error {
	_, err := table(s, o.Table)
	return err
}

// AddPrimaryKey gives a table a primary key; its columns become NOT NULL.
type AddPrimaryKey struct {
	Table      string
	PrimaryKey *schema.PrimaryKey
}

// DropPrimaryKey takes a table's primary key off; PrimaryKey holds it for
// the inverse.
type DropPrimaryKey struct {
	Table      string
	PrimaryKey *schema.PrimaryKey
}

func (AddPrimaryKey) op()  {}
func (DropPrimaryKey) op() {}

// Inverse returns DropPrimaryKey.
func (o AddPrimaryKey) Inverse() (Op, error) {
	return DropPrimaryKey{Table: o.Table, PrimaryKey: o.PrimaryKey}, nil
}

// Inverse returns AddPrimaryKey.
func (o DropPrimaryKey) Inverse() (Op, error) {
	return AddPrimaryKey{Table: o.Table, PrimaryKey: o.PrimaryKey}, nil
}

func (o AddPrimaryKey) String() string {
	return fmt.Sprintf("add primary key (%s) on %q", strings.Join(o.PrimaryKey.Columns, ", "), o.Table)
}

func (o DropPrimaryKey) String() string {
	return fmt.Sprintf("drop primary key (%s) on %q", strings.Join(o.PrimaryKey.Columns, ", "), o.Table)
}

// Apply sets the key and makes its columns NOT NULL, as the databases do.
func (o AddPrimaryKey) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if t.PrimaryKey != nil {
		return fmt.Errorf("op: %s: the table has a primary key already", o)
	}
	t.PrimaryKey = &schema.PrimaryKey{Name: o.PrimaryKey.Name, Columns: slices.Clone(o.PrimaryKey.Columns)}
	for _, name := range o.PrimaryKey.Columns {
		if c, ok := t.Column(name); ok {
			c.Nullable = false
		}
	}
	return nil
}

// Apply removes the key; its columns stay NOT NULL.
func (o DropPrimaryKey) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if t.PrimaryKey == nil {
		return fmt.Errorf("op: %s: the table has no primary key", o)
	}
	t.PrimaryKey = nil
	return nil
}
