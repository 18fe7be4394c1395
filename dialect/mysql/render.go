package mysql

import (
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-go/strata/internal/sqlx"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// ErrNoEnumTypes is returned, wrapped with the op, for CreateEnum, DropEnum
// and AddEnumValue: MySQL has no named enum types. ENUM('a','b') is a
// column type here (RawType "enum('a','b')"); Canonical turns columns of a
// named enum type into such columns.
var ErrNoEnumTypes = errors.New("mysql: MySQL and MariaDB have no named enum types; ENUM('a','b') is a column type (schema.RawType), which Canonical makes of schema.EnumType columns")

// Render returns the statements of o, without trailing semicolons. It
// never touches a database. current, the schema before o, is optional but
// makes some ops more exact:
//
//   - DropColumn also drops the multi-column indexes that use the column
//     (as op.DropColumn.Apply does);
//   - DropIndex and DropPrimaryKey keep an index for a foreign key that
//     would otherwise lose its last one, and CreateIndex and AddPrimaryKey
//     drop it again; these two and AddForeignKey keep the indexes the
//     server would drop by itself (see fkeys.go);
//   - DropIndex and DropPrimaryKey drop the foreign keys of other tables
//     that reference the key, CreateIndex and AddPrimaryKey add them back
//     (see fkeys.go);
//   - AlterColumn between a generated and a regular column, or between
//     STORED and VIRTUAL, which the server cannot MODIFY, drops and adds
//     the column where it stands (see generated.go);
//   - DropCheck of an unnamed check finds its name by expression, and on
//     MariaDB restates a column whose check may be a column-level one;
//   - DropConstraint finds what kind of constraint the name is (foreign
//     key, check, index, primary key); without current it renders DROP
//     CONSTRAINT, which MySQL 8.0.19 accepts for every kind.
//   - AlterColumn that renames a column makes again the table's triggers
//     whose body names it (see renamedInTriggers).
func (d *Dialect) Render(current *schema.Schema, o op.Op) ([]string, error) {
	switch o := o.(type) {
	case op.CreateTable:
		stmt, err := d.createTable(o.Table)
		if err != nil {
			return nil, err
		}
		stmts := []string{stmt}
		// A table made again by a downgrade gets its triggers back; diff
		// creates a new table's triggers on their own, later.
		for _, tr := range o.Table.Triggers {
			stmts = append(stmts, triggerStatement(tr.Def))
		}
		return stmts, nil
	case op.DropTable:
		return []string{"DROP TABLE " + quote(o.Table.Name)}, nil
	case op.RenameTable:
		return []string{fmt.Sprintf("RENAME TABLE %s TO %s", quote(o.From), quote(o.To))}, nil
	case op.AlterTable:
		return d.alterTable(o), nil
	case op.AddColumn:
		return d.addColumn(current, o)
	case op.DropColumn:
		return d.dropColumn(current, o), nil
	case op.MoveColumn:
		return d.moveColumn(current, o)
	case op.SetComment:
		return d.setComment(current, o)
	case op.IgnoreIndex:
		word, ok := d.server.ignoredIndexes()
		if !ok {
			return nil, fmt.Errorf("mysql: render %s: this server cannot keep an index the optimizer ignores (MariaDB 10.6 and MySQL 8.0 can)", o)
		}
		state := word // IGNORED or INVISIBLE
		if !o.Index.Ignored {
			state = map[string]string{"IGNORED": "NOT IGNORED", "INVISIBLE": "VISIBLE"}[word]
		}
		return []string{fmt.Sprintf("ALTER TABLE %s ALTER INDEX %s %s", quote(o.Table), quote(o.Index.Name), state)}, nil
	case op.AlterColumn:
		stmts, err := d.alterColumn(current, o)
		if err != nil {
			return nil, err
		}
		return append(stmts, renamedInTriggers(current, o)...), nil
	case op.CreateIndex:
		return d.createIndexOp(current, o)
	case op.DropIndex:
		return d.dropIndex(current, o)
	case op.AddForeignKey:
		t, _ := tableIn(current, o.Table)
		stmt, err := d.addForeignKey(t, o.Table, o.ForeignKey)
		if err != nil {
			return nil, fmt.Errorf("mysql: render %s: %w", o, err)
		}
		return []string{stmt}, nil
	case op.DropForeignKey:
		fk := o.ForeignKey
		if t, ok := tableIn(current, o.Table); ok {
			i := slices.IndexFunc(t.ForeignKeys, func(c *schema.ForeignKey) bool {
				return fk.Name != "" && c.Name == fk.Name || fk.Name == "" && schema.FKString(c) == schema.FKString(fk)
			})
			if i >= 0 {
				fk = t.ForeignKeys[i]
			}
		}
		if absent(current, fk) {
			// Dropped already, with the key it referenced (see fkeys.go).
			return nil, nil
		}
		if fk.Name == "" {
			return nil, fmt.Errorf("mysql: render %s: the foreign key has no name and the current schema holds none like it", o)
		}
		return []string{fmt.Sprintf("ALTER TABLE %s DROP FOREIGN KEY %s", quote(o.Table), quote(fk.Name))}, nil
	case op.AddCheck:
		return []string{fmt.Sprintf("ALTER TABLE %s ADD %s", quote(o.Table), checkDef(o.Check))}, nil
	case op.DropCheck:
		return d.dropCheck(current, o)
	case op.DropPrimaryKey, op.AddPrimaryKey:
		return d.primaryKey(current, o)
	case op.DropConstraint:
		return d.dropConstraint(current, o)
	case op.RenameConstraint:
		return d.renameConstraint(current, o)
	case op.CreateEnum, op.DropEnum, op.AddEnumValue:
		return nil, fmt.Errorf("mysql: render %s: %w", o, ErrNoEnumTypes)
	case op.CreateView:
		def := strings.TrimSuffix(strings.TrimSpace(o.View.Def), ";")
		return []string{fmt.Sprintf("CREATE VIEW %s AS %s", quote(o.View.Name), def)}, nil
	case op.DropView:
		return []string{"DROP VIEW " + quote(o.View.Name)}, nil
	case op.CreateTrigger, op.DropTrigger:
		return renderTrigger(o)
	case op.CreateFunction, op.DropFunction, op.ReplaceFunction:
		return renderRoutine(o)
	case op.BulkInsert:
		return bulkInsert(o)
	case op.Execute:
		if o.Dialect != "" && o.Dialect != "mysql" {
			return nil, nil
		}
		return []string{o.SQL}, nil
	}
	return nil, fmt.Errorf("mysql: render %T: unsupported op", o)
}

// createTable renders the table with its primary key, indexes, checks and
// foreign keys in one statement, then its options. Indexes go inline so
// that they exist before the foreign keys: a foreign key uses an index
// that leads with its columns instead of creating one of its own.
func (d *Dialect) createTable(t *schema.Table) (string, error) {
	var defs []string
	for _, c := range t.Columns {
		def, err := d.columnDef(c)
		if err != nil {
			return "", fmt.Errorf("mysql: render create table %q: %w", t.Name, err)
		}
		defs = append(defs, def)
	}
	if t.PrimaryKey != nil && len(t.PrimaryKey.Columns) > 0 {
		defs = append(defs, "PRIMARY KEY ("+quoteList(t.PrimaryKey.Columns)+")"+commentOption(t.PrimaryKey.Comment))
	}
	for _, ix := range t.Indexes {
		def, err := d.indexDef(ix)
		if err != nil {
			return "", fmt.Errorf("mysql: render create table %q: %w", t.Name, err)
		}
		defs = append(defs, def)
	}
	for _, ck := range t.Checks {
		defs = append(defs, checkDef(ck))
	}
	for _, fk := range t.ForeignKeys {
		if len(fk.RefColumns) == 0 {
			return "", fmt.Errorf("mysql: render create table %q: foreign key %q names no referenced columns", t.Name, fk.Name)
		}
		defs = append(defs, foreignKeyDef(fk))
	}
	stmt := fmt.Sprintf("CREATE TABLE %s (\n  %s\n)", quote(t.Name), strings.Join(defs, ",\n  "))
	if t.Engine != "" {
		stmt += " ENGINE = " + t.Engine
	}
	if t.Charset != "" {
		stmt += " DEFAULT CHARSET = " + t.Charset
	}
	if t.Collation != "" {
		stmt += " COLLATE = " + t.Collation
	}
	if t.Comment != "" {
		stmt += " COMMENT = " + quoteString(t.Comment)
	}
	if t.Options != "" {
		stmt += " " + t.Options
	}
	if t.Partition != "" {
		stmt += "\n" + t.Partition
	}
	return stmt, nil
}

// alterTable sets the options that change. An option going back to the
// database's default is set to DEFAULT (charset, collation, ROW_FORMAT and
// the others of Options but the numbers that take 0, see optionChanges),
// to the server's default engine (probed by New; InnoDB for a zero
// Dialect), or to the empty comment.
func (d *Dialect) alterTable(o op.AlterTable) []string {
	var opts []string
	if o.From.Engine != o.To.Engine {
		e := o.To.Engine
		if e == "" {
			e = d.server.defaultEngine()
		}
		opts = append(opts, "ENGINE = "+e)
	}
	if o.From.Charset != o.To.Charset || o.From.Collation != o.To.Collation {
		cs, coll := o.To.Charset, o.To.Collation
		switch {
		case cs != "" && coll != "":
			opts = append(opts, "DEFAULT CHARSET = "+cs, "COLLATE = "+coll)
		case cs != "":
			opts = append(opts, "DEFAULT CHARSET = "+cs)
		case coll != "":
			opts = append(opts, "COLLATE = "+coll)
		default:
			opts = append(opts, "DEFAULT CHARSET = DEFAULT", "COLLATE = DEFAULT")
		}
	}
	if o.From.Comment != o.To.Comment {
		opts = append(opts, "COMMENT = "+quoteString(o.To.Comment))
	}
	opts = append(opts, optionChanges(o.From.Options, o.To.Options)...)
	var stmts []string
	if len(opts) > 0 {
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(opts, ", ")))
	}
	if o.From.Partition != o.To.Partition {
		// Partitioning changes whole, in a statement of its own.
		p := o.To.Partition
		if p == "" {
			p = "REMOVE PARTITIONING"
		}
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), p))
	}
	return stmts
}

