package sqlite

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

var _ dialect.Renderer = Dialect{}

// ErrNoEnums is returned, wrapped with the op, when rendering an op on a
// named enum type: SQLite has none.
var ErrNoEnums = errors.New("sqlite: SQLite has no enum types; declare the column TEXT with a CHECK (col IN (...)) constraint instead")

// Render returns the statements of o. Changes SQLite's ALTER TABLE cannot
// make become a table rebuild (rebuild.go), which needs the schema as it
// stands before the op in current.
func (d Dialect) Render(current *schema.Schema, o op.Op) ([]string, error) {
	if stmts, ok, err := renderObject(o); ok {
		return stmts, err
	}
	switch o := o.(type) {
	case op.CreateTable:
		stmts := []string{createTable(o.Table.Name, o.Table)}
		for _, ix := range o.Table.Indexes {
			if !isUniqueConstraint(ix) {
				stmts = append(stmts, createIndex(o.Table.Name, ix))
			}
		}
		// A table made again by a downgrade gets its triggers back; diff
		// creates a new table's triggers on their own, later.
		return append(stmts, createTriggers(o.Table.Triggers)...), nil
	case op.DropTable:
		return []string{"DROP TABLE " + quote(o.Table.Name)}, nil
	case op.RenameTable:
		return []string{fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quote(o.From), quote(o.To))}, nil
	case op.AlterTable:
		// SQLite keeps no comment and no table options.
		return nil, nil
	case op.AddColumn:
		return d.addColumn(current, o)
	case op.DropColumn:
		return d.dropColumn(current, o)
	case op.MoveColumn:
		// SQLite has no way to move a column but a rebuild.
		return rebuildWith(current, o.Table, o)
	case op.IgnoreIndex:
		return nil, fmt.Errorf("sqlite: render %s: SQLite has no index the planner ignores", o)
	case op.AlterColumn:
		return d.alterColumn(current, o)
	case op.CreateIndex:
		if isUniqueConstraint(o.Index) {
			return rebuildWith(current, o.Table, o)
		}
		return []string{createIndex(o.Table, o.Index)}, nil
	case op.DropIndex:
		if isUniqueConstraint(o.Index) {
			return rebuildWith(current, o.Table, o)
		}
		return []string{"DROP INDEX " + quote(o.Index.Name)}, nil
	case op.AddForeignKey:
		return rebuildWith(current, o.Table, o)
	case op.DropForeignKey:
		return rebuildWith(current, o.Table, o)
	case op.AddCheck:
		return rebuildWith(current, o.Table, o)
	case op.DropCheck:
		return rebuildWith(current, o.Table, o)
	case op.DropPrimaryKey:
		return rebuildWith(current, o.Table, o)
	case op.AddPrimaryKey:
		return rebuildWith(current, o.Table, o)
	case op.DropConstraint:
		return dropConstraint(current, o)
	case op.CreateView:
		stmts := []string{fmt.Sprintf("CREATE VIEW %s AS %s", quote(o.View.Name), o.View.Def)}
		return append(stmts, createTriggers(o.View.Triggers)...), nil
	case op.DropView:
		return []string{"DROP VIEW " + quote(o.View.Name)}, nil
	case op.BulkInsert:
		return bulkInsert(o)
	case op.CreateEnum, op.DropEnum, op.AddEnumValue:
		return nil, fmt.Errorf("render %s: %w", o, ErrNoEnums)
	case op.Execute:
		if o.Dialect != "" && o.Dialect != "sqlite" {
			return nil, nil
		}
		return []string{o.SQL}, nil
	}
	return nil, fmt.Errorf("sqlite: render %T: unsupported op", o)
}

