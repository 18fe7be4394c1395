package diff

import (
	"fmt"
	"slices"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// planTypes returns the ops on PostgreSQL's standalone sequences,
// domains and composite types: early ones, which make and change them
// before anything that may use them (a column of a domain, a default
// taking nextval, a function's parameter), sequences first, then domains
// (a domain's base type before it), then composite types; and late
// ones, which drop those that go once nothing uses them, in the reverse
// order. A domain whose base type or collation changes, and a composite
// type whose kept attributes move (or would move back on the downgrade:
// a dropped attribute comes back last), are dropped and created again.
//
// A domain whose checks or default name a function this diff creates is
// made after the functions (afterFunctions), and one that goes and names
// a function that goes is dropped before them (beforeFunctionDrops).
func planTypes(from, to *schema.Schema) (early, afterFunctions, late, beforeFunctionDrops []op.Op) {
	names := func(s *schema.Schema, other *schema.Schema) []string {
		var out []string
		for _, f := range s.Functions {
			if _, ok := other.Function(f.Key()); !ok {
				out = append(out, f.Name)
			}
		}
		return out
	}
	created, dropped := names(to, from), names(from, to)
	calls := func(d *schema.Domain, fns []string) bool {
		return slices.ContainsFunc(fns, func(f string) bool {
			if schema.Mentions(d.Default, f) {
				return true
			}
			return slices.ContainsFunc(d.Checks, func(c *schema.Check) bool { return schema.Mentions(c.Expr, f) })
		})
	}
	for _, q := range to.Sequences {
		old, ok := from.Sequence(q.Name)
		switch {
		case !ok:
			early = append(early, op.CreateSequence{Sequence: q})
		case *old != *q:
			early = append(early, op.AlterSequence{From: old, To: q})
		}
	}
	var droppedDomains []*schema.Domain
	for _, d := range domainOrder(from.Domains) {
		if nd, ok := to.Domain(d.Name); ok && nd.Type == d.Type && nd.Collation == d.Collation {
			continue
		}
		droppedDomains = append(droppedDomains, d)
	}
	var dropEarly []op.Op
	for _, d := range domainOrder(to.Domains) {
		old, ok := from.Domain(d.Name)
		var o op.Op
		switch {
		case !ok:
			o = op.CreateDomain{Domain: d}
		case old.Type != d.Type || old.Collation != d.Collation:
			dropEarly = append(dropEarly, op.DropDomain{Domain: old})
			o = op.CreateDomain{Domain: d}
		case !old.Equal(d):
			o = op.AlterDomain{From: old, To: d}
		default:
			continue
		}
		if calls(d, created) {
			afterFunctions = append(afterFunctions, o)
		} else {
			early = append(early, o)
		}
	}
	for _, c := range to.CompositeTypes {
		old, ok := from.CompositeType(c.Name)
		switch {
		case !ok:
			early = append(early, op.CreateCompositeType{Type: c})
		case old.Equal(c):
		case op.CompositeAlterable(old, c) && op.CompositeAlterable(c, old):
			// Both ways, so that the downgrade alters it back too.
			early = append(early, op.AlterCompositeType{From: old, To: c})
		default:
			dropEarly = append(dropEarly, op.DropCompositeType{Type: old})
			early = append(early, op.CreateCompositeType{Type: c})
		}
	}
	// Domains made again are dropped before they are created, dependents
	// first.
	slices.Reverse(dropEarly)
	early = append(dropEarly, early...)

	for _, c := range from.CompositeTypes {
		if _, ok := to.CompositeType(c.Name); !ok {
			late = append(late, op.DropCompositeType{Type: c})
		}
	}
	for i := len(droppedDomains) - 1; i >= 0; i-- {
		d := droppedDomains[i]
		if _, ok := to.Domain(d.Name); ok {
			continue
		}
		if calls(d, dropped) {
			beforeFunctionDrops = append(beforeFunctionDrops, op.DropDomain{Domain: d})
		} else {
			late = append(late, op.DropDomain{Domain: d})
		}
	}
	for _, q := range from.Sequences {
		if _, ok := to.Sequence(q.Name); !ok {
			late = append(late, op.DropSequence{Sequence: q})
		}
	}
	return early, afterFunctions, late, beforeFunctionDrops
}

// domainOrder returns ds with each domain after the domain it is built
// on, in name order otherwise.
func domainOrder(ds []*schema.Domain) []*schema.Domain {
	byName := map[string]*schema.Domain{}
	for _, d := range ds {
		byName[d.Name] = d
	}
	done := map[string]bool{}
	var out []*schema.Domain
	var visit func(d *schema.Domain)
	visit = func(d *schema.Domain) {
		if done[d.Name] {
			return
		}
		done[d.Name] = true
		if base, ok := byName[d.Type]; ok {
			visit(base)
		}
		out = append(out, d)
	}
	for _, d := range ds {
		visit(d)
	}
	return out
}

// exclusions returns the exclusion constraints table from loses (gone or
// changed) and those it gains (new or changed) to become to.
func exclusions(from, to *schema.Table) (drops, adds []op.Op) {
	for _, x := range from.Exclusions {
		if y, ok := to.Exclusion(x.Name); !ok || *x != *y {
			drops = append(drops, op.DropExclusion{Table: from.Name, Exclusion: x})
		}
	}
	for _, y := range to.Exclusions {
		if x, ok := from.Exclusion(y.Name); !ok || *x != *y {
			adds = append(adds, op.AddExclusion{Table: to.Name, Exclusion: y})
		}
	}
	return drops, adds
}

// partitions returns the partitions table from loses (gone or with
// another bound) and those it gains, or an error when the partition key
// changes, which PostgreSQL cannot do in place.
func partitions(from, to *schema.Table) (drops, adds []op.Op, err error) {
	if from.PartitionBy != to.PartitionBy {
		return nil, nil, fmt.Errorf("table %q: the partition key changes from %q to %q, which PostgreSQL cannot do in place; create a new table and move the rows", to.Name, from.PartitionBy, to.PartitionBy)
	}
	for _, p := range from.Partitions {
		if q, ok := to.PartitionNamed(p.Name); !ok || *p != *q {
			drops = append(drops, op.DropPartition{Table: from.Name, Partition: p})
		}
	}
	for _, q := range to.Partitions {
		if p, ok := from.PartitionNamed(q.Name); !ok || *p != *q {
			adds = append(adds, op.AddPartition{Table: to.Name, Partition: q})
		}
	}
	return drops, adds, nil
}
