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
// stands before the op in current. It renders one op as RenderPlan
// renders a list of ops.
func (d Dialect) Render(current *schema.Schema, o op.Op) ([]string, error) {
	if current == nil {
		return d.renderOne(current, o)
	}
	stmts, err := d.RenderPlan(current, []op.Op{o})
	if err != nil {
		return nil, err
	}
	return dialect.StatementSQL(stmts), nil
}

// renderOne renders o on its own, as one of RenderPlan's steps: a change
// to a table in place that needs a rebuild is rebuilt for that op alone.
func (d Dialect) renderOne(current *schema.Schema, o op.Op) ([]string, error) {
	if stmts, ok, err := renderObject(o); ok {
		return stmts, err
	}
	if table, ok := changesInPlace(o); ok {
		var t *schema.Table
		if current != nil {
			t, _ = current.Table(table)
		}
		if needsRebuild(t, o) {
			if _, err := tableOf(current, table); err != nil {
				return nil, fmt.Errorf("sqlite: %s: %w", o, err)
			}
			stmts, _, err := step{items: []item{{0, o}}, table: table, rebuild: true}.render(d, current)
			return stmts, err
		}
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
		// Nothing SQLite keeps: a change it keeps is a rebuild (above).
		return nil, nil
	case op.AddColumn:
		return []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(o.Column))}, nil
	case op.DropColumn:
		return []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", quote(o.Table), quote(o.Column.Name))}, nil
	case op.MoveColumn:
		// SQLite moves a column only by a rebuild (above).
		return nil, fmt.Errorf("sqlite: render %s: a column moves only in a rebuild, which needs the table's definition", o)
	case op.IgnoreIndex:
		return nil, fmt.Errorf("sqlite: render %s: SQLite has no index the planner ignores", o)
	case op.AlterColumn:
		// RENAME COLUMN also renames the column where other tables' foreign
		// keys, views, triggers and the table's own expressions use it,
		// which a rebuild could not. Any other change is a rebuild (above).
		return []string{fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", quote(o.Table), quote(o.From.Name), quote(o.To.Name))}, nil
	case op.CreateIndex:
		return []string{createIndex(o.Table, o.Index)}, nil
	case op.DropIndex:
		return []string{"DROP INDEX " + quote(o.Index.Name)}, nil
	case op.DropConstraint:
		// A plain index (a constraint is a rebuild, above).
		return []string{"DROP INDEX " + quote(o.Name)}, nil
	case op.RenameConstraint:
		// A plain index (a constraint's name is the table's text: a
		// rebuild, above).
		return renameIndex(current, o)
	case op.CreateView:
		stmts := []string{createView(o.View)}
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

// createView returns the CREATE VIEW of v: the user's own statement while
// v is what it says, else one of strata's.
func createView(v *schema.View) string {
	if text, ok := viewSource(v); ok {
		return text
	}
	return fmt.Sprintf("CREATE VIEW %s AS %s", quote(v.Name), v.Def)
}

// createTable returns the CREATE TABLE of t under name. It is the one
// place that writes a table's definition, for CREATE TABLE and for the
// new table of a rebuild: the user's own statement (t.Source) while t is
// what it says, with the name changed if need be; else columns with
// their declared types, then the primary key and UNIQUE constraints in
// the order that gives their indexes the names Canonical expects, then
// checks and foreign keys, then STRICT and WITHOUT ROWID.
func createTable(name string, t *schema.Table) string {
	if text, ok := tableSource(name, t); ok {
		return text
	}
	var defs []string
	alias := aliasColumn(t)
	for _, c := range t.Columns {
		def := columnDef(c)
		switch {
		case c == alias:
			typ := declaredType(c)
			if !strings.EqualFold(typ, "integer") {
				typ = "INTEGER"
			}
			def = quote(c.Name) + " " + typ + " PRIMARY KEY"
			if c.Identity == schema.IdentityKeyword {
				def += " AUTOINCREMENT"
			}
			def += columnAttrs(c)
		case t.PrimaryKey != nil && len(t.PrimaryKey.Columns) == 1 && t.PrimaryKey.Columns[0] == c.Name && !t.WithoutRowID &&
			strings.EqualFold(declaredType(c), "integer"):
			// INTEGER would make the key an alias of the rowid, which the
			// database fills in by itself; BIGINT keeps it the application's.
			def = quote(c.Name) + " BIGINT" + columnAttrs(c)
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
	var opts []string
	if t.WithoutRowID {
		opts = append(opts, "WITHOUT ROWID")
	}
	if t.Strict {
		opts = append(opts, "STRICT")
	}
	text := fmt.Sprintf("CREATE TABLE %s (\n  %s\n)", quote(name), strings.Join(defs, ",\n  "))
	if len(opts) > 0 {
		text += " " + strings.Join(opts, ", ")
	}
	return text
}

func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + quote(name) + " "
}

// isAutoIndex tells an index SQLite made for a UNIQUE constraint; such an
// index is declared in the table, never created by name.
func isAutoIndex(name string) bool { return strings.HasPrefix(name, "sqlite_autoindex_") }

func columnDef(c *schema.Column) string {
	typ := declaredType(c)
	if typ == "" {
		return quote(c.Name) + columnAttrs(c)
	}
	return quote(c.Name) + " " + typ + columnAttrs(c)
}

// declaredType returns the type a column is declared with: as the user
// declared it where known and still meaning the column's type, else
// SQLite's name for its type.
func declaredType(c *schema.Column) string {
	if declares(c) {
		return c.DeclaredType
	}
	return formatType(c.Type)
}

// declares reports whether c's declared type is set and means its type:
// an op that changes the type and keeps the old declaration (a Go
// revision's SetType on an inspected column) leaves it stale.
func declares(c *schema.Column) bool {
	return c.DeclaredType != "" && parseType(c.DeclaredType) == canonicalType(c.Type)
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
	if text, ok := indexSource(table, ix); ok {
		return text
	}
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