// createTable returns the CREATE TABLE of t under name: columns, then the
// primary key and UNIQUE constraints in the order that gives their indexes
// the names Canonical expects, then checks and foreign keys.
func createTable(name string, t *schema.Table) string {
	var defs []string
	alias := aliasColumn(t)
	for _, c := range t.Columns {
		def := columnDef(c)
		switch {
		case c == alias:
			def = quote(c.Name) + " INTEGER PRIMARY KEY"
			if c.Identity == schema.IdentityKeyword {
				def += " AUTOINCREMENT"
			}
			def += columnAttrs(c)
		case t.PrimaryKey != nil && len(t.PrimaryKey.Columns) == 1 && t.PrimaryKey.Columns[0] == c.Name && isInteger(c.Type):
			// INTEGER would make the key an alias of the rowid, which the
			// database fills in by itself; BIGINT keeps it the application's.
			def = strings.Replace(def, " INTEGER", " BIGINT", 1)
		}
		defs = append(defs, def)
	}
	for _, k := range keyConstraints(t) {
		if k == nil {
			defs = append(defs, "PRIMARY KEY ("+quoteList(t.PrimaryKey.Columns)+")")
		} else {
			defs = append(defs, "UNIQUE ("+indexParts(k)+")")
		}
	}
	for _, ck := range t.Checks {
		defs = append(defs, constraintName(ck.Name)+"CHECK ("+ck.Expr+")")
	}
	for _, fk := range t.ForeignKeys {
		defs = append(defs, foreignKey(fk))
	}
	return fmt.Sprintf("CREATE TABLE %s (\n  %s\n)", quote(name), strings.Join(defs, ",\n  "))
}

func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + quote(name) + " "
}

func isInteger(t schema.Type) bool {
	_, ok := t.(schema.IntegerType)
	return ok
}

// isAutoIndex tells an index SQLite made for a UNIQUE constraint; such an
// index is declared in the table, never created by name.
func isAutoIndex(name string) bool { return strings.HasPrefix(name, "sqlite_autoindex_") }

func columnDef(c *schema.Column) string {
	return quote(c.Name) + " " + formatType(c.Type) + columnAttrs(c)
}

// columnAttrs renders what follows a column's type.
func columnAttrs(c *schema.Column) string {
	var b strings.Builder
	if c.Collation != "" {
		b.WriteString(" COLLATE " + quote(c.Collation))
	}
	if !c.Nullable {
		b.WriteString(" NOT NULL")
	}
	switch {
	case c.Generated.Expr != "":
		b.WriteString(" GENERATED ALWAYS AS (" + c.Generated.Expr + ")")
		if c.Generated.Stored {
			b.WriteString(" STORED")
		} else {
			b.WriteString(" VIRTUAL")
		}
	case c.Default != nil:
		b.WriteString(" DEFAULT ")
		b.WriteString(formatDefault(c.Default))
	}
	return b.String()
}

func foreignKey(fk *schema.ForeignKey) string {
	s := constraintName(fk.Name)
	s += fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s", quoteList(fk.Columns), quote(fk.RefTable))
	if len(fk.RefColumns) > 0 {
		// None means the parent's primary key.
		s += " (" + quoteList(fk.RefColumns) + ")"
	}
	if fk.OnDelete != "" {
		s += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	if fk.Deferrable {
		s += " DEFERRABLE"
		if fk.InitiallyDeferred {
			s += " INITIALLY DEFERRED"
		}
	}
	return s
}

func createIndex(table string, ix *schema.Index) string {
	unique := ""
	if ix.Unique {
		unique = "UNIQUE "
	}
	s := fmt.Sprintf("CREATE %sINDEX %s ON %s (%s)", unique, quote(ix.Name), quote(table), indexParts(ix))
	if ix.Where != "" {
		s += " WHERE " + ix.Where
	}
	return s
}

// indexParts renders an index's keys: columns quoted, expressions as
// written (SQLite takes any expression as a key), DESC where set.
func indexParts(ix *schema.Index) string {
	parts := make([]string, len(ix.Parts))
	for i, p := range ix.Parts {
		parts[i] = p.Expr
		if p.Expr == "" {
			parts[i] = quote(p.Column)
		}
		if p.Desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

func backfill(table, column string, value schema.Default) string {
	return fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", quote(table), quote(column), formatDefault(value), quote(column))
}

// addColumn adds the column with ALTER TABLE ADD COLUMN, which puts it at
// the end. A column placed elsewhere (a downgrade putting back a column
// dropped from the middle of its table) is added so, then the table is
// rebuilt with the column in its place.
func (d Dialect) addColumn(current *schema.Schema, o op.AddColumn) ([]string, error) {
	c := o.Column
	_, exprDefault := c.Default.(schema.Expr)
	// ALTER TABLE ADD COLUMN takes neither a STORED generated column nor a
	// default that is not a constant: those take a rebuild, in which the
	// existing rows get the default.
	if c.Generated.Stored || exprDefault && c.Generated.Expr == "" {
		return rebuildWith(current, o.Table, op.AddColumn{Table: o.Table, Column: c, Position: o.Position})
	}
	placed := false
	if !o.Position.IsEnd() {
		t, err := tableOf(current, o.Table)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", o, err)
		}
		placed = !o.Position.AtEnd(t)
	}
	if !placed && (c.Nullable || o.Backfill == nil) {
		// SQLite fills existing rows with the default, so NOT NULL with a
		// default is added in one statement.
		return []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(c))}, nil
	}
	added := c
	if o.Backfill != nil && !c.Nullable {
		added = c.Clone()
		added.Nullable = true
	}
	stmts := []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(added))}
	if added != c {
		stmts = append(stmts, backfill(o.Table, c.Name, o.Backfill))
	}
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: add column %q.%q: %w", o.Table, c.Name, err)
	}
	after := t.Clone()
	if err := (op.AddColumn{Table: o.Table, Column: c, Position: o.Position}).Apply(&schema.Schema{Tables: []*schema.Table{after}}); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return append(stmts, rebuild(current, after, copyAll(after, after))...), nil
}