// columnDef renders a column definition. Nullable columns say NULL, so
// that a TIMESTAMP column is not made NOT NULL by the server's defaults;
// generated columns say nothing on MariaDB, which refuses both.
func (d *Dialect) columnDef(c *schema.Column) (string, error) {
	if e, ok := c.Type.(schema.EnumType); ok {
		return "", fmt.Errorf("column %q: enum type %q: %w", c.Name, e.Name, ErrNoEnumTypes)
	}
	var b strings.Builder
	b.WriteString(quote(c.Name))
	b.WriteString(" ")
	b.WriteString(formatType(c.Type))
	if c.Collation != "" {
		b.WriteString(" COLLATE ")
		b.WriteString(c.Collation)
	}
	if g := c.Generated; g.Expr != "" {
		b.WriteString(" GENERATED ALWAYS AS (")
		b.WriteString(g.Expr)
		b.WriteString(")")
		if g.Stored {
			b.WriteString(" STORED")
		} else {
			b.WriteString(" VIRTUAL")
		}
		if !d.server.mariaDB {
			if c.Nullable {
				b.WriteString(" NULL")
			} else {
				b.WriteString(" NOT NULL")
			}
		}
		if c.Invisible {
			b.WriteString(" INVISIBLE")
		}
	} else {
		if c.Nullable {
			b.WriteString(" NULL")
		} else {
			b.WriteString(" NOT NULL")
		}
		if c.Invisible {
			b.WriteString(" INVISIBLE")
		}
		if c.Default != nil && !c.AutoIncrement {
			b.WriteString(" DEFAULT ")
			b.WriteString(formatDefault(c.Default))
		}
		if c.AutoIncrement {
			b.WriteString(" AUTO_INCREMENT")
		}
		if c.OnUpdate != "" {
			b.WriteString(" ON UPDATE ")
			b.WriteString(c.OnUpdate)
		}
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT ")
		b.WriteString(quoteString(c.Comment))
	}
	if c.Check != "" {
		b.WriteString(" CHECK (" + c.Check + ")")
	}
	return b.String(), nil
}

