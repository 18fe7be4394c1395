package mysql

import (
	"fmt"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// setComment renders a changed comment of an index or a primary key: MySQL
// keeps it in the index's definition and has no statement that changes it
// alone, so the index is dropped and added again with it (one ALTER TABLE
// once the plan groups them). MySQL has no comment on a check, a foreign
// key, a view or a type, so inspection never reads one to change.
func (d *Dialect) setComment(current *schema.Schema, o op.SetComment) ([]string, error) {
	t, ok := tableIn(current, o.Table)
	if !ok {
		return nil, fmt.Errorf("mysql: render %s: the table's definition is unknown", o)
	}
	var drop, add op.Op
	if ix, ok := t.Index(o.Name); ok && (o.Kind == op.CommentIndex || o.Kind == op.CommentConstraint) {
		changed := ix.Clone()
		changed.Comment = o.To
		drop, add = op.DropIndex{Table: o.Table, Index: ix}, op.CreateIndex{Table: o.Table, Index: changed}
	} else if pk := t.PrimaryKey; pk != nil && o.Kind == op.CommentConstraint && (o.Name == pk.Name || o.Name == "PRIMARY" || o.Name == "") {
		changed := *pk
		changed.Comment = o.To
		drop, add = op.DropPrimaryKey{Table: o.Table, PrimaryKey: pk}, op.AddPrimaryKey{Table: o.Table, PrimaryKey: &changed}
	} else {
		return nil, fmt.Errorf("mysql: render %s: MySQL keeps comments only on tables, columns, indexes and primary keys", o)
	}
	state := current.Clone()
	out, err := d.Render(state, drop)
	if err != nil {
		return nil, err
	}
	if err := drop.Apply(state); err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	more, err := d.Render(state, add)
	if err != nil {
		return nil, err
	}
	return append(out, more...), nil
}
