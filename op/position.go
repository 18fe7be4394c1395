package op

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// Position is where a column stands in its table: right after the column
// After, or before every other column when First is set. The zero
// Position is the end of the table, where ALTER TABLE ADD COLUMN puts a
// column on every database.
//
// MySQL places a column where a Position says (AFTER, FIRST); SQLite
// rebuilds the table when the place is not the end; PostgreSQL cannot
// place a column short of rewriting the table, and adds it at the end.
type Position struct {
	After string `json:"after,omitempty"`
	First bool   `json:"first,omitempty"`
}

// IsEnd reports whether p is the zero Position, the end of the table.
func (p Position) IsEnd() bool { return p == Position{} }

// String describes p for people: "first", "after x" or "last".
func (p Position) String() string {
	switch {
	case p.First:
		return "first"
	case p.After != "":
		return fmt.Sprintf("after %q", p.After)
	}
	return "last"
}

// PositionOf returns where the column called name stands in t: first, or
// after the column before it. A column t lacks is at the end.
func PositionOf(t *schema.Table, name string) Position {
	switch i := t.ColumnIndex(name); {
	case i < 0:
		return Position{}
	case i == 0:
		return Position{First: true}
	default:
		return Position{After: t.Columns[i-1].Name}
	}
}

// Index returns the index in t.Columns at which a column placed at p
// goes: 0 for first, one past After, len(t.Columns) for the end.
func (p Position) Index(t *schema.Table) (int, error) {
	switch {
	case p.First:
		return 0, nil
	case p.After != "":
		i := t.ColumnIndex(p.After)
		if i < 0 {
			return 0, fmt.Errorf("no column %q to place a column after", p.After)
		}
		return i + 1, nil
	}
	return len(t.Columns), nil
}

// AtEnd reports whether a column placed at p in t lands after every
// column t has now, so that a plain ADD COLUMN places it.
func (p Position) AtEnd(t *schema.Table) bool {
	i, err := p.Index(t)
	return err == nil && i == len(t.Columns)
}

// MoveColumn moves a column to the place To, from the place From where
// it stands (both as seen with the column in the table). Column is its
// definition, which MySQL restates (MODIFY … AFTER). diff makes it only
// for schemas whose column order counts (schema.Schema.Ordered).
type MoveColumn struct {
	Table    string
	Column   *schema.Column
	From, To Position
}

func (MoveColumn) op() {}

// Inverse moves the column back.
func (o MoveColumn) Inverse() (Op, error) {
	return MoveColumn{Table: o.Table, Column: o.Column, From: o.To, To: o.From}, nil
}

func (o MoveColumn) String() string {
	return fmt.Sprintf("move column %q.%q %s", o.Table, o.Column.Name, o.To)
}

// Apply takes the column out and puts it at To.
func (o MoveColumn) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	i := t.ColumnIndex(o.Column.Name)
	if i < 0 {
		return fmt.Errorf("op: %s: no such column", o)
	}
	c := t.Columns[i]
	t.Columns = slices.Delete(t.Columns, i, i+1)
	if o.To.After == o.Column.Name {
		return fmt.Errorf("op: %s: a column cannot follow itself", o)
	}
	at, err := o.To.Index(t)
	if err != nil {
		return fmt.Errorf("op: %s: %w", o, err)
	}
	t.Columns = slices.Insert(t.Columns, at, c)
	return nil
}

// insertColumn puts c into t at p.
func insertColumn(t *schema.Table, c *schema.Column, p Position) error {
	at, err := p.Index(t)
	if err != nil {
		return err
	}
	t.Columns = slices.Insert(t.Columns, at, c)
	return nil
}
