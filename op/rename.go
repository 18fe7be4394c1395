package op

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// RenameConstraint renames the constraint or index of Table called From:
// a primary key, a foreign key, a check, a UNIQUE constraint or a plain
// index, looked up by name in that order (as DropConstraint does). Only
// the name changes; renderers write it in the least disruptive form the
// database has (PostgreSQL's RENAME CONSTRAINT and ALTER INDEX … RENAME,
// MySQL's RENAME INDEX, else a drop and an add in one statement, or
// SQLite's table rebuild).
type RenameConstraint struct {
	Table, From, To string
	// Kind says what From is where one name stands for two things (MySQL
	// names a foreign key's index after the key); NoConstraint looks it up
	// in the order above.
	Kind ConstraintKind
}

func (RenameConstraint) op() {}

// Inverse renames back.
func (o RenameConstraint) Inverse() (Op, error) {
	return RenameConstraint{Table: o.Table, From: o.To, To: o.From, Kind: o.Kind}, nil
}

func (o RenameConstraint) String() string {
	return fmt.Sprintf("rename constraint %q of %q to %q", o.From, o.Table, o.To)
}

// Apply renames the constraint or index; the new name must be free among
// the table's.
func (o RenameConstraint) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if o.From == "" || o.To == "" {
		return fmt.Errorf("op: %s: needs both names", o)
	}
	kind := o.KindIn(t)
	// Names are checked within their kind: MySQL names a foreign key's
	// index after the key.
	if o.From != o.To && kindHas(t, kind, o.To) {
		return fmt.Errorf("op: %s: %q exists already", o, o.To)
	}
	switch kind {
	case PrimaryKeyConstraint:
		t.PrimaryKey.Name = o.To
	case ForeignKeyConstraint:
		fk, _ := t.ForeignKey(o.From)
		fk.Name = o.To
	case CheckConstraint:
		ck, _ := t.Check(o.From)
		ck.Name = o.To
	case IndexConstraint:
		ix, _ := t.Index(o.From)
		ix.Name = o.To
	default:
		return fmt.Errorf("op: %s: no constraint or index of that name", o)
	}
	return nil
}

// ConstraintKind is what a name of a table stands for.
type ConstraintKind int

// The kinds a constraint name can stand for.
const (
	NoConstraint ConstraintKind = iota
	PrimaryKeyConstraint
	ForeignKeyConstraint
	CheckConstraint
	// IndexConstraint is an index, UNIQUE constraints included (see
	// schema.Index.Constraint).
	IndexConstraint
)

// ConstraintKindOf says what name stands for in t, looked up in the order
// DropConstraint and RenameConstraint use: primary key, foreign key,
// check, index.
func ConstraintKindOf(t *schema.Table, name string) ConstraintKind {
	switch {
	case name == "":
		return NoConstraint
	case t.PrimaryKey != nil && t.PrimaryKey.Name == name:
		return PrimaryKeyConstraint
	case slices.ContainsFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return fk.Name == name }):
		return ForeignKeyConstraint
	case slices.ContainsFunc(t.Checks, func(c *schema.Check) bool { return c.Name == name }):
		return CheckConstraint
	case slices.ContainsFunc(t.Indexes, func(ix *schema.Index) bool { return ix.Name == name }):
		return IndexConstraint
	}
	return NoConstraint
}

// kindHas reports whether t has a constraint of kind called name; a UNIQUE
// constraint's name is an index's.
func kindHas(t *schema.Table, kind ConstraintKind, name string) bool {
	switch kind {
	case PrimaryKeyConstraint:
		return t.PrimaryKey != nil && t.PrimaryKey.Name == name
	case ForeignKeyConstraint:
		_, ok := t.ForeignKey(name)
		return ok
	case CheckConstraint:
		_, ok := t.Check(name)
		return ok
	case IndexConstraint:
		_, ok := t.Index(name)
		return ok
	}
	return false
}

// KindIn says what From stands for in t: Kind, when t has a constraint of
// that kind called From, else what ConstraintKindOf finds.
func (o RenameConstraint) KindIn(t *schema.Table) ConstraintKind {
	if o.Kind != NoConstraint && kindHas(t, o.Kind, o.From) {
		return o.Kind
	}
	return ConstraintKindOf(t, o.From)
}
