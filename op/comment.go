package op

import (
	"fmt"

	"github.com/strata-go/strata/schema"
)

// The kinds of object SetComment comments on.
const (
	// CommentIndex is an index made by CREATE INDEX.
	CommentIndex = "index"
	// CommentConstraint is a primary key, UNIQUE, check or foreign key
	// constraint of a table.
	CommentConstraint = "constraint"
	// CommentType is a named enum type.
	CommentType = "type"
	// CommentView is a view.
	CommentView = "view"
	// CommentFunction is a function or procedure, Name its Key.
	CommentFunction = "function"
)

// SetComment changes the comment of an index, a constraint, an enum type,
// a view or a function in place (PostgreSQL), from From to To; an empty
// comment is none.
// Tables and columns change theirs with AlterTable and AlterColumn.
type SetComment struct {
	// Kind is CommentIndex, CommentConstraint, CommentType, CommentView
	// or CommentFunction.
	Kind string
	// Table holds the index or constraint; empty for a type.
	Table    string
	Name     string
	From, To string
}

func (SetComment) op() {}

// Inverse swaps From and To.
func (o SetComment) Inverse() (Op, error) {
	o.From, o.To = o.To, o.From
	return o, nil
}

func (o SetComment) String() string {
	if o.Table != "" {
		return fmt.Sprintf("comment on %s %q on %q", o.Kind, o.Name, o.Table)
	}
	return fmt.Sprintf("comment on %s %q", o.Kind, o.Name)
}

// Apply sets the comment of the object.
func (o SetComment) Apply(s *schema.Schema) error {
	switch o.Kind {
	case CommentType:
		e, ok := s.Enum(o.Name)
		if !ok {
			return fmt.Errorf("op: %s: no such type", o)
		}
		e.Comment = o.To
		return nil
	case CommentView:
		v, ok := s.View(o.Name)
		if !ok {
			return fmt.Errorf("op: %s: no such view", o)
		}
		v.Comment = o.To
		return nil
	case CommentFunction:
		f, ok := s.Function(o.Name)
		if !ok {
			return fmt.Errorf("op: %s: no such function", o)
		}
		f.Comment = o.To
		return nil
	}
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if ix, ok := t.Index(o.Name); ok {
		ix.Comment = o.To
		return nil
	}
	if o.Kind == CommentConstraint {
		if pk := t.PrimaryKey; pk != nil && pk.Name == o.Name {
			pk.Comment = o.To
			return nil
		}
		if ck, ok := t.Check(o.Name); ok {
			ck.Comment = o.To
			return nil
		}
		if fk, ok := t.ForeignKey(o.Name); ok {
			fk.Comment = o.To
			return nil
		}
	}
	return fmt.Errorf("op: %s: no such %s", o, o.Kind)
}
