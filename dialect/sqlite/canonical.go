package sqlite

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-go/strata/schema"
)

var _ interface{ Canonical(*schema.Schema) } = Dialect{}

// Canonical rewrites s in the spelling the inspector reports: SQLite's
// type names, defaults as declared, the rowid alias of a single INTEGER
// primary key as an auto-increment column, expressions in canonical
// spacing, UNIQUE constraints under the names SQLite gives their indexes,
// triggers naming their table after ON as the inspector writes it, and
// nothing of what SQLite does not keep (comments, table options, index
// methods and operator classes, enum types). Functions and extensions
// are kept, so that rendering them fails (ErrNoRoutines) rather than
// losing them silently.
func (Dialect) Canonical(s *schema.Schema) {
	s.Name = ""
	s.Enums = nil
	names := schemaNames(s)
	for _, v := range s.Views {
		v.Def = canonicalView(v.Def)
		for _, tr := range v.Triggers {
			tr.Def = triggerDef(tr.Def, v.Name, names)
		}
	}
	for _, t := range s.Tables {
		canonicalTable(s, t, names)
	}
	s.Normalize()
}

func canonicalTable(s *schema.Schema, t *schema.Table, names map[string]bool) {
	for _, c := range t.Columns {
		if rt, ok := c.Type.(schema.RawType); ok && c.DeclaredType == "" {
			// A type named in the database's SQL (a model's type:bigint) is
			// declared as named.
			c.DeclaredType = rt.SQL
		}
		if !declares(c) {
			c.DeclaredType = ""
		}
		c.Type = canonicalType(c.Type)
		if c.Default != nil {
			c.Default = parseDefault(formatDefault(c.Default))
		}
		c.Collation = canonicalCollation(c.Collation)
		if c.Generated.Expr != "" {
			c.Generated.Expr = normExpr(c.Generated.Expr)
			c.Default = nil
		} else {
			c.Generated = schema.Generated{}
		}
		c.Comment, c.OnUpdate = "", ""
	}
	alias := rowidAlias(t)
	for _, c := range t.Columns {
		// Only the rowid alias increments by itself; a single integer key
		// the application assigns is rendered BIGINT so it is not one.
		c.AutoIncrement = c.AutoIncrement && c == alias
		if !c.AutoIncrement || c.Identity != schema.IdentityKeyword {
			c.Identity = ""
		}
	}
	for _, ix := range t.Indexes {
		ix.Method = ""
		ix.Where = normExpr(ix.Where)
		for i := range ix.Parts {
			p := &ix.Parts[i]
			p.Prefix, p.OpClass = 0, ""
			if p.Expr != "" {
				p.Expr = collatedColumn(normExpr(p.Expr))
			}
		}
		ix.Constraint = ix.Unique && (ix.Constraint || isAutoIndex(ix.Name))
	}
	for i, k := range keyConstraints(t) {
		name := fmt.Sprintf("sqlite_autoindex_%s_%d", t.Name, i+1)
		if k == nil {
			t.PrimaryKey.Name = name
		} else {
			k.Name = name
		}
	}
	if t.PrimaryKey != nil && aliasColumn(t) != nil {
		t.PrimaryKey.Name = ""
	}
	for _, ck := range t.Checks {
		ck.Expr = normExpr(ck.Expr)
	}
	for _, fk := range t.ForeignKeys {
		fk.OnDelete, fk.OnUpdate = strings.ToUpper(fk.OnDelete), strings.ToUpper(fk.OnUpdate)
		fk.InitiallyDeferred = fk.Deferrable && fk.InitiallyDeferred
	}
	for _, tr := range t.Triggers {
		tr.Def = triggerDef(tr.Def, t.Name, names)
	}
	t.SetAttrs(schema.TableAttrs{WithoutRowID: t.WithoutRowID, Strict: t.Strict})
}

// canonicalView returns a view's SELECT in canonical spacing.
func canonicalView(def string) string {
	toks := tokenize(def)
	if n := len(toks); n > 0 && toks[n-1].isPunct(";") {
		toks = toks[:n-1]
	}
	return join(toks)
}

// rowidAlias returns the column that is an alias of the rowid if marked
// auto-increment (a single INTEGER primary key), or nil.
func rowidAlias(t *schema.Table) *schema.Column {
	if t.WithoutRowID || t.PrimaryKey == nil || len(t.PrimaryKey.Columns) != 1 {
		return nil
	}
	c, ok := t.Column(t.PrimaryKey.Columns[0])
	if !ok {
		return nil
	}
	if _, isInt := c.Type.(schema.IntegerType); !isInt {
		return nil
	}
	return c
}

// aliasColumn returns the rowid alias of t as rendered: the single
// integer key column, when it is marked auto-increment.
func aliasColumn(t *schema.Table) *schema.Column {
	if c := rowidAlias(t); c != nil && c.AutoIncrement {
		return c
	}
	return nil
}

// isUniqueConstraint tells a UNIQUE constraint, declared in the table,
// from an index made by CREATE INDEX.
func isUniqueConstraint(ix *schema.Index) bool {
	return ix.Unique && (ix.Constraint || isAutoIndex(ix.Name))
}

// keyConstraints returns the constraints of t that SQLite backs with an
// automatic index, in the order render declares them, which is the order
// SQLite numbers those indexes in: a nil entry for the primary key (when
// it is not the rowid alias), the UNIQUE constraints otherwise. The order
// keeps the numbers of the names they have, so that an inspected table
// renders back under the same names.
func keyConstraints(t *schema.Table) []*schema.Index {
	type key struct {
		ix  *schema.Index
		num int
	}
	var keys []key
	if t.PrimaryKey != nil && aliasColumn(t) == nil {
		keys = append(keys, key{nil, autoIndexNumber(t.PrimaryKey.Name, 0)})
	}
	for _, ix := range t.Indexes {
		if isUniqueConstraint(ix) {
			keys = append(keys, key{ix, autoIndexNumber(ix.Name, 1<<30)})
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		an, bn := "", ""
		if a.ix != nil {
			an = a.ix.Name
		}
		if b.ix != nil {
			bn = b.ix.Name
		}
		return cmp.Or(cmp.Compare(a.num, b.num), strings.Compare(an, bn))
	})
	out := make([]*schema.Index, len(keys))
	for i, k := range keys {
		out[i] = k.ix
	}
	return out
}

// autoIndexNumber returns N of a name sqlite_autoindex_TABLE_N, else def.
func autoIndexNumber(name string, def int) int {
	if !isAutoIndex(name) {
		return def
	}
	n, err := strconv.Atoi(name[strings.LastIndexByte(name, '_')+1:])
	if err != nil {
		return def
	}
	return n
}

// collatedColumn spells the key "column COLLATE name" as the inspector
// does (quote's choice of quotes, the collation upper case), whatever
// quotes the model used; any other expression is returned as it is.
func collatedColumn(expr string) string {
	toks := tokenize(expr)
	if len(toks) != 3 || !isName(toks[0]) || toks[1].kind != tokWord || !strings.EqualFold(toks[1].text, "COLLATE") || !isName(toks[2]) {
		return expr
	}
	return quote(toks[0].name()) + " COLLATE " + strings.ToUpper(toks[2].name())
}
