package schema

import (
	"slices"
	"strings"
)

// Schema is one database schema: its tables, in name order once normalized.
type Schema struct {
	// Name is the schema's name where the database has schemas
	// (PostgreSQL); empty elsewhere.
	Name   string
	Tables []*Table
}

// Table returns the table called name.
func (s *Schema) Table(name string) (*Table, bool) {
	for _, t := range s.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of s, so that callers can change it freely.
func (s *Schema) Clone() *Schema {
	if s == nil {
		return nil
	}
	return &Schema{Name: s.Name, Tables: cloneEach(s.Tables, (*Table).Clone)}
}

// Table is a table with its columns and constraints.
type Table struct {
	Name        string
	Columns     []*Column
	PrimaryKey  *PrimaryKey
	Indexes     []*Index
	ForeignKeys []*ForeignKey
	Comment     string
}

// Column returns the column called name.
func (t *Table) Column(name string) (*Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// ColumnIndex returns the position of the column called name, or -1.
func (t *Table) ColumnIndex(name string) int {
	return slices.IndexFunc(t.Columns, func(c *Column) bool { return c.Name == name })
}

// Index returns the index called name.
func (t *Table) Index(name string) (*Index, bool) {
	for _, ix := range t.Indexes {
		if ix.Name == name {
			return ix, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of t. Nil slices stay nil, so that a clone
// is reflect.DeepEqual to t.
func (t *Table) Clone() *Table {
	if t == nil {
		return nil
	}
	c := *t
	c.Columns = cloneEach(t.Columns, (*Column).Clone)
	if t.PrimaryKey != nil {
		pk := *t.PrimaryKey
		pk.Columns = slices.Clone(pk.Columns)
		c.PrimaryKey = &pk
	}
	c.Indexes = cloneEach(t.Indexes, func(ix *Index) *Index {
		cp := *ix
		cp.Columns = slices.Clone(ix.Columns)
		return &cp
	})
	c.ForeignKeys = cloneEach(t.ForeignKeys, func(fk *ForeignKey) *ForeignKey {
		cp := *fk
		cp.Columns = slices.Clone(fk.Columns)
		cp.RefColumns = slices.Clone(fk.RefColumns)
		return &cp
	})
	return &c
}

// cloneEach returns a new slice of clone(e) for each element e of s, nil
// when s is nil.
func cloneEach[E any](s []E, clone func(E) E) []E {
	if s == nil {
		return nil
	}
	out := make([]E, len(s))
	for i, e := range s {
		out[i] = clone(e)
	}
	return out
}

// Column is one column of a table.
type Column struct {
	Name     string
	Type     Type
	Nullable bool
	// Default is the column's default, or nil for none.
	Default Default
	// AutoIncrement marks a column whose value the database assigns:
	// identity or serial on PostgreSQL, AUTO_INCREMENT on MySQL, the rowid
	// alias on SQLite.
	AutoIncrement bool
	Comment       string
}

// Clone returns a copy of c.
func (c *Column) Clone() *Column {
	if c == nil {
		return nil
	}
	cp := *c
	return &cp
}

// PrimaryKey is a table's primary key.
type PrimaryKey struct {
	// Name is the constraint name where the database keeps one.
	Name    string
	Columns []string
}

// Index is an index, unique or not.
type Index struct {
	Name    string
	Columns []string
	Unique  bool
}

// ForeignKey is a foreign key constraint.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	// OnDelete and OnUpdate hold the referential action in upper case
	// ("CASCADE", "SET NULL"...), empty for the default NO ACTION.
	OnDelete string
	OnUpdate string
}

// Normalize puts s in canonical order, so that two schemas holding the
// same objects compare equal with Equal.
func (s *Schema) Normalize() {
	slices.SortFunc(s.Tables, func(a, b *Table) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range s.Tables {
		slices.SortFunc(t.Indexes, func(a, b *Index) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.ForeignKeys, func(a, b *ForeignKey) int { return strings.Compare(a.Name, b.Name) })
		for _, fk := range t.ForeignKeys {
			if fk.OnDelete == "NO ACTION" {
				fk.OnDelete = ""
			}
			if fk.OnUpdate == "NO ACTION" {
				fk.OnUpdate = ""
			}
		}
	}
}