// indexKind is the keyword before INDEX: UNIQUE, FULLTEXT, SPATIAL or
// nothing. Other methods (HASH) go in a USING clause (indexUsing).
func indexKind(ix *schema.Index) string {
	switch m := strings.ToUpper(ix.Method); {
	case m == "FULLTEXT" || m == "SPATIAL":
		return m + " "
	case ix.Unique:
		return "UNIQUE "
	}
	return ""
}

func indexUsing(ix *schema.Index) string {
	switch m := strings.ToUpper(ix.Method); m {
	case "", "FULLTEXT", "SPATIAL":
		return ""
	default:
		return " USING " + m
	}
}

// indexParts renders the keys of an index: `col`, `col`(10), `col` DESC,
// or (expr) for a functional key part (MySQL 8.0.13).
func (d *Dialect) indexParts(ix *schema.Index) (string, error) {
	if ix.Where != "" {
		return "", fmt.Errorf("index %q: MySQL has no partial indexes (WHERE %s)", ix.Name, ix.Where)
	}
	var parts []string
	for _, p := range ix.Parts {
		var s string
		if p.Column == "" {
			if !d.server.functionalIndexes() {
				return "", fmt.Errorf("index %q: key part (%s): this server has no functional key parts (MySQL 8.0.13 has)", ix.Name, p.Expr)
			}
			s = "(" + p.Expr + ")"
		} else {
			s = quote(p.Column)
			if p.Prefix > 0 {
				s += "(" + strconv.Itoa(p.Prefix) + ")"
			}
		}
		if p.Desc {
			s += " DESC"
		}
		parts = append(parts, s)
	}
	return "(" + strings.Join(parts, ", ") + ")", nil
}

