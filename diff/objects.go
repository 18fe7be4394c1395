package diff

import (
	"regexp"
	"slices"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// functionPlan places the ops on functions among the others. Functions
// are made early, before the tables, columns, indexes and checks that may
// call them (defaults, generated columns, expression indexes), unless
// their definition names a table or view this diff creates (a SQL
// function's body is checked when it is created, and RETURNS SETOF needs
// the table) and nothing of the target calls them: those are made late,
// after the tables. Symmetrically, functions that go are dropped late,
// after what used them is gone, unless they name a table or view this
// diff drops (PostgreSQL refuses to drop a table whose row type a
// function returns).
type functionPlan struct {
	dropEarly, createEarly, createLate, dropLate []op.Op
	// recreated are the functions dropped and made again because their
	// parameters or result change, which CREATE OR REPLACE cannot do.
	recreated []*schema.Function
}

func planFunctions(from, to *schema.Schema, added, removed []*schema.Table) *functionPlan {
	p := &functionPlan{}
	var createdNames, droppedNames []string
	for _, t := range added {
		createdNames = append(createdNames, t.Name)
	}
	for _, v := range to.Views {
		if _, ok := from.View(v.Name); !ok {
			createdNames = append(createdNames, v.Name)
		}
	}
	for _, t := range removed {
		droppedNames = append(droppedNames, t.Name)
	}
	for _, v := range from.Views {
		if _, ok := to.View(v.Name); !ok {
			droppedNames = append(droppedNames, v.Name)
		}
	}
	mentionsAny := func(def string, names []string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return schema.Mentions(def, n) })
	}
	late := func(f *schema.Function) bool {
		return mentionsAny(bodyText(f), createdNames) && !calledBy(to, f.Name)
	}
	create := func(o op.Op, f *schema.Function) {
		if late(f) {
			p.createLate = append(p.createLate, o)
		} else {
			p.createEarly = append(p.createEarly, o)
		}
	}
	for _, f := range to.Functions {
		old, ok := from.Function(f.Key())
		switch {
		case !ok:
			create(op.CreateFunction{Function: f}, f)
		case schema.SameFunction(old, f):
		case schema.Replaceable(old, f):
			create(op.ReplaceFunction{From: old, To: f}, f)
		default:
			p.recreated = append(p.recreated, old)
			p.dropEarly = append(p.dropEarly, op.DropFunction{Function: old})
			create(op.CreateFunction{Function: f}, f)
		}
	}
	for _, f := range from.Functions {
		if _, ok := to.Function(f.Key()); ok {
			continue
		}
		if mentionsAny(bodyText(f), droppedNames) && !calledBy(from, f.Name) && !triggered(from, f.Name) {
			p.dropEarly = append(p.dropEarly, op.DropFunction{Function: f})
		} else {
			p.dropLate = append(p.dropLate, op.DropFunction{Function: f})
		}
	}
	return p
}

// dollarQuoteRE matches the $tag$ delimiters of a function body.
var dollarQuoteRE = regexp.MustCompile(`\$[A-Za-z_]*\$`)

// bodyText is f's definition with the $tag$ around its body spaced out,
// so that a name at the body's edge ("FROM games$$") counts as named.
func bodyText(f *schema.Function) string { return dollarQuoteRE.ReplaceAllString(f.Def, " ") }

// calledBy reports whether something of s's tables names the function
// called name: a default, a generated column, a check, an index key or
// predicate.
func calledBy(s *schema.Schema, name string) bool {
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.Default != nil && schema.Mentions(c.Default.String(), name) || schema.Mentions(c.Generated.Expr, name) {
				return true
			}
		}
		for _, ck := range t.Checks {
			if schema.Mentions(ck.Expr, name) {
				return true
			}
		}
		for _, ix := range t.Indexes {
			if schema.Mentions(ix.Where, name) {
				return true
			}
			for _, part := range ix.Parts {
				if schema.Mentions(part.Expr, name) {
					return true
				}
			}
		}
	}
	return false
}

// triggered reports whether a trigger of s names the function called
// name: it depends on the function until it goes.
func triggered(s *schema.Schema, name string) bool {
	mentions := func(ts []*schema.Trigger) bool {
		return slices.ContainsFunc(ts, func(tr *schema.Trigger) bool { return schema.Mentions(tr.Def, name) })
	}
	for _, t := range s.Tables {
		if mentions(t.Triggers) {
			return true
		}
	}
	for _, v := range s.Views {
		if mentions(v.Triggers) {
			return true
		}
	}
	return false
}

// recreatedMentioned reports whether def names a function that is
// dropped and made again.
func (p *functionPlan) recreatedMentioned(def string) bool {
	return slices.ContainsFunc(p.recreated, func(f *schema.Function) bool { return schema.Mentions(def, f.Name) })
}

// planTriggers returns the trigger drops that come before the other
// changes and the creates that come after them: triggers of kept tables
// and views that go or change; those that stay but name a column whose
// type or collation changes or a function made again (dropped and created
// again around the change); and the triggers of new tables. Views that
// are rebuilt (dropped and created) take their triggers along.
func planTriggers(from, to *schema.Schema, rebuiltViews map[string]bool, fns *functionPlan) (drops, creates []op.Op) {
	pair := func(name string, old, new []*schema.Trigger, changedColumns []string) {
		// A trigger that stays is made again when it names what changes
		// under it.
		redo := func(def string) bool {
			return fns.recreatedMentioned(def) ||
				slices.ContainsFunc(changedColumns, func(c string) bool { return schema.Mentions(def, c) })
		}
		for _, tr := range old {
			if nt, ok := schema.FindTrigger(new, tr.Name); !ok || nt.Def != tr.Def || redo(tr.Def) {
				drops = append(drops, op.DropTrigger{Table: name, Trigger: tr})
			}
		}
		for _, tr := range new {
			if ot, ok := schema.FindTrigger(old, tr.Name); !ok || ot.Def != tr.Def || redo(tr.Def) {
				creates = append(creates, op.CreateTrigger{Table: name, Trigger: tr})
			}
		}
	}
	for _, tt := range to.Tables {
		ft, ok := from.Table(tt.Name)
		if !ok {
			for _, tr := range tt.Triggers {
				creates = append(creates, op.CreateTrigger{Table: tt.Name, Trigger: tr})
			}
			continue
		}
		var changed []string
		for _, c := range ft.Columns {
			if nc, ok := tt.Column(c.Name); ok && (nc.Type != c.Type || nc.Collation != c.Collation) {
				changed = append(changed, c.Name)
			}
		}
		pair(tt.Name, ft.Triggers, tt.Triggers, changed)
	}
	for _, tv := range to.Views {
		if fv, ok := from.View(tv.Name); ok && !rebuiltViews[tv.Name] {
			pair(tv.Name, fv.Triggers, tv.Triggers, nil)
		}
	}
	return drops, creates
}
