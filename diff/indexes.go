package diff

import (
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// indexes returns the ops that drop the indexes of from that to lacks or
// has otherwise, and create the ones to has anew, in to's order. When
// ordered (schema.Schema.Ordered: MySQL lists the indexes of a kind in
// the order they were made, and has no way to place one), indexes that
// to has in another place are made again too: of each kind (Index.Kind),
// the indexes that begin both lists alike stay, and every one after them
// is dropped and created in to's order. The drops then run in the reverse
// of from's order, so that the downgrade makes them again in from's
// order, exactly. Dropping or changing an index so rebuilds the indexes
// of its kind made after it.
//
// renamed maps the new name of each index renamed (diff's indexRenames)
// to its old one: such an index stays and keeps its place, unless the
// order makes it again (redone names it then, and its rename is void).
func indexes(from, to *schema.Table, ordered bool, renamed map[string]string) (drops, creates, ignores []op.Op, redone map[string]bool) {
	// An index that changes only in whether the optimizer ignores it
	// stays, and changes in place (op.IgnoreIndex).
	equal := func(a, b *schema.Index) bool {
		a, b = a.Clone(), b.Clone()
		a.Ignored, b.Ignored = false, false
		// Where order counts (MySQL), a comment is part of the index's
		// definition, changed by making the index again; elsewhere it
		// changes in place (constraintComments).
		if ordered && a.Comment != b.Comment {
			return false
		}
		return schema.IndexEqual(a, b)
	}
	// was finds the index of from that ix of to was (under its old name,
	// if renamed); is, the index of to that ix of from became.
	was := func(ix *schema.Index) (*schema.Index, bool) {
		if old, ok := renamed[ix.Name]; ok {
			return from.Index(old)
		}
		return from.Index(ix.Name)
	}
	is := func(ix *schema.Index) (*schema.Index, bool) {
		for n, old := range renamed {
			if old == ix.Name {
				return to.Index(n)
			}
		}
		return to.Index(ix.Name)
	}
	same := func(ix *schema.Index) bool {
		o, ok := was(ix)
		return ok && equal(o, ix)
	}
	redo := map[string]bool{}
	if ordered {
		for _, kind := range []int{schema.UniqueIndexKind, schema.PlainIndexKind, schema.FullTextIndexKind} {
			var has, want []*schema.Index
			for _, ix := range from.Indexes {
				if ix.Kind() == kind {
					has = append(has, ix)
				}
			}
			for _, ix := range to.Indexes {
				if ix.Kind() == kind {
					want = append(want, ix)
				}
			}
			p := 0
			for p < len(has) && p < len(want) && (has[p].Name == want[p].Name || renamed[want[p].Name] == has[p].Name) && equal(has[p], want[p]) {
				p++
			}
			for _, ix := range want[p:] {
				if same(ix) {
					redo[ix.Name] = true
				}
			}
		}
	}
	gone := func(ix *schema.Index) bool {
		n, ok := is(ix)
		return !ok || !equal(ix, n) || redo[n.Name]
	}
	if ordered {
		for i := len(from.Indexes) - 1; i >= 0; i-- {
			if ix := from.Indexes[i]; gone(ix) {
				drops = append(drops, op.DropIndex{Table: from.Name, Index: ix})
			}
		}
	} else {
		for _, ix := range from.Indexes {
			if gone(ix) {
				drops = append(drops, op.DropIndex{Table: from.Name, Index: ix})
			}
		}
	}
	for _, ix := range to.Indexes {
		if !same(ix) || redo[ix.Name] {
			creates = append(creates, op.CreateIndex{Table: to.Name, Index: ix})
		} else if o, _ := was(ix); o.Ignored != ix.Ignored {
			ignores = append(ignores, op.IgnoreIndex{Table: to.Name, Index: ix})
		}
	}
	return drops, creates, ignores, redo
}
