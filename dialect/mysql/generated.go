package mysql

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Generated columns cannot always change in place. MariaDB refuses to
// MODIFY a column from regular to generated, from generated to regular, or
// between STORED and VIRTUAL (error 1907); MySQL 8 refuses the same but
// for regular to STORED and STORED to regular. Render then replaces the
// column where it stands:
//
//   - regular to generated: DROP COLUMN and ADD COLUMN … AFTER in one
//     statement. The stored values give way to computed ones by nature;
//     the DROP COLUMN is what the runner's data-loss guard sees, so the
//     loss is never silent. Done so on MySQL 8 too, where MODIFY to
//     STORED would replace the values without a sign.
//   - STORED to VIRTUAL or back: the same single statement; the values
//     are computed either way.
//   - generated to regular: the values are kept. A new regular column is
//     added beside the old one, filled from it (UPDATE … SET new = old),
//     and one statement drops the old column and renames the new one in
//     its place. MySQL 8 does this itself for a STORED column, which
//     MODIFY turns regular keeping the values.
//
// The statement that drops the old column also drops, and adds back on the
// new one, the primary key, indexes and named checks that use it, since
// the server would drop or shorten them with the column.

// recreates reports whether changing from into to needs the column
// replaced (see above), and whether its values are to be kept.
func (d *Dialect) recreates(from, to *schema.Column) (recreate, keepValues bool) {
	fromGen, toGen := from.Generated.Expr != "", to.Generated.Expr != ""
	switch {
	case fromGen && toGen:
		return from.Generated.Stored != to.Generated.Stored, false
	case toGen:
		return true, false
	case fromGen:
		return d.server.mariaDB || !from.Generated.Stored, true
	}
	return false, false
}

// recreateColumn renders o, a change the server cannot MODIFY, as the
// column replaced where it stands (see above).
func (d *Dialect) recreateColumn(current *schema.Schema, o op.AlterColumn, keepValues bool) ([]string, error) {
	t, _ := tableIn(current, o.Table)
	if t == nil {
		t = &schema.Table{Name: o.Table}
	}
	from, to := o.From.Name, o.To
	def, err := d.columnDef(to)
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	var drops, restores []string
	if pk := t.PrimaryKey; pk != nil && slices.Contains(pk.Columns, from) {
		drops = append(drops, "DROP PRIMARY KEY")
		restores = append(restores, "ADD PRIMARY KEY ("+quoteList(renameIn(pk.Columns, from, to.Name))+")")
	}
	for _, ix := range t.Indexes {
		if !ix.HasColumn(from) {
			continue
		}
		cp := ix.Clone()
		for i := range cp.Parts {
			if cp.Parts[i].Column == from {
				cp.Parts[i].Column = to.Name
			}
		}
		ixDef, err := d.indexDef(cp)
		if err != nil {
			return nil, fmt.Errorf("mysql: render %s: %w", o, err)
		}
		drops = append(drops, "DROP INDEX "+quote(ix.Name))
		restores = append(restores, "ADD "+ixDef)
	}
	for _, ck := range t.Checks {
		if ck.Name == "" || !refersTo(ck.Expr, from) {
			continue
		}
		// On MariaDB a check on the column alone may be part of the
		// column's definition and go with it, hence IF EXISTS.
		drop := d.dropCheckClause(ck.Name)
		if d.server.mariaDB {
			drop = "DROP CONSTRAINT IF EXISTS " + quote(ck.Name)
		}
		drops = append(drops, drop)
		restores = append(restores, "ADD "+checkDef(&schema.Check{Name: ck.Name, Expr: renameColumn(ck.Expr, from, to.Name)}))
	}
	alter := func(clauses ...string) string {
		return fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))
	}
	if !keepValues {
		clauses := append(drops, "DROP COLUMN "+quote(from), "ADD COLUMN "+def+position(t, from))
		return []string{alter(append(clauses, restores...)...)}, nil
	}
	// The new column comes in nullable, so that it can take the old one's
	// NULLs before any backfill; the last statement gives it its
	// definition.
	tmp := freeColumnName(t, "_strata_"+to.Name)
	staged := to.Clone()
	staged.Name, staged.Nullable, staged.AutoIncrement = tmp, true, false
	stagedDef, err := d.columnDef(staged)
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	stmts := []string{
		alter("ADD COLUMN " + stagedDef + " AFTER " + quote(from)),
		fmt.Sprintf("UPDATE %s SET %s = %s", quote(o.Table), quote(tmp), quote(from)),
	}
	if o.Backfill != nil && !to.Nullable {
		stmts = append(stmts, backfill(o.Table, tmp, o.Backfill))
	}
	clauses := append(drops, "DROP COLUMN "+quote(from), "CHANGE COLUMN "+quote(tmp)+" "+def)
	return append(stmts, alter(append(clauses, restores...)...)), nil
}

// position is the clause that adds a column in the place of column name
// of t: AFTER the column before it, or FIRST; empty when t does not hold
// name.
func position(t *schema.Table, name string) string {
	switch i := t.ColumnIndex(name); {
	case i < 0:
		return ""
	case i == 0:
		return " FIRST"
	default:
		return " AFTER " + quote(t.Columns[i-1].Name)
	}
}

// renameIn returns names with from replaced by to.
func renameIn(names []string, from, to string) []string {
	out := slices.Clone(names)
	for i, n := range out {
		if n == from {
			out[i] = to
		}
	}
	return out
}

// freeColumnName returns base cut to the 64 characters MySQL allows,
// with a number at the end where t has a column of that name already.
func freeColumnName(t *schema.Table, base string) string {
	cut := func(s string, n int) string {
		for utf8.RuneCountInString(s) > n {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
		return s
	}
	name := cut(base, 64)
	for i := 2; slices.ContainsFunc(t.Columns, func(c *schema.Column) bool { return strings.EqualFold(c.Name, name) }); i++ {
		suffix := fmt.Sprintf("_%d", i)
		name = cut(base, 64-len(suffix)) + suffix
	}
	return name
}
