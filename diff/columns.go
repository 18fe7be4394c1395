package diff

import (
	"slices"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// columns returns the ops that drop, add and move the columns of from so
// that it has the columns of to: drops and adds in column order, each
// with the Position it has when it runs (a drop records where the column
// stood, so that the inverse puts it back there). When ordered (the
// schemas' column order counts, schema.Schema.Ordered), adds go
// where to has them and moves put kept columns in to's order. A table
// that loses every column gets its new ones first (lateDrops): MySQL and
// SQLite refuse a table without columns.
func columns(from, to *schema.Table, ordered bool) (drops, adds, moves []op.Op, lateDrops bool) {
	var gone, come []*schema.Column
	for _, c := range from.Columns {
		if _, ok := to.Column(c.Name); !ok {
			gone = append(gone, c)
		}
	}
	for _, c := range to.Columns {
		if _, ok := from.Column(c.Name); !ok {
			come = append(come, c)
		}
	}
	lateDrops = len(gone) == len(from.Columns) && len(come) > 0
	working := &schema.Table{Name: from.Name, Columns: slices.Clone(from.Columns)}
	drop := func() {
		for _, c := range gone {
			drops = append(drops, op.DropColumn{Table: from.Name, Column: c.Clone(), Position: op.PositionOf(working, c.Name)})
			working.Columns = slices.DeleteFunc(working.Columns, func(w *schema.Column) bool { return w.Name == c.Name })
		}
	}
	if !lateDrops {
		drop()
	}
	for _, c := range come {
		add := op.AddColumn{Table: to.Name, Column: c.Clone()}
		if !c.Nullable && !c.AutoIncrement {
			add.Backfill = op.BackfillValue(c)
		}
		if ordered {
			add.Position = op.PositionOf(to, c.Name)
		}
		at, err := add.Position.Index(working)
		if err != nil {
			// The column before it comes later: it goes to the end, and a
			// move puts it in place.
			add.Position, at = op.Position{}, len(working.Columns)
		}
		if add.Position.AtEnd(working) {
			// Where ADD COLUMN puts it anyway: the statement says nothing.
			add.Position = op.Position{}
		}
		working.Columns = slices.Insert(working.Columns, at, c)
		adds = append(adds, add)
	}
	if lateDrops {
		drop()
	}
	if ordered {
		moves = reorder(working, to)
	}
	return drops, adds, moves, lateDrops
}

// reorder returns the moves that put the columns of working, which are
// to's columns, in to's order. The longest run of columns already in
// order stays; each other column moves after the column before it in
// to, in to's order.
func reorder(working, to *schema.Table) []op.Op {
	rank := map[string]int{}
	for i, c := range to.Columns {
		rank[c.Name] = i
	}
	seq := make([]int, len(working.Columns))
	for i, c := range working.Columns {
		seq[i] = rank[c.Name]
	}
	stay := map[int]bool{}
	for _, r := range longestIncreasing(seq) {
		stay[r] = true
	}
	var moves []op.Op
	for i, c := range to.Columns {
		if stay[i] {
			continue
		}
		m := op.MoveColumn{Table: to.Name, Column: c.Clone(), From: op.PositionOf(working, c.Name), To: op.PositionOf(to, c.Name)}
		if m.From == m.To {
			continue
		}
		if err := m.Apply(&schema.Schema{Tables: []*schema.Table{working}}); err != nil {
			continue
		}
		moves = append(moves, m)
	}
	return moves
}

// longestIncreasing returns the values of a longest strictly increasing
// subsequence of seq.
func longestIncreasing(seq []int) []int {
	var tails, tailAt []int // tails[k]: smallest end of a run of k+1; tailAt: its index
	prev := make([]int, len(seq))
	for i, v := range seq {
		k, _ := slices.BinarySearch(tails, v)
		if k == len(tails) {
			tails, tailAt = append(tails, v), append(tailAt, i)
		} else {
			tails[k], tailAt[k] = v, i
		}
		prev[i] = -1
		if k > 0 {
			prev[i] = tailAt[k-1]
		}
	}
	var out []int
	if len(tailAt) == 0 {
		return nil
	}
	for i := tailAt[len(tailAt)-1]; i >= 0; i = prev[i] {
		out = append(out, seq[i])
	}
	slices.Reverse(out)
	return out
}