func (d Dialect) dropColumn(current *schema.Schema, o op.DropColumn) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: drop column %q.%q: %w", o.Table, o.Column.Name, err)
	}
	if !usedByTable(t, o.Column.Name) {
		return []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", quote(o.Table), quote(o.Column.Name))}, nil
	}
	return rebuildWith(current, o.Table, o)
}

// usedByTable reports whether a column is part of something in its table
// that makes ALTER TABLE DROP COLUMN refuse: a key, an index, a check or a
// generated column's expression.
func usedByTable(t *schema.Table, name string) bool {
	if t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, name) {
		return true
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, name) {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if ix.HasColumn(name) || mentions(ix.Where, name) {
			return true
		}
		for _, p := range ix.Parts {
			if mentions(p.Expr, name) {
				return true
			}
		}
	}
	for _, ck := range t.Checks {
		if mentions(ck.Expr, name) {
			return true
		}
	}
	for _, c := range t.Columns {
		if mentions(c.Generated.Expr, name) {
			return true
		}
	}
	return false
}

func (d Dialect) alterColumn(current *schema.Schema, o op.AlterColumn) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: alter column %q.%q: %w", o.Table, o.From.Name, err)
	}
	var stmts []string
	if o.From.Name != o.To.Name {
		// RENAME COLUMN also renames the column where other tables' foreign
		// keys, views, triggers and the table's own expressions use it,
		// which a rebuild could not; the rest of the change is rebuilt.
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", quote(o.Table), quote(o.From.Name), quote(o.To.Name)))
		if schema.ColumnDifference(o.From, o.To) == "" {
			return stmts, nil
		}
		renamed := o.From.Clone()
		renamed.Name = o.To.Name
		current = current.Clone()
		if err := (op.AlterColumn{Table: o.Table, From: o.From, To: renamed}).Apply(current); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		t, _ = current.Table(o.Table)
		o.From = renamed
	}
	if o.Backfill != nil && !o.To.Nullable {
		stmts = append(stmts, backfill(o.Table, o.From.Name, o.Backfill))
	}
	after := t.Clone()
	if err := (op.AlterColumn{Table: o.Table, From: o.From, To: o.To}).Apply(&schema.Schema{Tables: []*schema.Table{after}}); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return append(stmts, rebuild(current, after, copyAll(t, after))...), nil
}

// dropConstraint drops what carries the name: a plain index by DROP INDEX,
// a constraint by a rebuild without it.
func dropConstraint(current *schema.Schema, o op.DropConstraint) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", o, err)
	}
	if ix, ok := t.Index(o.Name); ok && !isUniqueConstraint(ix) {
		return []string{"DROP INDEX " + quote(o.Name)}, nil
	}
	return rebuildWith(current, o.Table, o)
}

func tableOf(s *schema.Schema, name string) (*schema.Table, error) {
	if s == nil {
		return nil, fmt.Errorf("table %q must be rebuilt, but its definition is unknown", name)
	}
	t, ok := s.Table(name)
	if !ok {
		return nil, fmt.Errorf("table %q must be rebuilt, but it does not exist", name)
	}
	return t, nil
}
