package op

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// CreateSequence creates a standalone sequence (PostgreSQL).
type CreateSequence struct{ Sequence *schema.Sequence }

// DropSequence drops a sequence; Sequence holds it for the inverse.
type DropSequence struct{ Sequence *schema.Sequence }

// AlterSequence changes a sequence's type and options in place: From
// and To have the same name.
type AlterSequence struct{ From, To *schema.Sequence }

// CreateDomain creates a domain (PostgreSQL).
type CreateDomain struct{ Domain *schema.Domain }

// DropDomain drops a domain; Domain holds it for the inverse.
type DropDomain struct{ Domain *schema.Domain }

// AlterDomain changes a domain's default, NOT NULL and checks in place:
// From and To have the same name, base type and collation (else the
// domain is dropped and created again).
type AlterDomain struct{ From, To *schema.Domain }

// CreateCompositeType creates a composite type (PostgreSQL).
type CreateCompositeType struct{ Type *schema.CompositeType }

// DropCompositeType drops a composite type; Type holds it for the
// inverse.
type DropCompositeType struct{ Type *schema.CompositeType }

// AlterCompositeType adds, drops and retypes attributes of a composite
// type in place: From and To have the same name, and the attributes To
// keeps of From are in the same order, before the ones it adds.
type AlterCompositeType struct{ From, To *schema.CompositeType }

func (CreateSequence) op()      {}
func (DropSequence) op()        {}
func (AlterSequence) op()       {}
func (CreateDomain) op()        {}
func (DropDomain) op()          {}
func (AlterDomain) op()         {}
func (CreateCompositeType) op() {}
func (DropCompositeType) op()   {}
func (AlterCompositeType) op()  {}

// Inverse returns DropSequence.
func (o CreateSequence) Inverse() (Op, error) { return DropSequence(o), nil }

// Inverse returns CreateSequence.
func (o DropSequence) Inverse() (Op, error) { return CreateSequence(o), nil }

// Inverse swaps From and To.
func (o AlterSequence) Inverse() (Op, error) { return AlterSequence{From: o.To, To: o.From}, nil }

// Inverse returns DropDomain.
func (o CreateDomain) Inverse() (Op, error) { return DropDomain(o), nil }

// Inverse returns CreateDomain.
func (o DropDomain) Inverse() (Op, error) { return CreateDomain(o), nil }

// Inverse swaps From and To.
func (o AlterDomain) Inverse() (Op, error) { return AlterDomain{From: o.To, To: o.From}, nil }

// Inverse returns DropCompositeType.
func (o CreateCompositeType) Inverse() (Op, error) { return DropCompositeType(o), nil }

// Inverse returns CreateCompositeType.
func (o DropCompositeType) Inverse() (Op, error) { return CreateCompositeType(o), nil }

// Inverse swaps From and To.
func (o AlterCompositeType) Inverse() (Op, error) {
	return AlterCompositeType{From: o.To, To: o.From}, nil
}

func (o CreateSequence) String() string {
	return fmt.Sprintf("create sequence %q", seqName(o.Sequence))
}
func (o DropSequence) String() string  { return fmt.Sprintf("drop sequence %q", seqName(o.Sequence)) }
func (o AlterSequence) String() string { return fmt.Sprintf("alter sequence %q", seqName(o.To)) }
func (o CreateDomain) String() string  { return fmt.Sprintf("create domain %q", domainName(o.Domain)) }
func (o DropDomain) String() string    { return fmt.Sprintf("drop domain %q", domainName(o.Domain)) }
func (o AlterDomain) String() string   { return fmt.Sprintf("alter domain %q", domainName(o.To)) }
func (o CreateCompositeType) String() string {
	return fmt.Sprintf("create composite type %q", compositeName(o.Type))
}
func (o DropCompositeType) String() string {
	return fmt.Sprintf("drop composite type %q", compositeName(o.Type))
}
func (o AlterCompositeType) String() string {
	return fmt.Sprintf("alter composite type %q", compositeName(o.To))
}

func seqName(q *schema.Sequence) string {
	if q == nil {
		return ""
	}
	return q.Name
}

func domainName(d *schema.Domain) string {
	if d == nil {
		return ""
	}
	return d.Name
}

func compositeName(c *schema.CompositeType) string {
	if c == nil {
		return ""
	}
	return c.Name
}

func viewKind(v *schema.View) string {
	if v != nil && v.Materialized {
		return "materialized view"
	}
	return "view"
}

