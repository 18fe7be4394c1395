package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Render returns the statements of o. Changes SQLite's ALTER TABLE cannot
// make become a table rebuild, which needs the table as it stands in
// current.
func (d Dialect) Render(current *schema.Schema, o op.Op) ([]string, error) {
	switch o := o.(type) {
	case op.CreateTable:
		stmts := []string{createTable(o.Table.Name, o.Table)}
		for _, ix := range o.Table.Indexes {
			if !isAutoIndex(ix.Name) {
				stmts = append(stmts, createIndex(o.Table.Name, ix))
			}
		}
		return stmts, nil
	case op.DropTable:
		return []string{"DROP TABLE " + quote(o.Table.Name)}, nil
	case op.AddColumn:
		return d.addColumn(current, o)
	case op.DropColumn:
		return d.dropColumn(current, o)
	case op.AlterColumn:
		return d.alterColumn(current, o)
	case op.CreateIndex:
		return []string{createIndex(o.Table, o.Index)}, nil
	case op.DropIndex:
		return []string{"DROP INDEX " + quote(o.Index.Name)}, nil
	case op.Execute:
		if o.Dialect != "" && o.Dialect != "sqlite" {
			return nil, nil
		}
		return []string{o.SQL}, nil
	}
	return nil, fmt.Errorf("sqlite: render %T: unsupported op", o)
}

func createTable(name string, t *schema.Table) string {
	var defs []string
	alias := rowidAlias(t)
	if alias != nil && !alias.AutoIncrement {
		alias = nil
	}
	for _, c := range t.Columns {
		def := columnDef(c)
		switch {
		case c == alias:
			def = quote(c.Name) + " INTEGER PRIMARY KEY"
		case t.PrimaryKey != nil && len(t.PrimaryKey.Columns) == 1 && t.PrimaryKey.Columns[0] == c.Name && isInteger(c.Type):
			// INTEGER would make the key an alias of the rowid, which the
			// database fills in by itself; BIGINT keeps it the application's.
			def = strings.Replace(def, " INTEGER", " BIGINT", 1)
		}
		defs = append(defs, def)
	}
	if t.PrimaryKey != nil && alias == nil {
		defs = append(defs, "PRIMARY KEY ("+quoteList(t.PrimaryKey.Columns)+")")
	}
	for _, ix := range t.Indexes {
		if isAutoIndex(ix.Name) {
			defs = append(defs, "UNIQUE ("+quoteList(ix.ColumnNames())+")")
		}
	}
	for _, fk := range t.ForeignKeys {
		defs = append(defs, foreignKey(fk))
	}
	return fmt.Sprintf("CREATE TABLE %s (\n  %s\n)", quote(name), strings.Join(defs, ",\n  "))
}

func isInteger(t schema.Type) bool {
	_, ok := t.(schema.IntegerType)
	return ok
}

// isAutoIndex tells an index SQLite made for a UNIQUE constraint; such an
// index is declared in the table, never created by name.
func isAutoIndex(name string) bool { return strings.HasPrefix(name, "sqlite_autoindex_") }

func columnDef(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(quote(c.Name))
	b.WriteString(" ")
	b.WriteString(formatType(c.Type))
	if !c.Nullable {
		b.WriteString(" NOT NULL")
	}
	if c.Default != nil {
		b.WriteString(" DEFAULT ")
		b.WriteString(formatDefault(c.Default))
	}
	return b.String()
}

func foreignKey(fk *schema.ForeignKey) string {
	s := ""
	if fk.Name != "" {
		s = "CONSTRAINT " + quote(fk.Name) + " "
	}
	s += fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)", quoteList(fk.Columns), quote(fk.RefTable), quoteList(fk.RefColumns))
	if fk.OnDelete != "" {
		s += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	return s
}

func createIndex(table string, ix *schema.Index) string {
	unique := ""
	if ix.Unique {
		unique = "UNIQUE "
	}
	return fmt.Sprintf("CREATE %sINDEX %s ON %s (%s)", unique, quote(ix.Name), quote(table), quoteList(ix.ColumnNames()))
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

func (d Dialect) addColumn(current *schema.Schema, o op.AddColumn) ([]string, error) {
	c := o.Column
	if c.Nullable || o.Backfill == nil {
		// SQLite fills existing rows with the default, so NOT NULL with a
		// default is added in one statement.
		return []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(c))}, nil
	}
	nullable := c.Clone()
	nullable.Nullable = true
	stmts := []string{
		fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(nullable)),
		backfill(o.Table, c.Name, o.Backfill),
	}
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: add column %q.%q: %w", o.Table, c.Name, err)
	}
	after := t.Clone()
	after.Columns = append(after.Columns, c.Clone())
	return append(stmts, rebuild(after, after.Columns)...), nil
}

func (d Dialect) dropColumn(current *schema.Schema, o op.DropColumn) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: drop column %q.%q: %w", o.Table, o.Column.Name, err)
	}
	name := o.Column.Name
	inKey := t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, name)
	for _, fk := range t.ForeignKeys {
		inKey = inKey || slices.Contains(fk.Columns, name)
	}
	for _, ix := range t.Indexes {
		inKey = inKey || ix.HasColumn(name)
	}
	if !inKey {
		return []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", quote(o.Table), quote(name))}, nil
	}
	after := t.Clone()
	if err := (op.DropColumn{Table: o.Table, Column: o.Column}).Apply(&schema.Schema{Tables: []*schema.Table{after}}); err != nil {
		return nil, err
	}
	after.ForeignKeys = slices.DeleteFunc(after.ForeignKeys, func(fk *schema.ForeignKey) bool { return slices.Contains(fk.Columns, name) })
	if after.PrimaryKey != nil && slices.Contains(after.PrimaryKey.Columns, name) {
		after.PrimaryKey = nil
	}
	return rebuild(after, after.Columns), nil
}

func (d Dialect) alterColumn(current *schema.Schema, o op.AlterColumn) ([]string, error) {
	t, err := tableOf(current, o.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: alter column %q.%q: %w", o.Table, o.From.Name, err)
	}
	var stmts []string
	if o.Backfill != nil && !o.To.Nullable {
		stmts = append(stmts, backfill(o.Table, o.From.Name, o.Backfill))
	}
	after := t.Clone()
	if err := (op.AlterColumn{Table: o.Table, From: o.From, To: o.To}).Apply(&schema.Schema{Tables: []*schema.Table{after}}); err != nil {
		return nil, err
	}
	return append(stmts, rebuild(after, t.Columns)...), nil
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
