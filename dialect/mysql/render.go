package mysql

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// Render returns the statements of o, without trailing semicolons. It
// never touches a database. current, the schema before o, is optional: when
// it holds the table, DropColumn also drops the indexes that use the
// column (as op.DropColumn.Apply does), and DropIndex keeps an index for a
// foreign key that would otherwise lose its last one.
func (d *Dialect) Render(current *schema.Schema, o op.Op) ([]string, error) {
	switch o := o.(type) {
	case op.CreateTable:
		stmt, err := createTable(o.Table)
		if err != nil {
			return nil, err
		}
		return []string{stmt}, nil
	case op.DropTable:
		return []string{"DROP TABLE " + quote(o.Table.Name)}, nil
	case op.AddColumn:
		return addColumn(o), nil
	case op.DropColumn:
		return dropColumn(current, o), nil
	case op.AlterColumn:
		return alterColumn(o), nil
	case op.CreateIndex:
		return []string{createIndex(o.Table, o.Index)}, nil
	case op.DropIndex:
		return dropIndex(current, o), nil
	case op.Execute:
		if o.Dialect != "" && o.Dialect != "mysql" {
			return nil, nil
		}
		return []string{o.SQL}, nil
	}
	return nil, fmt.Errorf("mysql: render %T: unsupported op", o)
}

// createTable renders the table with its primary key, indexes and
// foreign keys in one statement. Indexes go inline so that they exist
// before the foreign keys: a foreign key uses an index that leads with
// its columns instead of creating one of its own.
func createTable(t *schema.Table) (string, error) {
	var defs []string
	for _, c := range t.Columns {
		defs = append(defs, columnDef(c))
	}
	if t.PrimaryKey != nil && len(t.PrimaryKey.Columns) > 0 {
		defs = append(defs, "PRIMARY KEY ("+quoteList(t.PrimaryKey.Columns)+")")
	}
	for _, ix := range t.Indexes {
		defs = append(defs, indexDef(ix))
	}
	for _, fk := range t.ForeignKeys {
		if len(fk.RefColumns) == 0 {
			return "", fmt.Errorf("mysql: render create table %q: foreign key %q names no referenced columns", t.Name, fk.Name)
		}
		defs = append(defs, foreignKeyDef(fk))
	}
	stmt := fmt.Sprintf("CREATE TABLE %s (\n  %s\n)", quote(t.Name), strings.Join(defs, ",\n  "))
	if t.Comment != "" {
		stmt += " COMMENT = " + quoteString(t.Comment)
	}
	return stmt, nil
}

// columnDef renders a column definition. Nullable columns say NULL, so
// that a TIMESTAMP column is not made NOT NULL by the server's defaults.
func columnDef(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(quote(c.Name))
	b.WriteString(" ")
	b.WriteString(formatType(c.Type))
	if c.Nullable {
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	if c.Default != nil && !c.AutoIncrement {
		b.WriteString(" DEFAULT ")
		b.WriteString(formatDefault(c.Default))
	}
	if c.AutoIncrement {
		b.WriteString(" AUTO_INCREMENT")
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT ")
		b.WriteString(quoteString(c.Comment))
	}
	return b.String()
}

func indexDef(ix *schema.Index) string {
	s := "INDEX "
	if ix.Unique {
		s = "UNIQUE INDEX "
	}
	if ix.Name != "" {
		s += quote(ix.Name) + " "
	}
	return s + "(" + quoteList(ix.ColumnNames()) + ")"
}

func foreignKeyDef(fk *schema.ForeignKey) string {
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

func backfill(table, column string, value schema.Default) string {
	return fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", quote(table), quote(column), formatDefault(value), quote(column))
}

// addColumn adds the column in one statement, or, for a NOT NULL column
// with a Backfill, in three: add it nullable, fill the rows that hold
// NULL, make it NOT NULL.
func addColumn(o op.AddColumn) []string {
	c := o.Column
	if c.Nullable || o.Backfill == nil {
		return []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(c))}
	}
	nullable := c.Clone()
	nullable.Nullable = true
	return []string{
		fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", quote(o.Table), columnDef(nullable)),
		backfill(o.Table, c.Name, o.Backfill),
		fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", quote(o.Table), columnDef(c)),
	}
}

// dropColumn drops the column. Indexes of current that use it go in the
// same statement: MySQL would drop a single-column index by itself, but
// would shorten a multi-column one (MariaDB refuses for a unique one),
// where op.DropColumn.Apply drops them.
func dropColumn(current *schema.Schema, o op.DropColumn) []string {
	var clauses []string
	if t, ok := tableIn(current, o.Table); ok {
		for _, ix := range t.Indexes {
			if len(ix.Parts) > 1 && ix.HasColumn(o.Column.Name) {
				clauses = append(clauses, "DROP INDEX "+quote(ix.Name))
			}
		}
	}
	clauses = append(clauses, "DROP COLUMN "+quote(o.Column.Name))
	return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))}
}

// alterColumn restates the column whole with MODIFY COLUMN (CHANGE COLUMN
// when the name changes), after a backfill when it becomes NOT NULL.
func alterColumn(o op.AlterColumn) []string {
	var stmts []string
	if o.Backfill != nil && !o.To.Nullable {
		stmts = append(stmts, backfill(o.Table, o.From.Name, o.Backfill))
	}
	if o.From.Name != o.To.Name {
		return append(stmts, fmt.Sprintf("ALTER TABLE %s CHANGE COLUMN %s %s", quote(o.Table), quote(o.From.Name), columnDef(o.To)))
	}
	return append(stmts, fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", quote(o.Table), columnDef(o.To)))
}

// dropIndex drops the index. The server refuses to drop the last index
// that leads with a foreign key's columns, so when current shows that
// this is one, the index InnoDB would have made for the key (see
// fkIndexes) is added in the same statement.
func dropIndex(current *schema.Schema, o op.DropIndex) []string {
	drop := "DROP INDEX " + quote(o.Index.Name)
	if t, ok := tableIn(current, o.Table); ok {
		after := t.Clone()
		after.Indexes = slices.DeleteFunc(after.Indexes, func(ix *schema.Index) bool { return ix.Name == o.Index.Name })
		// Only keys the dropped index supported: any already without an
		// index in current are not this statement's business.
		before := fkIndexes(t)
		keep := slices.DeleteFunc(fkIndexes(after), func(ix *schema.Index) bool {
			return slices.ContainsFunc(before, func(b *schema.Index) bool { return slices.Equal(b.Parts, ix.Parts) })
		})
		if len(keep) > 0 {
			var clauses []string
			for _, ix := range keep {
				clauses = append(clauses, "ADD "+indexDef(ix))
			}
			clauses = append(clauses, drop)
			return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))}
		}
	}
	return []string{drop + " ON " + quote(o.Table)}
}

func tableIn(s *schema.Schema, name string) (*schema.Table, bool) {
	if s == nil {
		return nil, false
	}
	return s.Table(name)
}