// Apply adds the sequence.
func (o CreateSequence) Apply(s *schema.Schema) error {
	if o.Sequence == nil {
		return fmt.Errorf("op: create sequence: no sequence")
	}
	if _, ok := s.Sequence(o.Sequence.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	q := *o.Sequence
	s.Sequences = append(s.Sequences, &q)
	return nil
}

// Apply removes the sequence.
func (o DropSequence) Apply(s *schema.Schema) error {
	if o.Sequence == nil {
		return fmt.Errorf("op: drop sequence: no sequence")
	}
	if _, ok := s.Sequence(o.Sequence.Name); !ok {
		return fmt.Errorf("op: %s: no such sequence", o)
	}
	s.Sequences = slices.DeleteFunc(s.Sequences, func(q *schema.Sequence) bool { return q.Name == o.Sequence.Name })
	return nil
}

// Apply sets the new options.
func (o AlterSequence) Apply(s *schema.Schema) error {
	if o.From == nil || o.To == nil || o.From.Name != o.To.Name {
		return fmt.Errorf("op: alter sequence: needs From and To of one name")
	}
	q, ok := s.Sequence(o.From.Name)
	if !ok {
		return fmt.Errorf("op: %s: no such sequence", o)
	}
	*q = *o.To
	return nil
}

// Apply adds the domain.
func (o CreateDomain) Apply(s *schema.Schema) error {
	if o.Domain == nil {
		return fmt.Errorf("op: create domain: no domain")
	}
	if _, ok := s.Domain(o.Domain.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	s.Domains = append(s.Domains, o.Domain.Clone())
	return nil
}

// Apply removes the domain.
func (o DropDomain) Apply(s *schema.Schema) error {
	if o.Domain == nil {
		return fmt.Errorf("op: drop domain: no domain")
	}
	if _, ok := s.Domain(o.Domain.Name); !ok {
		return fmt.Errorf("op: %s: no such domain", o)
	}
	s.Domains = slices.DeleteFunc(s.Domains, func(d *schema.Domain) bool { return d.Name == o.Domain.Name })
	return nil
}

// Apply sets the new default, NOT NULL and checks.
func (o AlterDomain) Apply(s *schema.Schema) error {
	if o.From == nil || o.To == nil || o.From.Name != o.To.Name {
		return fmt.Errorf("op: alter domain: needs From and To of one name")
	}
	if o.From.Type != o.To.Type || o.From.Collation != o.To.Collation {
		return fmt.Errorf("op: %s: the base type or collation changes, which cannot be done in place", o)
	}
	d, ok := s.Domain(o.From.Name)
	if !ok {
		return fmt.Errorf("op: %s: no such domain", o)
	}
	*d = *o.To.Clone()
	return nil
}

// Apply adds the composite type.
func (o CreateCompositeType) Apply(s *schema.Schema) error {
	if o.Type == nil {
		return fmt.Errorf("op: create composite type: no type")
	}
	if _, ok := s.CompositeType(o.Type.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	s.CompositeTypes = append(s.CompositeTypes, o.Type.Clone())
	return nil
}

// Apply removes the composite type.
func (o DropCompositeType) Apply(s *schema.Schema) error {
	if o.Type == nil {
		return fmt.Errorf("op: drop composite type: no type")
	}
	if _, ok := s.CompositeType(o.Type.Name); !ok {
		return fmt.Errorf("op: %s: no such composite type", o)
	}
	s.CompositeTypes = slices.DeleteFunc(s.CompositeTypes, func(c *schema.CompositeType) bool { return c.Name == o.Type.Name })
	return nil
}

// Apply sets the new attributes.
func (o AlterCompositeType) Apply(s *schema.Schema) error {
	if o.From == nil || o.To == nil || o.From.Name != o.To.Name {
		return fmt.Errorf("op: alter composite type: needs From and To of one name")
	}
	if !CompositeAlterable(o.From, o.To) {
		return fmt.Errorf("op: %s: the attributes kept change order, which cannot be done in place", o)
	}
	c, ok := s.CompositeType(o.From.Name)
	if !ok {
		return fmt.Errorf("op: %s: no such composite type", o)
	}
	*c = *o.To.Clone()
	return nil
}

// CompositeAlterable reports whether ALTER TYPE can turn a into b: the
// attributes b keeps of a come first, in a's order, and the ones b adds
// after them (ADD ATTRIBUTE appends).
func CompositeAlterable(a, b *schema.CompositeType) bool {
	var kept []string
	for _, at := range a.Attributes {
		if slices.ContainsFunc(b.Attributes, func(x schema.Attribute) bool { return x.Name == at.Name }) {
			kept = append(kept, at.Name)
		}
	}
	for i, name := range kept {
		if i >= len(b.Attributes) || b.Attributes[i].Name != name {
			return false
		}
	}
	return true
}

// AddExclusion adds an exclusion constraint to a table (PostgreSQL).
type AddExclusion struct {
	Table     string
	Exclusion *schema.Exclusion
}

// DropExclusion drops an exclusion constraint; Exclusion holds it for
// the inverse.
type DropExclusion struct {
	Table     string
	Exclusion *schema.Exclusion
}

func (AddExclusion) op()  {}
func (DropExclusion) op() {}

// Inverse returns DropExclusion.
func (o AddExclusion) Inverse() (Op, error) { return DropExclusion(o), nil }

// Inverse returns AddExclusion.
func (o DropExclusion) Inverse() (Op, error) { return AddExclusion(o), nil }

func (o AddExclusion) String() string {
	return fmt.Sprintf("add exclusion constraint %q to %q", exclusionName(o.Exclusion), o.Table)
}
func (o DropExclusion) String() string {
	return fmt.Sprintf("drop exclusion constraint %q of %q", exclusionName(o.Exclusion), o.Table)
}

func exclusionName(x *schema.Exclusion) string {
	if x == nil {
		return ""
	}
	return x.Name
}

// Apply adds the constraint to its table.
func (o AddExclusion) Apply(s *schema.Schema) error {
	if o.Exclusion == nil {
		return fmt.Errorf("op: add exclusion constraint to %q: no constraint", o.Table)
	}
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if _, ok := t.Exclusion(o.Exclusion.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	x := *o.Exclusion
	t.Exclusions = append(t.Exclusions, &x)
	return nil
}

// Apply removes the constraint from its table.
func (o DropExclusion) Apply(s *schema.Schema) error {
	if o.Exclusion == nil {
		return fmt.Errorf("op: drop exclusion constraint of %q: no constraint", o.Table)
	}
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	n := len(t.Exclusions)
	t.Exclusions = slices.DeleteFunc(t.Exclusions, func(x *schema.Exclusion) bool { return x.Name == o.Exclusion.Name })
	if len(t.Exclusions) == n {
		return fmt.Errorf("op: %s: no such constraint", o)
	}
	return nil
}

// AddPartition creates a partition of a partitioned table (PostgreSQL's
// CREATE TABLE … PARTITION OF).
type AddPartition struct {
	Table     string
	Partition *schema.Partition
}

// DropPartition drops a partition, with its rows; Partition holds it
// for the inverse.
type DropPartition struct {
	Table     string
	Partition *schema.Partition
}

func (AddPartition) op()  {}
func (DropPartition) op() {}

// Inverse returns DropPartition.
func (o AddPartition) Inverse() (Op, error) { return DropPartition(o), nil }

// Inverse returns AddPartition.
func (o DropPartition) Inverse() (Op, error) { return AddPartition(o), nil }

func (o AddPartition) String() string {
	return fmt.Sprintf("add partition %q of %q", partitionName(o.Partition), o.Table)
}
func (o DropPartition) String() string {
	return fmt.Sprintf("drop partition %q of %q", partitionName(o.Partition), o.Table)
}

func partitionName(p *schema.Partition) string {
	if p == nil {
		return ""
	}
	return p.Name
}

// Apply adds the partition to its table.
func (o AddPartition) Apply(s *schema.Schema) error {
	if o.Partition == nil {
		return fmt.Errorf("op: add partition to %q: no partition", o.Table)
	}
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	if _, ok := t.PartitionNamed(o.Partition.Name); ok {
		return fmt.Errorf("op: %s: it exists already", o)
	}
	p := *o.Partition
	t.Partitions = append(t.Partitions, &p)
	return nil
}

// Apply removes the partition from its table.
func (o DropPartition) Apply(s *schema.Schema) error {
	if o.Partition == nil {
		return fmt.Errorf("op: drop partition of %q: no partition", o.Table)
	}
	t, err := table(s, o.Table)
	if err != nil {
		return err
	}
	n := len(t.Partitions)
	t.Partitions = slices.DeleteFunc(t.Partitions, func(p *schema.Partition) bool { return p.Name == o.Partition.Name })
	if len(t.Partitions) == n {
		return fmt.Errorf("op: %s: no such partition", o)
	}
	return nil
}