func (d *Dialect) indexDef(ix *schema.Index) (string, error) {
	parts, err := d.indexParts(ix)
	if err != nil {
		return "", err
	}
	opts, err := d.indexOptions(ix)
	if err != nil {
		return "", err
	}
	s := indexKind(ix) + "INDEX "
	if ix.Name != "" {
		s += quote(ix.Name) + " "
	}
	return s + parts + indexUsing(ix) + opts, nil
}

func (d *Dialect) createIndex(table string, ix *schema.Index) (string, error) {
	parts, err := d.indexParts(ix)
	if err != nil {
		return "", fmt.Errorf("mysql: render create index on %q: %w", table, err)
	}
	opts, err := d.indexOptions(ix)
	if err != nil {
		return "", fmt.Errorf("mysql: render create index on %q: %w", table, err)
	}
	return fmt.Sprintf("CREATE %sINDEX %s ON %s %s%s%s", indexKind(ix), quote(ix.Name), quote(table), parts, indexUsing(ix), opts), nil
}

// indexOptions renders what follows an index's keys: its COMMENT, and
// IGNORED (MariaDB) or INVISIBLE (MySQL) for an index the optimizer
// leaves aside.
func (d *Dialect) indexOptions(ix *schema.Index) (string, error) {
	s := commentOption(ix.Comment)
	if ix.Ignored {
		word, ok := d.server.ignoredIndexes()
		if !ok {
			return "", fmt.Errorf("index %q: this server cannot keep an index the optimizer ignores (MariaDB 10.6 and MySQL 8.0 can)", ix.Name)
		}
		s += " " + word
	}
	return s, nil
}

// commentOption is the COMMENT option of an index or key, or nothing.
func commentOption(comment string) string {
	if comment == "" {
		return ""
	}
	return " COMMENT " + quoteString(comment)
}

func checkDef(ck *schema.Check) string {
	s := ""
	if ck.Name != "" {
		s = "CONSTRAINT " + quote(ck.Name) + " "
	}
	return s + "CHECK (" + ck.Expr + ")"
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

func backfill(table, column string, value schema.Default) string {
	return fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", quote(table), quote(column), formatDefault(value), quote(column))
}

// addColumn adds the column at its Position (AFTER, FIRST) in one
// statement, or, for a NOT NULL column with a Backfill, in three: add it
// nullable, fill the rows that hold NULL, make it NOT NULL.
func (d *Dialect) addColumn(current *schema.Schema, o op.AddColumn) ([]string, error) {
	c := o.Column
	if c.AutoIncrement {
		// AUTO_INCREMENT needs a key on the column, which the primary key
		// added after this op brings; AddPrimaryKey then restores it.
		if t, ok := tableIn(current, o.Table); !ok || t.PrimaryKey == nil || !slices.Contains(t.PrimaryKey.Columns, c.Name) {
			c = c.Clone()
			c.AutoIncrement = false
		}
	}
	def, err := d.columnDef(c)
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	place := placeClause(o.Position)
	if c.Nullable || o.Backfill == nil || c.Generated.Expr != "" {
		return []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s%s", quote(o.Table), def, place)}, nil
	}
	nullable := c.Clone()
	nullable.Nullable = true
	nullDef, _ := d.columnDef(nullable)
	return []string{
		fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s%s", quote(o.Table), nullDef, place),
		backfill(o.Table, c.Name, o.Backfill),
		fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", quote(o.Table), def),
	}, nil
}

// dropColumn drops the column. Indexes of current that use it go in the
// same statement: MySQL would drop a single-column index by itself, but
// would shorten a multi-column one (MariaDB refuses for a unique one),
// where op.DropColumn.Apply drops them. So do the checks of current that
// refer to it, which the server would refuse to keep (on MariaDB a check
// on that column alone may be column-level and go with the column, hence
// IF EXISTS).
func (d *Dialect) dropColumn(current *schema.Schema, o op.DropColumn) []string {
	var clauses []string
	if t, ok := tableIn(current, o.Table); ok {
		for _, ix := range t.Indexes {
			if len(ix.Parts) > 1 && ix.HasColumn(o.Column.Name) {
				clauses = append(clauses, "DROP INDEX "+quote(ix.Name))
			}
		}
		for _, ck := range t.Checks {
			switch {
			case ck.Name == "" || !refersTo(ck.Expr, o.Column.Name):
			case d.server.mariaDB && onlyColumn(ck.Expr, o.Column.Name):
				clauses = append(clauses, "DROP CONSTRAINT IF EXISTS "+quote(ck.Name))
			default:
				clauses = append(clauses, d.dropCheckClause(ck.Name))
			}
		}
	}
	clauses = append(clauses, "DROP COLUMN "+quote(o.Column.Name))
	return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))}
}

