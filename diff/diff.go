// Package diff compares two schemas and returns the ops that turn one into
// the other, in an order the database accepts: tables before the foreign
// keys that point at them, indexes dropped before their columns, tables
// dropped after the tables that reference them.
//
// The result is deterministic (tables and columns in name order, then
// dependency order). Both schemas must be in the same dialect's canonical
// spelling (dialect.Canonicalizer), so that a plain comparison decides
// what changed. Renames are never guessed: a renamed column is a drop and
// an add.
package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Schemas returns the ops that turn from into to.
func Schemas(from, to *schema.Schema) ([]op.Op, error) {
	var (
		creates, drops, changes []op.Op
		errs                    []string
	)
	var added, removed []*schema.Table
	for _, t := range to.Tables {
		if _, ok := from.Table(t.Name); !ok {
			added = append(added, t)
		}
	}
	for _, t := range from.Tables {
		if _, ok := to.Table(t.Name); !ok {
			removed = append(removed, t)
		}
	}
	for _, t := range sortByReferences(added) {
		creates = append(creates, op.CreateTable{Table: t.Clone()})
	}
	sorted := sortByReferences(removed)
	for i := len(sorted) - 1; i >= 0; i-- {
		drops = append(drops, op.DropTable{Table: sorted[i].Clone()})
	}
	for _, ft := range from.Tables {
		tt, ok := to.Table(ft.Name)
		if !ok {
			continue
		}
		ops, err := tables(ft, tt)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		changes = append(changes, ops...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("diff: %s", strings.Join(errs, "; "))
	}
	// New tables first (changed tables may reference them), dropped tables
	// last (changed tables may stop referencing them).
	out := append(creates, changes...)
	return append(out, drops...), nil
}

// Inverse returns the ops that undo ops: each op's inverse, in reverse
// order.
func Inverse(ops []op.Op) ([]op.Op, error) {
	out := make([]op.Op, 0, len(ops))
	for i := len(ops) - 1; i >= 0; i-- {
		inv, err := ops[i].Inverse()
		if err != nil {
			return nil, fmt.Errorf("diff: %w", err)
		}
		out = append(out, inv)
	}
	return out, nil
}

func tables(from, to *schema.Table) ([]op.Op, error) {
	if !slices.Equal(pkColumns(from), pkColumns(to)) {
		return nil, fmt.Errorf("table %q: changing the primary key is not supported yet; write that revision by hand (strata revision)", from.Name)
	}
	if !slices.Equal(fkKeys(from), fkKeys(to)) {
		return nil, fmt.Errorf("table %q: changing foreign keys of an existing table is not supported yet; write that revision by hand (strata revision)", from.Name)
	}
	var dropIndexes, dropColumns, addColumns, alterColumns, createIndexes []op.Op
	for _, ix := range from.Indexes {
		if nix, ok := to.Index(ix.Name); !ok || !schema.IndexEqual(ix, nix) {
			dropIndexes = append(dropIndexes, op.DropIndex{Table: from.Name, Index: ix})
		}
	}
	for _, ix := range to.Indexes {
		if oix, ok := from.Index(ix.Name); !ok || !schema.IndexEqual(ix, oix) {
			createIndexes = append(createIndexes, op.CreateIndex{Table: to.Name, Index: ix})
		}
	}
	for _, c := range from.Columns {
		if _, ok := to.Column(c.Name); !ok {
			dropColumns = append(dropColumns, op.DropColumn{Table: from.Name, Column: c.Clone()})
		}
	}
	for _, c := range to.Columns {
		old, ok := from.Column(c.Name)
		if !ok {
			add := op.AddColumn{Table: to.Name, Column: c.Clone()}
			if !c.Nullable && !c.AutoIncrement {
				add.Backfill = op.BackfillValue(c)
			}
			addColumns = append(addColumns, add)
			continue
		}
		if schema.ColumnDifference(old, c) != "" {
			alter := op.AlterColumn{Table: to.Name, From: old.Clone(), To: c.Clone()}
			if old.Nullable && !c.Nullable {
				alter.Backfill = op.BackfillValue(c)
			}
			alterColumns = append(alterColumns, alter)
		}
	}
	var out []op.Op
	for _, group := range [][]op.Op{dropIndexes, dropColumns, addColumns, alterColumns, createIndexes} {
		out = append(out, group...)
	}
	return out, nil
}

func pkColumns(t *schema.Table) []string {
	if t.PrimaryKey == nil {
		return nil
	}
	return t.PrimaryKey.Columns
}

func fkKeys(t *schema.Table) []string {
	var keys []string
	for _, fk := range t.ForeignKeys {
		keys = append(keys, fmt.Sprintf("%v>%s%v/%s/%s", fk.Columns, fk.RefTable, fk.RefColumns, fk.OnDelete, fk.OnUpdate))
	}
	slices.Sort(keys)
	return keys
}

// sortByReferences orders tables so that each comes after the tables its
// foreign keys point at, where the references allow (a cycle keeps name
// order for its members).
func sortByReferences(ts []*schema.Table) []*schema.Table {
	byName := map[string]*schema.Table{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	var out []*schema.Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t *schema.Table)
	visit = func(t *schema.Table) {
		if state[t.Name] != 0 {
			return
		}
		state[t.Name] = 1
		for _, fk := range t.ForeignKeys {
			if ref, ok := byName[fk.RefTable]; ok && ref != t {
				visit(ref)
			}
		}
		state[t.Name] = 2
		out = append(out, t)
	}
	names := make([]string, 0, len(ts))
	for _, t := range ts {
		names = append(names, t.Name)
	}
	slices.Sort(names)
	for _, n := range names {
		visit(byName[n])
	}
	return out
}
