package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Sequence is a sequence that stands alone: one no identity or serial
// column owns (those are the column's, see Column.Identity). The zero
// value of a number means the database's default for it.
type Sequence struct {
	Name string `json:"name"`
	// Type is the sequence's data type, as format_type prints it:
	// smallint, integer or bigint (the default).
	Type      string `json:"type,omitempty"`
	Start     int64  `json:"start,omitempty"`
	Increment int64  `json:"increment,omitempty"`
	Min       int64  `json:"min,omitempty"`
	Max       int64  `json:"max,omitempty"`
	Cache     int64  `json:"cache,omitempty"`
	Cycle     bool   `json:"cycle,omitempty"`
}

// Domain is a domain: a base type with a default, NOT NULL and checks
// (PostgreSQL's CREATE DOMAIN).
type Domain struct {
	Name string `json:"name"`
	// Type is the base type, as format_type prints it (another domain's
	// name for a domain over a domain).
	Type string `json:"type"`
	// Collation is set where it is not the base type's.
	Collation string `json:"collation,omitempty"`
	// Default is the default expression as the database prints it, ""
	// for none.
	Default string `json:"default,omitempty"`
	NotNull bool   `json:"not_null,omitempty"`
	// Checks are the domain's constraints by name, each Expr the whole
	// definition as the database prints it ("CHECK (VALUE > 0)").
	Checks []*Check `json:"checks,omitempty"`
}

// CompositeType is a composite type (PostgreSQL's CREATE TYPE … AS (…)):
// its attributes in order.
type CompositeType struct {
	Name       string      `json:"name"`
	Attributes []Attribute `json:"attributes"`
}

// Attribute is one attribute of a composite type.
type Attribute struct {
	Name string `json:"name"`
	// Type is the attribute's type, as format_type prints it.
	Type string `json:"type"`
	// Collation is set where it is not the type's default.
	Collation string `json:"collation,omitempty"`
}

// ViewIndex is an index of a materialized view, kept whole as the
// database prints it (pg_get_indexdef, the view's name unqualified).
type ViewIndex struct {
	Name string `json:"name"`
	Def  string `json:"def"`
}

// Sequence returns the sequence called name.
func (s *Schema) Sequence(name string) (*Sequence, bool) {
	return find(s.Sequences, name, (*Sequence).name)
}

// Domain returns the domain called name.
func (s *Schema) Domain(name string) (*Domain, bool) { return find(s.Domains, name, (*Domain).name) }

// CompositeType returns the composite type called name.
func (s *Schema) CompositeType(name string) (*CompositeType, bool) {
	return find(s.CompositeTypes, name, (*CompositeType).name)
}

func (q *Sequence) name() string      { return q.Name }
func (d *Domain) name() string        { return d.Name }
func (c *CompositeType) name() string { return c.Name }

func find[T any](items []*T, name string, nameOf func(*T) string) (*T, bool) {
	for _, it := range items {
		if nameOf(it) == name {
			return it, true
		}
	}
	return nil, false
}

// Clone returns a deep copy of d.
func (d *Domain) Clone() *Domain {
	cp := *d
	cp.Checks = cloneEach(d.Checks, func(c *Check) *Check { x := *c; return &x })
	return &cp
}

// Equal reports whether d and o are the same domain.
func (d *Domain) Equal(o *Domain) bool {
	return d.Name == o.Name && d.Type == o.Type && d.Collation == o.Collation && d.Default == o.Default &&
		d.NotNull == o.NotNull && slices.EqualFunc(d.Checks, o.Checks, func(a, b *Check) bool { return *a == *b })
}

// Clone returns a deep copy of c.
func (c *CompositeType) Clone() *CompositeType {
	cp := *c
	cp.Attributes = slices.Clone(c.Attributes)
	return &cp
}

// Equal reports whether c and o are the same composite type.
func (c *CompositeType) Equal(o *CompositeType) bool {
	return c.Name == o.Name && slices.Equal(c.Attributes, o.Attributes)
}

// normalizePG sorts the PostgreSQL objects of s by name, and each
// domain's checks and each materialized view's indexes.
func (s *Schema) normalizePG() {
	slices.SortFunc(s.Sequences, func(a, b *Sequence) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Domains, func(a, b *Domain) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.CompositeTypes, func(a, b *CompositeType) int { return strings.Compare(a.Name, b.Name) })
	for _, d := range s.Domains {
		slices.SortFunc(d.Checks, func(a, b *Check) int { return strings.Compare(a.Name, b.Name) })
	}
	for _, v := range s.Views {
		slices.SortFunc(v.Indexes, func(a, b *ViewIndex) int { return strings.Compare(a.Name, b.Name) })
	}
}