// alterColumn restates the column whole with MODIFY COLUMN (CHANGE COLUMN
// when the name changes too), after a backfill when it becomes NOT NULL;
// a change the server cannot MODIFY (generated to regular and back,
// STORED to VIRTUAL and back) replaces the column (see generated.go).
// A change of name alone is RENAME COLUMN where the server has it, which
// keeps everything else. On MariaDB, restating a column drops its
// column-level check without a word, so the checks of current on that
// column alone are dropped and added back around it (see restateColumn).
func (d *Dialect) alterColumn(current *schema.Schema, o op.AlterColumn) ([]string, error) {
	if recreate, keepValues := d.recreates(o.From, o.To); recreate {
		return d.recreateColumn(current, o, keepValues)
	}
	var stmts []string
	if o.Backfill != nil && !o.To.Nullable && o.From.Nullable {
		stmts = append(stmts, backfill(o.Table, o.From.Name, o.Backfill))
	}
	if o.From.Name != o.To.Name && schema.ColumnDifference(o.From, o.To) == "" && d.server.renameColumn() {
		return append(stmts, fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", quote(o.Table), quote(o.From.Name), quote(o.To.Name))), nil
	}
	def, err := d.columnDef(o.To)
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	clause := "MODIFY COLUMN " + def
	if o.From.Name != o.To.Name {
		clause = "CHANGE COLUMN " + quote(o.From.Name) + " " + def
	}
	clauses := d.restateColumn(current, o.Table, o.From.Name, o.To.Name, clause, "")
	return append(stmts, fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))), nil
}

// placeClause is the clause that places a column: " FIRST", " AFTER `x`",
// or nothing for the end.
func placeClause(p op.Position) string {
	switch {
	case p.First:
		return " FIRST"
	case p.After != "":
		return " AFTER " + quote(p.After)
	}
	return ""
}

// moveColumn restates the column where it is to go (MODIFY COLUMN …
// AFTER, or FIRST), keeping its definition as current has it, and on
// MariaDB its checks (see restateColumn). The end of the table is after
// the last column of current.
func (d *Dialect) moveColumn(current *schema.Schema, o op.MoveColumn) ([]string, error) {
	c, to := o.Column, o.To
	if t, ok := tableIn(current, o.Table); ok {
		if cur, ok := t.Column(c.Name); ok {
			c = cur
		}
		if to.IsEnd() && len(t.Columns) > 0 && t.Columns[len(t.Columns)-1].Name != c.Name {
			to.After = t.Columns[len(t.Columns)-1].Name
		}
	}
	if to.IsEnd() {
		return nil, fmt.Errorf("mysql: render %s: the current schema is needed to move a column to the end", o)
	}
	def, err := d.columnDef(c)
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	clauses := d.restateColumn(current, o.Table, c.Name, c.Name, "MODIFY COLUMN "+def+placeClause(to), "")
	return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))}, nil
}

// restateColumn returns the ALTER TABLE clauses that run clause (a MODIFY
// or CHANGE of column from, named to afterwards) without losing checks.
// On MariaDB a column-level CHECK belongs to the column definition, so a
// MODIFY or CHANGE drops it silently, and DROP CONSTRAINT cannot reach it.
// Inspect cannot tell such a check from a table-level one, so every check
// of current that names column from alone is dropped first (DROP
// CONSTRAINT IF EXISTS reaches the table-level ones), then added back as
// a table-level check (references renamed to to), but for the one named
// except. Elsewhere, and without current, clause stands alone.
func (d *Dialect) restateColumn(current *schema.Schema, table, from, to, clause, except string) []string {
	t, ok := tableIn(current, table)
	if !d.server.mariaDB || !ok {
		return []string{clause}
	}
	var drops, adds []string
	if except != "" && !slices.ContainsFunc(t.Checks, func(ck *schema.Check) bool { return ck.Name == except && onlyColumn(ck.Expr, from) }) {
		drops = append(drops, "DROP CONSTRAINT IF EXISTS "+quote(except))
	}
	for _, ck := range t.Checks {
		if ck.Name == "" || !onlyColumn(ck.Expr, from) {
			continue
		}
		drops = append(drops, "DROP CONSTRAINT IF EXISTS "+quote(ck.Name))
		if ck.Name != except {
			adds = append(adds, "ADD "+checkDef(&schema.Check{Name: ck.Name, Expr: renameColumn(ck.Expr, from, to)}))
		}
	}
	return append(append(drops, clause), adds...)
}

// onlyColumn reports whether the only name expr refers to is column.
func onlyColumn(expr, column string) bool {
	found, other := false, false
	scanSQL(expr, func(kind byte, tok string) {
		if kind == '`' {
			if tok == quote(column) {
				found = true
			} else {
				other = true
			}
		}
	})
	return found && !other
}

