package diff

import (
	"fmt"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// GeneratedNames tells Schemas which constraint names the database made
// up for constraints the DDL left unnamed (PostgreSQL's t_col_fkey,
// MySQL's t_ibfk_1): a generated name on both sides is no difference,
// whatever its number or spelling, so that a name the database picked
// never makes a change. Without it only an empty wanted name (the target
// gives none) matches any name. isGenerated gets the table the name
// belongs to (in its schema) and what the name stands for.
func GeneratedNames(isGenerated func(t *schema.Table, kind op.ConstraintKind, name string) bool) Option {
	return func(c *config) { c.generated = isGenerated }
}

// UnnamedWhenGenerated says that the target's names of the generated form
// (GeneratedNames) stand for no name at all: the target comes from models
// or a schema built in Go, whose canonical form makes up the name the
// database would give an unnamed constraint. Any name in the database
// then matches them, the user's own included. Without it (a schema file,
// applied to a scratch database that named what the file did not), only
// another generated name does.
func UnnamedWhenGenerated() Option {
	return func(c *config) { c.unnamedGenerated = true }
}

// RenameConstraint says that the constraint or index old of table (by its
// new name, after any table rename) is now called new: Schemas renames it
// (op.RenameConstraint) whatever else changed about it, rather than
// dropping it and adding another.
func RenameConstraint(table, old, new string) Option {
	return func(c *config) {
		if c.constraints == nil {
			c.constraints = map[string]string{}
		}
		c.constraints[table+"\x00"+old] = new
	}
}

// sameName reports whether a constraint called have in the database may
// stand for the one the target calls want: the same name, no name wanted,
// or a name the database generated on both sides.
func (c *config) sameName(from, to *schema.Table, kind op.ConstraintKind, have, want string) bool {
	if want == "" || have == want {
		return true
	}
	if c.generated == nil || !c.generated(to, kind, want) {
		return false
	}
	return c.unnamedGenerated || have != "" && c.generated(from, kind, have)
}

// followsRename reports whether have, a name in the database, is the old
// name of table to (renamed by this diff) followed by what follows the
// new name in want: users_pkey and accounts_pkey, when users becomes
// accounts. PostgreSQL keeps the names it generated from a table's old
// name; such a name is renamed, to what a database made from the target
// would call it.
func (c *config) followsRename(to *schema.Table, have, want string) bool {
	for old, name := range c.tables {
		if name == to.Name && len(have) > len(old) && strings.HasPrefix(have, old+"_") && want == name+have[len(old):] {
			return true
		}
	}
	return false
}

// named is a constraint reduced to what matching needs: its name and its
// definition without the name.
type named struct{ name, def string }

// matchNamed pairs the constraints of a table in the database (from) with
// those of the target (to) of the same definition: first those of the
// same name, then those whose names may stand for each other (sameName),
// then those that only the name tells apart, which become renames. It
// returns which of each side found a partner, and the renames as pairs of
// indexes into from and to. A rename is only offered where the old name is
// known (SQLite's unnamed constraints have none) and the new one is free
// in the database's table; the rest is a drop and an add.
func (c *config) matchNamed(ft, tt *schema.Table, kind op.ConstraintKind, from, to []named) (fromMatched, toMatched []bool, renames [][2]int) {
	fromMatched, toMatched = make([]bool, len(from)), make([]bool, len(to))
	pass := func(ok func(f, t named) bool, record bool) {
		for j, t := range to {
			if toMatched[j] {
				continue
			}
			for i, f := range from {
				if fromMatched[i] || f.def != t.def || !ok(f, t) {
					continue
				}
				fromMatched[i], toMatched[j] = true, true
				if record {
					renames = append(renames, [2]int{i, j})
				}
				break
			}
		}
	}
	pass(func(f, t named) bool { return f.name == t.name }, false)
	pass(func(f, t named) bool { return c.followsRename(tt, f.name, t.name) }, true)
	pass(func(f, t named) bool { return c.sameName(ft, tt, kind, f.name, t.name) }, false)
	pass(func(f, t named) bool {
		return f.name != "" && op.ConstraintKindOf(ft, t.name) == op.NoConstraint
	}, true)
	return fromMatched, toMatched, renames
}

func namedFKs(fks []*schema.ForeignKey) []named {
	out := make([]named, len(fks))
	for i, fk := range fks {
		out[i] = named{fk.Name, schema.FKString(fk)}
	}
	return out
}

func namedChecks(cks []*schema.Check) []named {
	out := make([]named, len(cks))
	for i, ck := range cks {
		out[i] = named{ck.Name, schema.CheckString(ck)}
	}
	return out
}

// renameConstraints applies the renames the options ask for to from,
// returning their ops. A rename the database already shows (the new name
// there, the old one gone) is left out; one whose old name the database
// lacks is an error.
func (c *config) renameConstraints(from, to *schema.Schema) (out []op.Op, errs []string) {
	for _, key := range sortedKeys(c.constraints) {
		table, old, _ := strings.Cut(key, "\x00")
		name := c.constraints[key]
		ft, ok := from.Table(table)
		if !ok {
			errs = append(errs, fmt.Sprintf("rename constraint %q of %q to %q: no table %q in the database", old, table, name, table))
			continue
		}
		if op.ConstraintKindOf(ft, old) == op.NoConstraint {
			if op.ConstraintKindOf(ft, name) != op.NoConstraint {
				continue
			}
			errs = append(errs, fmt.Sprintf("rename constraint %q of %q to %q: the database has neither", old, table, name))
			continue
		}
		if tt, ok := to.Table(table); !ok || op.ConstraintKindOf(tt, name) == op.NoConstraint {
			errs = append(errs, fmt.Sprintf("rename constraint %q of %q to %q: the target has no constraint or index %q", old, table, name, name))
			continue
		}
		rename := op.RenameConstraint{Table: table, From: old, To: name, Kind: op.ConstraintKindOf(ft, old)}
		if err := rename.Apply(from); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, rename)
	}
	return out, errs
}

// indexRenames pairs the indexes of from that the target lacks by name
// with the target's indexes the database lacks by name, of the same
// definition: those are renames. Indexes whose names the database
// generated on both sides (sameName) are the same index.
func (c *config) indexRenames(from, to *schema.Table) (same map[string]string, renames []op.Op) {
	var gone, come []*schema.Index
	for _, ix := range from.Indexes {
		if _, ok := to.Index(ix.Name); !ok {
			gone = append(gone, ix)
		}
	}
	for _, ix := range to.Indexes {
		if _, ok := from.Index(ix.Name); !ok {
			come = append(come, ix)
		}
	}
	same = map[string]string{}
	taken := map[*schema.Index]bool{}
	// First the names that follow a table's rename (renamed), then those
	// the database generated on both sides (the same), then the rest
	// (renamed).
	const (
		following = iota
		generated
		anyName
	)
	for mode := following; mode <= anyName; mode++ {
		for _, n := range come {
			if _, done := same[n.Name]; done {
				continue
			}
			for _, o := range gone {
				if taken[o] || !schema.IndexEqual(o, n) {
					continue
				}
				switch {
				case mode == following && !c.followsRename(to, o.Name, n.Name),
					mode == generated && !c.sameName(from, to, op.IndexConstraint, o.Name, n.Name):
					continue
				}
				taken[o] = true
				same[n.Name] = o.Name
				if mode != generated {
					renames = append(renames, op.RenameConstraint{Table: from.Name, From: o.Name, To: n.Name, Kind: op.IndexConstraint})
				}
				break
			}
		}
	}
	return same, renames
}
