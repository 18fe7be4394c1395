package op

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

func table(s *schema.Schema, name string) (*schema.Table, error) {
	t, ok := s.Table(name)
	if !ok {
		return nil, fmt.Errorf("op: table %q does not exist", name)
	}
	return t, nil
}

// Apply adds the table.
func (o CreateTable) Apply(s *schema.Schema) error {
	if _, ok := s.Table(o.Table.Name); ok {
		return fmt.Errorf("op: create table %q: it exists already", o.Table.Name)
	}
	s.Tables = append(s.Tables, o.Table.Clone())
	return nil
}

// Apply removes the table.
func (o DropTable) Apply(s *schema.Schema) error {
	if _, err := table(s, o.Table.Name); err != nil {
		return err
	}
	s.Tables = slices.DeleteFunc(s.Tables, func(t *schema.Table) bool { return t.Name == o.Table.Name })
	return nil
}

// Apply puts the column at its Position.
func (o AddColumn) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if _, ok := t.Column(o.Column.Name); ok {
		return fmt.Errorf("op: add column %q.%q: it exists already", o.Table, o.Column.Name)
	}
	if err := insertColumn(t, o.Column.Clone(), o.Position); err != nil {
		return fmt.Errorf("op: %s: %w", o, err)
	}
	return nil
}

// Apply removes the column and the indexes that use it.
func (o DropColumn) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	i := t.ColumnIndex(o.Column.Name)
	if i < 0 {
		return fmt.Errorf("op: drop column %q.%q: no such column", o.Table, o.Column.Name)
	}
	t.Columns = slices.Delete(t.Columns, i, i+1)
	// As the databases do, indexes and keys on the column go with it.
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix *schema.Index) bool {
		return ix.HasColumn(o.Column.Name)
	})
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool {
		return slices.Contains(fk.Columns, o.Column.Name)
	})
	if t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, o.Column.Name) {
		t.PrimaryKey = nil
	}
	// Checks over the column go too (PostgreSQL and MySQL drop them; the
	// SQLite rebuild leaves them out).
	t.Checks = slices.DeleteFunc(t.Checks, func(c *schema.Check) bool { return schema.Mentions(c.Expr, o.Column.Name) })
	return nil
}

// Apply replaces the column's definition.
func (o AlterColumn) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	i := t.ColumnIndex(o.From.Name)
	if i < 0 {
		return fmt.Errorf("op: alter column %q.%q: no such column", o.Table, o.From.Name)
	}
	t.Columns[i] = o.To.Clone()
	if from, to := o.From.Name, o.To.Name; from != to {
		rename := func(names []string) {
			for j, n := range names {
				if n == from {
					names[j] = to
				}
			}
		}
		if t.PrimaryKey != nil {
			rename(t.PrimaryKey.Columns)
		}
		for _, ix := range t.Indexes {
			for j := range ix.Parts {
				if ix.Parts[j].Column == from {
					ix.Parts[j].Column = to
				}
			}
		}
		for _, fk := range t.ForeignKeys {
			rename(fk.Columns)
		}
		// The databases rewrite the checks that name the column (MySQL and
		// MariaDB, PostgreSQL, SQLite's RENAME COLUMN); the model follows,
		// so that a check is not dropped and added again under the new name,
		// which the inverse could not undo in order.
		for _, ck := range t.Checks {
			ck.Expr = schema.RenameIdent(ck.Expr, from, to)
		}
		// The model renames the column in the table's triggers, as PostgreSQL and
		// SQLite do themselves (the MySQL renderer re-creates those triggers).
		for _, tr := range t.Triggers {
			tr.Def = schema.RenameTriggerColumn(tr.Def, from, to)
		}
		for _, other := range s.Tables {
			for _, fk := range other.ForeignKeys {
				if fk.RefTable == t.Name {
					rename(fk.RefColumns)
				}
			}
		}
	}
	return nil
}

// Apply adds the index.
func (o CreateIndex) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if _, ok := t.Index(o.Index.Name); ok {
		return fmt.Errorf("op: create index %q: it exists already", o.Index.Name)
	}
	t.Indexes = append(t.Indexes, o.Index.Clone())
	return nil
}

// Apply removes the index.
func (o DropIndex) Apply(s *schema.Schema) error {
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if _, ok := t.Index(o.Index.Name); !ok {
		return fmt.Errorf("op: drop index %q: no such index on %q", o.Index.Name, o.Table)
	}
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix *schema.Index) bool { return ix.Name == o.Index.Name })
	return nil
}

// Apply changes nothing it can see: raw SQL is opaque.
func (o Execute) Apply(*schema.Schema) error { return nil }