// refersTo reports whether expr names column.
func refersTo(expr, column string) bool {
	found := false
	scanSQL(expr, func(kind byte, tok string) {
		found = found || kind == '`' && tok == quote(column)
	})
	return found
}

// renameColumn rewrites the references to column from in expr.
func renameColumn(expr, from, to string) string {
	if from == to {
		return expr
	}
	var b strings.Builder
	scanSQL(expr, func(kind byte, tok string) {
		if kind == '`' && tok == quote(from) {
			tok = quote(to)
		}
		b.WriteString(tok)
	})
	return b.String()
}

// dropIndex drops the index. When current shows that foreign keys use it,
// the statement keeps them whole (see fkeys.go): the foreign keys of other
// tables that reference the table through this index alone are dropped
// first, and a foreign key of the table that loses its last index gets in
// the same statement the index InnoDB would have made for it (see
// fkIndexes), which the statement that later brings another index drops.
func (d *Dialect) dropIndex(current *schema.Schema, o op.DropIndex) ([]string, error) {
	drop := "DROP INDEX " + quote(o.Index.Name)
	t, ok := tableIn(current, o.Table)
	if !ok {
		return []string{drop + " ON " + quote(o.Table)}, nil
	}
	after := t.Clone()
	after.Indexes = slices.DeleteFunc(after.Indexes, func(ix *schema.Index) bool { return ix.Name == o.Index.Name })
	lost, _ := referencing(current, t, after)
	stmts := dropForeignKeys(lost)
	added, _ := placeholders(t, after)
	if len(added) == 1 && added[0].Name == o.Index.Name && schema.IndexEqual(added[0], o.Index) {
		// The index is its own placeholder: it stays as such.
		return stmts, nil
	}
	if len(added) == 0 {
		return append(stmts, drop+" ON "+quote(o.Table)), nil
	}
	var clauses []string
	for _, ix := range added {
		def, err := d.indexDef(ix)
		if err != nil {
			return nil, fmt.Errorf("mysql: render %s: %w", o, err)
		}
		clauses = append(clauses, "ADD "+def)
	}
	clauses = append(clauses, drop)
	return append(stmts, fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))), nil
}

// createIndexOp creates the index, with CREATE INDEX where current shows
// nothing more to do. Otherwise the statement is an ALTER TABLE that also
// drops the placeholders of foreign keys the new index serves and keeps
// the indexes the server would drop for it (see fkeys.go); the foreign
// keys of other tables waiting for such an index are then added back.
func (d *Dialect) createIndexOp(current *schema.Schema, o op.CreateIndex) ([]string, error) {
	t, ok := tableIn(current, o.Table)
	if !ok {
		s, err := d.createIndex(o.Table, o.Index)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	after := t.Clone()
	after.Indexes = append(slices.DeleteFunc(after.Indexes, func(ix *schema.Index) bool { return ix.Name == o.Index.Name }), o.Index)
	_, stale := placeholders(t, after)
	var clauses, dropped []string
	exists := false
	for _, ix := range stale {
		if ix.Name == o.Index.Name && schema.IndexEqual(ix, o.Index) {
			exists = true // the placeholder is the index wanted
			continue
		}
		clauses = append(clauses, "DROP INDEX "+quote(ix.Name))
		dropped = append(dropped, ix.Name)
	}
	if !exists {
		keep, err := d.keepGenerated(t, wholeLead(o.Index), "", dropped...)
		if err != nil {
			return nil, fmt.Errorf("mysql: render %s: %w", o, err)
		}
		clauses = append(clauses, keep...)
	}
	var stmts []string
	if !exists && len(clauses) == 0 {
		s, err := d.createIndex(o.Table, o.Index)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	} else {
		if !exists {
			def, err := d.indexDef(o.Index)
			if err != nil {
				return nil, fmt.Errorf("mysql: render %s: %w", o, err)
			}
			clauses = append(clauses, "ADD "+def)
		}
		if len(clauses) > 0 {
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", ")))
		}
	}
	_, regained := referencing(current, t, after)
	adds, err := d.addForeignKeys(regained)
	if err != nil {
		return nil, fmt.Errorf("mysql: render %s: %w", o, err)
	}
	return append(stmts, adds...), nil
}

// wholeLead returns the columns ix begins with, up to its first prefix or
// expression part: the ones that make it a key the server compares with
// the indexes it generated.
func wholeLead(ix *schema.Index) []string {
	var cols []string
	for _, p := range ix.Parts {
		if p.Column == "" || p.Prefix > 0 {
			break
		}
		cols = append(cols, p.Column)
	}
	return cols
}

// dropCheckClause is how the server drops a check: DROP CONSTRAINT on
// MariaDB, DROP CHECK on MySQL 8.
func (d *Dialect) dropCheckClause(name string) string {
	if d.server.mariaDB {
		return "DROP CONSTRAINT " + quote(name)
	}
	return "DROP CHECK " + quote(name)
}