// clonePG copies the PostgreSQL objects of s into cp.
func (s *Schema) clonePG(cp *Schema) {
	cp.Sequences = cloneEach(s.Sequences, func(q *Sequence) *Sequence { x := *q; return &x })
	cp.Domains = cloneEach(s.Domains, (*Domain).Clone)
	cp.CompositeTypes = cloneEach(s.CompositeTypes, (*CompositeType).Clone)
}

// SameView reports whether a and b are the same view apart from their
// triggers: definition, materialized or not, and a materialized view's
// indexes.
func SameView(a, b *View) bool {
	return a.Def == b.Def && a.Materialized == b.Materialized && a.NoData == b.NoData &&
		slices.EqualFunc(a.Indexes, b.Indexes, func(x, y *ViewIndex) bool { return *x == *y })
}

// pgDifferences describes how b's sequences, domains and composite types
// differ from a's.
func pgDifferences(a, b *Schema) []string {
	seqName := func(x *Sequence) string { return x.Name }
	out := namedDifferences("sequence", a.Sequences, b.Sequences, seqName, func(x, y *Sequence) string {
		if *x == *y {
			return ""
		}
		return fmt.Sprintf("%+v, want %+v", *x, *y)
	})
	domName := func(x *Domain) string { return x.Name }
	out = append(out, namedDifferences("domain", a.Domains, b.Domains, domName, func(x, y *Domain) string {
		if x.Equal(y) {
			return ""
		}
		return "definition differs"
	})...)
	ctName := func(x *CompositeType) string { return x.Name }
	return append(out, namedDifferences("composite type", a.CompositeTypes, b.CompositeTypes, ctName, func(x, y *CompositeType) string {
		if x.Equal(y) {
			return ""
		}
		return fmt.Sprintf("attributes %v, want %v", x.Attributes, y.Attributes)
	})...)
}

// namedDifferences describes how the objects of b, matched to those of a
// by name, differ: `WHAT "name" removed`, `WHAT "name": HOW` where
// differ says how (empty when they are the same), `WHAT "name" added`.
func namedDifferences[T any](what string, a, b []*T, name func(*T) string, differ func(x, y *T) string) []string {
	var out []string
	for _, x := range a {
		y, ok := find(b, name(x), name)
		if !ok {
			out = append(out, fmt.Sprintf("%s %q removed", what, name(x)))
		} else if how := differ(x, y); how != "" {
			out = append(out, fmt.Sprintf("%s %q: %s", what, name(x), how))
		}
	}
	for _, y := range b {
		if _, ok := find(a, name(y), name); !ok {
			out = append(out, fmt.Sprintf("%s %q added", what, name(y)))
		}
	}
	return out
}

// Exclusion is a table's exclusion constraint (PostgreSQL's EXCLUDE),
// kept whole as the database prints it: Def is pg_get_constraintdef's
// "EXCLUDE USING gist (room WITH =, during WITH &&)".
type Exclusion struct {
	Name string `json:"name"`
	Def  string `json:"def"`
}

// Exclusion returns the exclusion constraint of t called name.
func (t *Table) Exclusion(name string) (*Exclusion, bool) {
	return find(t.Exclusions, name, (*Exclusion).name)
}

func (x *Exclusion) name() string { return x.Name }

// exclusionDifferences describes how b's exclusion constraints differ
// from a's.
func exclusionDifferences(a, b *Table) []string {
	return namedDifferences(fmt.Sprintf("table %q: exclusion constraint", a.Name), a.Exclusions, b.Exclusions, (*Exclusion).name, func(x, y *Exclusion) string {
		if *x == *y {
			return ""
		}
		return fmt.Sprintf("%q, want %q", x.Def, y.Def)
	})
}

// Partition is a partition of a partitioned table (PostgreSQL): a table
// that takes its columns from the parent, and its bound.
type Partition struct {
	Name string `json:"name"`
	// Bound is the partition's bound as pg_get_expr prints it: "FOR
	// VALUES FROM ('2024-01-01') TO ('2024-02-01')", "DEFAULT".
	Bound string `json:"bound"`
}

// PartitionNamed returns the partition of t called name.
func (t *Table) PartitionNamed(name string) (*Partition, bool) {
	return find(t.Partitions, name, (*Partition).name)
}

func (p *Partition) name() string { return p.Name }

// partitionDifferences describes how b's partition key and partitions
// differ from a's.
func partitionDifferences(a, b *Table) []string {
	var out []string
	if a.PartitionBy != b.PartitionBy {
		out = append(out, fmt.Sprintf("table %q: partitioned by %q, want %q", a.Name, a.PartitionBy, b.PartitionBy))
	}
	return append(out, namedDifferences(fmt.Sprintf("table %q: partition", a.Name), a.Partitions, b.Partitions, (*Partition).name, func(x, y *Partition) string {
		if *x == *y {
			return ""
		}
		return fmt.Sprintf("%q, want %q", x.Bound, y.Bound)
	})...)
}
