package op

import (
	"errors"
	"fmt"
	"strings"

	"github.com/strata-go/strata/schema"
)

// ErrIrreversible is returned, wrapped with the op, by Inverse when an op
// has no inverse.
var ErrIrreversible = errors.New("op: irreversible")

// Op is one schema operation. It is sealed: the kinds are the structs of
// this package. Each op carries the state its inverse needs, so that a
// downgrade is derived, not hand-written.
type Op interface {
	// Inverse returns the op that undoes this one, or an error wrapping
	// ErrIrreversible.
	Inverse() (Op, error)
	// Apply changes s as the op changes the database, so that a sequence of
	// ops can be followed without a connection.
	Apply(s *schema.Schema) error
	// String describes the op for people.
	String() string
	op()
}

// CreateTable creates a table with its columns, primary key, indexes and
// foreign keys.
type CreateTable struct{ Table *schema.Table }

// DropTable drops a table; Table holds its whole definition so that the
// inverse can create it again.
type DropTable struct{ Table *schema.Table }

// AddColumn adds a column. When Column is NOT NULL and Backfill is set,
// the column is added nullable, existing rows get Backfill, and then the
// column is made NOT NULL, so tables holding rows keep them.
type AddColumn struct {
	Table    string
	Column   *schema.Column
	Backfill schema.Default
	// Position is where the column goes; the zero Position is the end.
	Position Position
}

// DropColumn drops a column; Column holds its definition, and Position
// where it stood, for the inverse.
type DropColumn struct {
	Table    string
	Column   *schema.Column
	Position Position
}

// AlterColumn changes a column's type, nullability or default, from From
// to To (same name). When To is NOT NULL, From is nullable and Backfill is
// set, rows holding NULL get Backfill first.
type AlterColumn struct {
	Table    string
	From, To *schema.Column
	Backfill schema.Default
}

// CreateIndex creates an index on Table.
type CreateIndex struct {
	Table string
	Index *schema.Index
}

// DropIndex drops an index; Index holds its definition for the inverse.
type DropIndex struct {
	Table string
	Index *schema.Index
}

// Execute runs SQL as written. Dialect, when set, limits it to one dialect
// by name ("sqlite", "postgres", "mysql"). Down, when set, is its inverse.
type Execute struct {
	SQL     string
	Dialect string
	Down    string
}

func (CreateTable) op() {}
func (DropTable) op()   {}
func (AddColumn) op()   {}
func (DropColumn) op()  {}
func (AlterColumn) op() {}
func (CreateIndex) op() {}
func (DropIndex) op()   {}
func (Execute) op()     {}

// Inverse returns DropTable.
func (o CreateTable) Inverse() (Op, error) { return DropTable{Table: o.Table}, nil }

// Inverse returns CreateTable.
func (o DropTable) Inverse() (Op, error) { return CreateTable{Table: o.Table}, nil }

// Inverse returns DropColumn.
func (o AddColumn) Inverse() (Op, error) {
	return DropColumn{Table: o.Table, Column: o.Column, Position: o.Position}, nil
}

// Inverse returns AddColumn, at the place the column stood. A NOT NULL column is backfilled with its
// default, else its type's zero value, since the table may hold rows.
func (o DropColumn) Inverse() (Op, error) {
	add := AddColumn{Table: o.Table, Column: o.Column, Position: o.Position}
	if !o.Column.Nullable && !o.Column.AutoIncrement {
		add.Backfill = BackfillValue(o.Column)
	}
	return add, nil
}

// Inverse swaps From and To. Backfilled values are kept on the way back;
// a column made nullable is made NOT NULL again with a backfill, as rows
// written meanwhile may hold NULL.
func (o AlterColumn) Inverse() (Op, error) {
	inv := AlterColumn{Table: o.Table, From: o.To, To: o.From}
	if o.To.Nullable && !o.From.Nullable {
		inv.Backfill = BackfillValue(o.From)
	}
	return inv, nil
}

// BackfillValue is what existing rows get when column c is added or made
// NOT NULL: its default, else its type's zero value.
func BackfillValue(c *schema.Column) schema.Default {
	if c.Default != nil {
		return c.Default
	}
	return schema.ZeroValue(c.Type)
}

// Inverse returns DropIndex.
func (o CreateIndex) Inverse() (Op, error) { return DropIndex{Table: o.Table, Index: o.Index}, nil }

// Inverse returns CreateIndex.
func (o DropIndex) Inverse() (Op, error) { return CreateIndex{Table: o.Table, Index: o.Index}, nil }

// Inverse returns an Execute of Down, or ErrIrreversible when Down is empty.
func (o Execute) Inverse() (Op, error) {
	if o.Down == "" {
		return nil, fmt.Errorf("%w: %s has no down SQL", ErrIrreversible, o)
	}
	return Execute{SQL: o.Down, Dialect: o.Dialect, Down: o.SQL}, nil
}

func (o CreateTable) String() string { return fmt.Sprintf("create table %q", o.Table.Name) }
func (o DropTable) String() string   { return fmt.Sprintf("drop table %q", o.Table.Name) }
func (o AddColumn) String() string {
	if o.Position.IsEnd() {
		return fmt.Sprintf("add column %q.%q", o.Table, o.Column.Name)
	}
	return fmt.Sprintf("add column %q.%q %s", o.Table, o.Column.Name, o.Position)
}
func (o DropColumn) String() string {
	return fmt.Sprintf("drop column %q.%q", o.Table, o.Column.Name)
}
func (o AlterColumn) String() string {
	if o.From.Name != o.To.Name {
		s := fmt.Sprintf("rename column %q.%q to %q", o.Table, o.From.Name, o.To.Name)
		if d := schema.ColumnDifference(o.From, o.To); d != "" {
			s += " (" + d + ")"
		}
		return s
	}
	return fmt.Sprintf("alter column %q.%q (%s)", o.Table, o.To.Name, schema.ColumnDifference(o.From, o.To))
}
func (o CreateIndex) String() string {
	return fmt.Sprintf("create index %q on %q", o.Index.Name, o.Table)
}
func (o DropIndex) String() string {
	return fmt.Sprintf("drop index %q on %q", o.Index.Name, o.Table)
}
func (o Execute) String() string {
	sql := strings.Join(strings.Fields(o.SQL), " ")
	if len(sql) > 60 {
		sql = sql[:57] + "..."
	}
	return fmt.Sprintf("execute %q", sql)
}