// dropCheck drops a check by name, or, for an unnamed one, by the name of
// the check of current with the same expression. On MariaDB, a check on
// one column of current may be a column-level one, which DROP CONSTRAINT
// cannot reach: the column is then restated without it, keeping its other
// checks (see restateColumn).
func (d *Dialect) dropCheck(current *schema.Schema, o op.DropCheck) ([]string, error) {
	name := o.Check.Name
	t, haveTable := tableIn(current, o.Table)
	if name == "" && haveTable {
		if i := slices.IndexFunc(t.Checks, func(c *schema.Check) bool { return c.Expr == o.Check.Expr }); i >= 0 {
			name = t.Checks[i].Name
		}
	}
	if name == "" {
		return nil, fmt.Errorf("mysql: render %s: the check has no name and the current schema holds none like it", o)
	}
	if d.server.mariaDB && haveTable {
		for _, c := range t.Columns {
			if !onlyColumn(o.Check.Expr, c.Name) {
				continue
			}
			def, err := d.columnDef(c)
			if err != nil {
				return nil, fmt.Errorf("mysql: render %s: %w", o, err)
			}
			clauses := d.restateColumn(current, o.Table, c.Name, c.Name, "MODIFY COLUMN "+def, name)
			return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), strings.Join(clauses, ", "))}, nil
		}
	}
	return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), d.dropCheckClause(name))}, nil
}

// dropConstraint drops what the name stands for in current, looked up in
// the order op.DropConstraint.Apply uses: primary key, foreign key, check,
// index. PRIMARY always means the primary key. A primary key or index
// found in current is dropped as DropPrimaryKey and DropIndex do, keeping
// foreign keys whole.
func (d *Dialect) dropConstraint(current *schema.Schema, o op.DropConstraint) ([]string, error) {
	alter := func(clause string) []string {
		return []string{fmt.Sprintf("ALTER TABLE %s %s", quote(o.Table), clause)}
	}
	t, ok := tableIn(current, o.Table)
	if !ok {
		if strings.EqualFold(o.Name, "PRIMARY") {
			return alter("DROP PRIMARY KEY"), nil
		}
		return alter("DROP CONSTRAINT " + quote(o.Name)), nil
	}
	if t.PrimaryKey != nil && (strings.EqualFold(o.Name, "PRIMARY") || t.PrimaryKey.Name == o.Name) {
		return d.primaryKey(current, op.DropPrimaryKey{Table: o.Table, PrimaryKey: t.PrimaryKey})
	}
	if strings.EqualFold(o.Name, "PRIMARY") {
		return alter("DROP PRIMARY KEY"), nil
	}
	// Through the ops' own renderings, so that a foreign key already
	// dropped around its referenced key is not dropped twice.
	if i := slices.IndexFunc(t.ForeignKeys, func(fk *schema.ForeignKey) bool { return fk.Name == o.Name }); i >= 0 {
		return d.Render(current, op.DropForeignKey{Table: o.Table, ForeignKey: t.ForeignKeys[i]})
	}
	if i := slices.IndexFunc(t.Checks, func(c *schema.Check) bool { return c.Name == o.Name }); i >= 0 {
		return d.Render(current, op.DropCheck{Table: o.Table, Check: t.Checks[i]})
	}
	if ix, ok := t.Index(o.Name); ok {
		return d.dropIndex(current, op.DropIndex{Table: o.Table, Index: ix})
	}
	return alter("DROP CONSTRAINT " + quote(o.Name)), nil
}

// bulkInsertBatch is the number of rows per INSERT statement.
const bulkInsertBatch = 500

// bulkInsert writes the rows as multi-row INSERT statements of at most
// bulkInsertBatch rows, values as literals (see literal).
func bulkInsert(o op.BulkInsert) ([]string, error) {
	if len(o.Columns) == 0 {
		return nil, fmt.Errorf("mysql: render %s: no columns", o)
	}
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", quote(o.Table), quoteList(o.Columns))
	var stmts []string
	for start := 0; start < len(o.Rows); start += bulkInsertBatch {
		var b strings.Builder
		b.WriteString(head)
		for i, row := range o.Rows[start:min(start+bulkInsertBatch, len(o.Rows))] {
			if len(row) != len(o.Columns) {
				return nil, fmt.Errorf("mysql: render %s: row %d has %d values for %d columns", o, start+i+1, len(row), len(o.Columns))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				lit, err := literal(v)
				if err != nil {
					return nil, fmt.Errorf("mysql: render %s: row %d, column %q: %w", o, start+i+1, o.Columns[j], err)
				}
				b.WriteString(lit)
			}
			b.WriteString(")")
		}
		stmts = append(stmts, b.String())
	}
	return stmts, nil
}

// literal writes a Go value as a MySQL literal: nil as NULL, bools as TRUE
// and FALSE, numbers in Go's shortest form, strings quoted (quoteString),
// []byte as X'…', time.Time in UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' (the
// driver's default loc is UTC too). A driver.Valuer gives its value first.
func literal(v any) (string, error) {
	if val, ok := v.(driver.Valuer); ok {
		dv, err := val.Value()
		if err != nil {
			return "", err
		}
		v = dv
	}
	if s, ok := sqlx.Integer(v); ok {
		return s, nil
	}
	switch v := v.(type) {
	case nil:
		return "NULL", nil
	case bool:
		if v {
			return "TRUE", nil
		}
		return "FALSE", nil
	case float32:
		return formatFloat(float64(v), 32)
	case float64:
		return formatFloat(v, 64)
	case string:
		return quoteString(v), nil
	case []byte:
		return "X'" + strings.ToUpper(hex.EncodeToString(v)) + "'", nil
	case time.Time:
		return "'" + v.UTC().Format("2006-01-02 15:04:05.000000") + "'", nil
	}
	return "", fmt.Errorf("no literal for a Go %T", v)
}

func formatFloat(f float64, bits int) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("MySQL has no literal for %v", f)
	}
	return strconv.FormatFloat(f, 'g', -1, bits), nil
}

func tableIn(s *schema.Schema, name string) (*schema.Table, bool) {
	if s == nil {
		return nil, false
	}
	return s.Table(name)
}

// primaryKey drops or adds a primary key. An AUTO_INCREMENT column must be
// a key, so such a column of the key loses AUTO_INCREMENT before the drop
// and gets it back after the add (the table as it stands says which).
// Foreign keys are kept whole as for indexes (see dropIndex and
// createIndexOp): those of other tables that reference the key alone are
// dropped before it and added back after a new key they can use, and the
// table's own foreign keys that the key served get a placeholder index.
func (d *Dialect) primaryKey(current *schema.Schema, o op.Op) ([]string, error) {
	table, cols, comment, drop := "", []string(nil), "", false
	switch o := o.(type) {
	case op.DropPrimaryKey:
		table, cols, drop = o.Table, o.PrimaryKey.Columns, true
	case op.AddPrimaryKey:
		table, cols, comment = o.Table, o.PrimaryKey.Columns, o.PrimaryKey.Comment
	}
	var (
		auto           []*schema.Column
		lost, regained []fkRef
		added, stale   []*schema.Index
		t, haveTable   = tableIn(current, table)
	)
	if haveTable {
		for _, name := range cols {
			if c, ok := t.Column(name); ok && c.AutoIncrement {
				auto = append(auto, c)
			}
		}
		after := t.Clone()
		after.PrimaryKey = nil
		if !drop {
			after.PrimaryKey = &schema.PrimaryKey{Name: "PRIMARY", Columns: slices.Clone(cols)}
		}
		lost, regained = referencing(current, t, after)
		added, stale = placeholders(t, after)
	}
	modify := func(c *schema.Column, autoIncrement bool) (string, error) {
		cp := c.Clone()
		cp.AutoIncrement, cp.Nullable = autoIncrement, false
		def, err := d.columnDef(cp)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", quote(table), def), nil
	}
	if drop {
		stmts := dropForeignKeys(lost)
		for _, c := range auto {
			s, err := modify(c, false)
			if err != nil {
				return nil, err
			}
			stmts = append(stmts, s)
		}
		var clauses []string
		for _, ix := range added {
			def, err := d.indexDef(ix)
			if err != nil {
				return nil, err
			}
			clauses = append(clauses, "ADD "+def)
		}
		clauses = append(clauses, "DROP PRIMARY KEY")
		return append(stmts, fmt.Sprintf("ALTER TABLE %s %s", quote(table), strings.Join(clauses, ", "))), nil
	}
	var clauses, dropped []string
	for _, ix := range stale {
		clauses = append(clauses, "DROP INDEX "+quote(ix.Name))
		dropped = append(dropped, ix.Name)
	}
	keep, err := d.keepGenerated(t, cols, "", dropped...)
	if err != nil {
		return nil, err
	}
	clauses = append(append(clauses, keep...), "ADD PRIMARY KEY ("+quoteList(cols)+")"+commentOption(comment))
	stmts := []string{fmt.Sprintf("ALTER TABLE %s %s", quote(table), strings.Join(clauses, ", "))}
	for _, c := range auto {
		s, err := modify(c, true)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s)
	}
	adds, err := d.addForeignKeys(regained)
	if err != nil {
		return nil, err
	}
	return append(stmts, adds...), nil
}
