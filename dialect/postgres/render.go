package postgres

import (
	"encoding/hex"
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

// Render returns the statements of o, without trailing semicolons.
// PostgreSQL alters tables in place; current, the schema before o, is
// only read to name what an op leaves unnamed (a foreign key or check
// given by content, DropConstraint's kind of object) and may be nil
// otherwise. Rendering never touches a database.
//
// MySQL's table options (Engine, Charset, Collation) and Column.OnUpdate
// have no PostgreSQL form and are ignored, as Canonical clears them.
func (d Dialect) Render(current *schema.Schema, o op.Op) ([]string, error) {
	stmts, err := d.render(current, o)
	if err != nil {
		return nil, fmt.Errorf("postgres: render %s: %w", o, err)
	}
	return stmts, nil
}

func (d Dialect) render(current *schema.Schema, o op.Op) ([]string, error) {
	if stmts, ok, err := renderObject(o); ok {
		return stmts, err
	}
	if stmts, ok, err := renderTypes(o); ok {
		return stmts, err
	}
	switch o := o.(type) {
	case op.CreateTable:
		if o.Table == nil {
			return nil, fmt.Errorf("no table")
		}
		return createTable(o.Table)
	case op.DropTable:
		if o.Table == nil {
			return nil, fmt.Errorf("no table")
		}
		return []string{"DROP TABLE " + quote(o.Table.Name)}, nil
	case op.RenameTable:
		if o.From == "" || o.To == "" {
			return nil, fmt.Errorf("needs both From and To")
		}
		return []string{fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quote(o.From), quote(o.To))}, nil
	case op.RenameConstraint:
		return renameConstraint(current, o)
	case op.AlterTable:
		// Only the comment exists on PostgreSQL.
		if o.From.Comment == o.To.Comment {
			return nil, nil
		}
		return []string{tableComment(o.Table, o.To.Comment)}, nil
	case op.AddColumn:
		if o.Column == nil {
			return nil, fmt.Errorf("no column")
		}
		return addColumn(o)
	case op.MoveColumn:
		return nil, fmt.Errorf("PostgreSQL cannot move a column short of rewriting the table; a column stays where it was added")
	case op.IgnoreIndex:
		return nil, fmt.Errorf("PostgreSQL has no index the planner ignores")
	case op.DropColumn:
		if o.Column == nil {
			return nil, fmt.Errorf("no column")
		}
		return []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", quote(o.Table), quote(o.Column.Name))}, nil
	case op.AlterColumn:
		if o.From == nil || o.To == nil {
			return nil, fmt.Errorf("needs both From and To")
		}
		return d.alterColumn(o)
	case op.CreateIndex:
		if o.Index == nil || len(o.Index.Parts) == 0 {
			return nil, fmt.Errorf("no index keys")
		}
		if o.Index.Constraint {
			def, err := uniqueConstraint(o.Index)
			if err != nil {
				return nil, err
			}
			return append([]string{"ALTER TABLE " + quote(o.Table) + " ADD " + def}, indexComment(o.Table, o.Index)...), nil
		}
		s, err := createIndex(o.Table, o.Index)
		if err != nil {
			return nil, err
		}
		return append([]string{s}, indexComment(o.Table, o.Index)...), nil
	case op.DropIndex:
		if o.Index == nil {
			return nil, fmt.Errorf("no index")
		}
		return dropIndex(current, o.Table, o.Index)
	case op.AddForeignKey:
		if o.ForeignKey == nil || len(o.ForeignKey.Columns) == 0 {
			return nil, fmt.Errorf("no foreign key columns")
		}
		return append([]string{"ALTER TABLE " + quote(o.Table) + " ADD " + foreignKey(o.ForeignKey)},
			constraintComment(o.Table, o.ForeignKey.Name, o.ForeignKey.Comment)...), nil
	case op.DropForeignKey:
		if o.ForeignKey == nil {
			return nil, fmt.Errorf("no foreign key")
		}
		name := o.ForeignKey.Name
		if name == "" {
			name = foreignKeyName(current, o.Table, o.ForeignKey)
		}
		if name == "" {
			return nil, fmt.Errorf("the foreign key has no name and no key of %q in the current schema has its columns and reference", o.Table)
		}
		return []string{dropConstraint(o.Table, name)}, nil
	case op.AddCheck:
		if o.Check == nil || strings.TrimSpace(o.Check.Expr) == "" {
			return nil, fmt.Errorf("no check expression")
		}
		return append([]string{"ALTER TABLE " + quote(o.Table) + " ADD " + check(o.Check)},
			constraintComment(o.Table, o.Check.Name, o.Check.Comment)...), nil
	case op.DropCheck:
		if o.Check == nil {
			return nil, fmt.Errorf("no check")
		}
		name := o.Check.Name
		if name == "" {
			name = checkName(current, o.Table, o.Check.Expr)
		}
		if name == "" {
			return nil, fmt.Errorf("the check has no name and no check of %q in the current schema has its expression", o.Table)
		}
		return []string{dropConstraint(o.Table, name)}, nil
	case op.DropPrimaryKey:
		name := o.PrimaryKey.Name
		if t, ok := tableIn(current, o.Table); ok && t.PrimaryKey != nil && t.PrimaryKey.Name != "" {
			name = t.PrimaryKey.Name
		}
		if name == "" {
			name = objectName(o.Table, "", "pkey")
		}
		return []string{dropConstraint(o.Table, name)}, nil
	case op.AddPrimaryKey:
		s := "ALTER TABLE " + quote(o.Table) + " ADD "
		if o.PrimaryKey.Name != "" {
			s += "CONSTRAINT " + quote(o.PrimaryKey.Name) + " "
		}
		return append([]string{s + "PRIMARY KEY (" + quoteList(o.PrimaryKey.Columns) + ")"},
			constraintComment(o.Table, o.PrimaryKey.Name, o.PrimaryKey.Comment)...), nil
	case op.DropConstraint:
		if o.Name == "" {
			return nil, fmt.Errorf("no constraint name")
		}
		if t, ok := tableIn(current, o.Table); ok {
			if ix, ok := t.Index(o.Name); ok && !ix.Constraint {
				return []string{"DROP INDEX " + quote(o.Name)}, nil
			}
		}
		return []string{dropConstraint(o.Table, o.Name)}, nil
	case op.ReplaceEnum:
		return replaceEnum(current, o), nil
	case op.CreateEnum:
		if o.Enum == nil {
			return nil, fmt.Errorf("no enum")
		}
		values := make([]string, len(o.Enum.Values))
		for i, v := range o.Enum.Values {
			values[i] = quoteString(v)
		}
		stmts := []string{fmt.Sprintf("CREATE TYPE %s AS ENUM (%s)", quote(o.Enum.Name), strings.Join(values, ", "))}
		if o.Enum.Comment != "" {
			stmts = append(stmts, comment("TYPE "+quote(o.Enum.Name), o.Enum.Comment))
		}
		return stmts, nil
	case op.DropEnum:
		if o.Enum == nil {
			return nil, fmt.Errorf("no enum")
		}
		return []string{"DROP TYPE " + quote(o.Enum.Name)}, nil
	case op.AddEnumValue:
		// Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a
		// transaction block at all. From 12 on it can, but the new value
		// cannot be used until the transaction commits: a revision that
		// adds a value and then writes it must opt out of the transaction
		// (-- strata:no-transaction) or use the value in a later revision.
		if o.Enum == "" || o.Value == "" {
			return nil, fmt.Errorf("needs the enum and the value")
		}
		s := fmt.Sprintf("ALTER TYPE %s ADD VALUE %s", quote(o.Enum), quoteString(o.Value))
		if o.After != "" {
			s += " AFTER " + quoteString(o.After)
		}
		return []string{s}, nil
	case op.CreateView:
		if o.View == nil || strings.TrimSpace(o.View.Def) == "" {
			return nil, fmt.Errorf("no view definition")
		}
		stmts := []string{fmt.Sprintf("CREATE VIEW %s AS %s", quote(o.View.Name), viewDef(o.View.Def))}
		if o.View.Comment != "" {
			stmts = append(stmts, comment("VIEW "+quote(o.View.Name), o.View.Comment))
		}
		for _, tr := range o.View.Triggers {
			stmts = append(stmts, tr.Def)
		}
		return stmts, nil
	case op.DropView:
		if o.View == nil {
			return nil, fmt.Errorf("no view")
		}
		return []string{"DROP VIEW " + quote(o.View.Name)}, nil
	case op.BulkInsert:
		return bulkInsert(o)
	case op.SetComment:
		return setComment(current, o)
	case op.Execute:
		if o.Dialect != "" && o.Dialect != "postgres" {
			return nil, nil
		}
		sql := strings.TrimSuffix(strings.TrimSpace(o.SQL), ";")
		if strings.TrimSpace(sql) == "" {
			return nil, nil
		}
		return []string{sql}, nil
	}
	return nil, fmt.Errorf("unsupported op %T", o)
}

func tableIn(s *schema.Schema, name string) (*schema.Table, bool) {
	if s == nil {
		return nil, false
	}
	return s.Table(name)
}

// foreignKeyName finds the name of a foreign key of table in s by its
// content.
func foreignKeyName(s *schema.Schema, table string, fk *schema.ForeignKey) string {
	t, ok := tableIn(s, table)
	if !ok {
		return ""
	}
	want := schema.FKString(fk)
	for _, other := range t.ForeignKeys {
		if schema.FKString(other) == want {
			return other.Name
		}
	}
	return ""
}

// checkName finds the name of a check of table in s by its expression.
func checkName(s *schema.Schema, table, expr string) string {
	t, ok := tableIn(s, table)
	if !ok {
		return ""
	}
	for _, c := range t.Checks {
		if c.Expr == expr || c.Expr == canonicalExpr(expr) || checkExpr(c.Expr) == checkExpr(expr) {
			return c.Name
		}
	}
	return ""
}

func dropConstraint(table, name string) string {
	return fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", quote(table), quote(name))
}

// createTable renders CREATE TABLE with the primary key, UNIQUE
// constraints, checks and foreign keys as table constraints, then the
// table's other indexes and the comments.
func createTable(t *schema.Table) ([]string, error) {
	var defs []string
	for _, c := range t.Columns {
		def, err := columnDef(c)
		if err != nil {
			return nil, err
		}
		defs = append(defs, def)
	}
	if pk := t.PrimaryKey; pk != nil && len(pk.Columns) > 0 {
		defs = append(defs, constraintName(pk.Name)+"PRIMARY KEY ("+quoteList(pk.Columns)+")")
	}
	// Constraints NOT VALID are added after the table: CREATE TABLE
	// validates them whatever they say.
	var indexes, later []string
	for _, ix := range t.Indexes {
		if ix.Constraint {
			def, err := uniqueConstraint(ix)
			if err != nil {
				return nil, err
			}
			defs = append(defs, def)
			continue
		}
		s, err := createIndex(t.Name, ix)
		if err != nil {
			return nil, err
		}
		indexes = append(indexes, s)
	}
	for _, ck := range t.Checks {
		if ck.NotValid {
			later = append(later, "ALTER TABLE "+quote(t.Name)+" ADD "+check(ck))
		} else {
			defs = append(defs, check(ck))
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.NotValid {
			later = append(later, "ALTER TABLE "+quote(t.Name)+" ADD "+foreignKey(fk))
		} else {
			defs = append(defs, foreignKey(fk))
		}
	}
	create := fmt.Sprintf("CREATE TABLE %s ()", quote(t.Name))
	if len(defs) > 0 {
		create = fmt.Sprintf("CREATE TABLE %s (\n  %s\n)", quote(t.Name), strings.Join(defs, ",\n  "))
	}
	stmts := append(append([]string{create}, indexes...), later...)
	for _, c := range t.Columns {
		seq, err := serialSequence(t.Name, c)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, seq...)
	}
	if t.Comment != "" {
		stmts = append(stmts, tableComment(t.Name, t.Comment))
	}
	if pk := t.PrimaryKey; pk != nil && len(pk.Columns) > 0 {
		stmts = append(stmts, constraintComment(t.Name, pk.Name, pk.Comment)...)
	}
	for _, ix := range t.Indexes {
		stmts = append(stmts, indexComment(t.Name, ix)...)
	}
	for _, ck := range t.Checks {
		stmts = append(stmts, constraintComment(t.Name, ck.Name, ck.Comment)...)
	}
	for _, fk := range t.ForeignKeys {
		stmts = append(stmts, constraintComment(t.Name, fk.Name, fk.Comment)...)
	}
	for _, c := range t.Columns {
		if c.Comment != "" {
			stmts = append(stmts, columnComment(t.Name, c))
		}
	}
	// A table made again by a downgrade gets its triggers back; diff
	// creates a new table's triggers on their own, later.
	for _, tr := range t.Triggers {
		stmts = append(stmts, tr.Def)
	}
	return stmts, nil
}

// identityKind says how a column gets its values: "" (it does not),
// "default" (GENERATED BY DEFAULT AS IDENTITY), "always" or "serial".
//
// Identity always or serial implies AutoIncrement, as in Canonical.
func identityKind(c *schema.Column) string {
	switch c.Identity {
	case schema.IdentityAlways, schema.IdentitySerial:
		return c.Identity
	}
	if !c.AutoIncrement {
		return ""
	}
	return "default"
}

func isIdentity(kind string) bool { return kind == "default" || kind == "always" }

// identityClause renders an identity kind as a column constraint, with
// the sequence options of c that are not the defaults.
func identityClause(kind string, c *schema.Column) string {
	s := "GENERATED BY DEFAULT AS IDENTITY"
	if kind == "always" {
		s = "GENERATED ALWAYS AS IDENTITY"
	}
	if opts := strings.TrimSpace(c.Sequence); opts != "" {
		s += " (" + opts + ")"
	}
	return s
}

// serialSequence renders the statements that give the sequence of a
// serial column c of table the options c.Sequence names; none when it
// names none. The sequence's name is the server's to know.
func serialSequence(table string, c *schema.Column) ([]string, error) {
	if identityKind(c) != "serial" || strings.TrimSpace(c.Sequence) == "" {
		return nil, nil
	}
	o, err := seqOptionsOf(c)
	if err != nil {
		return nil, err
	}
	return []string{alterSerialSequence(table, c.Name, o, "")}, nil
}

// alterSerialSequence gives the sequence of the serial column of table
// every option of o, then more (" RESTART").
func alterSerialSequence(table, column string, o seqOptions, more string) string {
	return fmt.Sprintf("DO $strata$BEGIN EXECUTE 'ALTER SEQUENCE ' || pg_get_serial_sequence(%s, %s) || ' %s%s'; END$strata$",
		quoteString(quote(table)), quoteString(column), alterSequenceOptions(o), more)
}

// serialType names the serial pseudo-type of an integer type.
func serialType(t schema.Type) string {
	switch formatType(t) {
	case "smallint":
		return "smallserial"
	case "integer":
		return "serial"
	}
	return "bigserial"
}

// columnDef renders a column definition: type, collation, generation or
// identity, NOT NULL, default. An auto-increment column takes no default.
func columnDef(c *schema.Column) (string, error) {
	if c.Type == nil {
		return "", fmt.Errorf("column %q has no type", c.Name)
	}
	typ := formatType(c.Type)
	if typ == "" {
		return "", fmt.Errorf("column %q: type %T has no PostgreSQL form", c.Name, c.Type)
	}
	kind := identityKind(c)
	if kind != "" {
		if _, ok := c.Type.(schema.IntegerType); !ok {
			return "", fmt.Errorf("column %q: auto increment needs an integer type, not %s", c.Name, typ)
		}
		if c.Generated.Expr != "" {
			return "", fmt.Errorf("column %q: a generated column cannot also be an identity", c.Name)
		}
	}
	if kind == "serial" {
		typ = serialType(c.Type)
	}
	var b strings.Builder
	b.WriteString(quote(c.Name) + " " + typ)
	if coll := canonicalCollation(c.Collation); coll != "" {
		b.WriteString(" COLLATE " + quote(coll))
	}
	switch {
	case c.Generated.Expr != "":
		// PostgreSQL has only stored generated columns (virtual ones came in 18).
		b.WriteString(" GENERATED ALWAYS AS (" + c.Generated.Expr + ") STORED")
	case isIdentity(kind):
		b.WriteString(" " + identityClause(kind, c))
	}
	if !c.Nullable || kind != "" {
		b.WriteString(" NOT NULL")
	}
	if c.Default != nil && kind == "" && c.Generated.Expr == "" {
		b.WriteString(" DEFAULT " + formatDefault(c.Default))
	}
	return b.String(), nil
}

func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + quote(name) + " "
}

func foreignKey(fk *schema.ForeignKey) string {
	s := constraintName(fk.Name) + fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s", quoteList(fk.Columns), quote(fk.RefTable))
	if len(fk.RefColumns) > 0 {
		s += " (" + quoteList(fk.RefColumns) + ")"
	}
	if m := strings.ToUpper(fk.Match); m != "" && m != "SIMPLE" {
		s += " MATCH " + m
	}
	if fk.OnDelete != "" && fk.OnDelete != "NO ACTION" {
		s += " ON DELETE " + fk.OnDelete
	}
	if fk.OnUpdate != "" && fk.OnUpdate != "NO ACTION" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	if fk.Deferrable || fk.InitiallyDeferred {
		s += " DEFERRABLE"
		if fk.InitiallyDeferred {
			s += " INITIALLY DEFERRED"
		}
	}
	if fk.NotValid {
		s += " NOT VALID"
	}
	return s
}

func check(ck *schema.Check) string {
	s := constraintName(ck.Name) + "CHECK (" + checkExpr(ck.Expr) + ")"
	if ck.NoInherit {
		s += " NO INHERIT"
	}
	if ck.NotValid {
		s += " NOT VALID"
	}
	return s
}

// uniqueConstraint renders a UNIQUE table constraint, which takes plain
// ascending columns only.
func uniqueConstraint(ix *schema.Index) (string, error) {
	if ix.Where != "" || (ix.Method != "" && !strings.EqualFold(ix.Method, "btree")) {
		return "", fmt.Errorf("index %q: a UNIQUE constraint has no WHERE clause or index method; make it a unique index", ix.Name)
	}
	for _, p := range ix.Parts {
		if p.Column == "" || p.Desc || p.OpClass != "" || p.OpClassParams != "" || p.Collation != "" || p.Nulls != "" {
			return "", fmt.Errorf("index %q: a UNIQUE constraint takes plain ascending columns; make it a unique index", ix.Name)
		}
	}
	s := constraintName(ix.Name) + "UNIQUE "
	if ix.NullsNotDistinct {
		s += "NULLS NOT DISTINCT "
	}
	s += "(" + quoteList(ix.ColumnNames()) + ")" + indexTail(ix)
	if ix.Deferrable || ix.InitiallyDeferred {
		s += " DEFERRABLE"
		if ix.InitiallyDeferred {
			s += " INITIALLY DEFERRED"
		}
	}
	return s, nil
}

// indexTail renders an index's INCLUDE columns and storage parameters,
// as CREATE INDEX and UNIQUE constraints both write them.
func indexTail(ix *schema.Index) string {
	s := ""
	if len(ix.Include) > 0 {
		s += " INCLUDE (" + quoteList(ix.Include) + ")"
	}
	if len(ix.Params) > 0 {
		s += " WITH (" + paramList(strings.Join(ix.Params, ",")) + ")"
	}
	return s
}

// paramList renders parameters written name=value, separated by commas
// (as PostgreSQL keeps reloptions and an operator class's options), with
// each value quoted: name='value'. A name without a value is left alone.
func paramList(params string) string {
	var out []string
	for _, p := range strings.Split(params, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			out = append(out, p)
			continue
		}
		value = strings.TrimSpace(value)
		if len(value) < 2 || value[0] != '\'' {
			value = quoteString(value)
		}
		out = append(out, strings.TrimSpace(name)+"="+value)
	}
	return strings.Join(out, ", ")
}

// comment renders COMMENT ON what IS the comment, NULL for none.
func comment(what, text string) string {
	c := "NULL"
	if text != "" {
		c = quoteString(text)
	}
	return "COMMENT ON " + what + " IS " + c
}

// indexComment renders the comment of an index, or of the UNIQUE
// constraint behind it, when it has one.
func indexComment(table string, ix *schema.Index) []string {
	if ix.Comment == "" {
		return nil
	}
	if ix.Constraint {
		return constraintComment(table, ix.Name, ix.Comment)
	}
	return []string{comment("INDEX "+quote(ix.Name), ix.Comment)}
}

// constraintComment renders the comment of a constraint of table when it
// has one.
func constraintComment(table, name, text string) []string {
	if text == "" || name == "" {
		return nil
	}
	return []string{comment("CONSTRAINT "+quote(name)+" ON "+quote(table), text)}
}

// setComment renders SetComment. A constraint given by its index's name
// (a UNIQUE constraint) is one, whatever Kind says, when current knows it
// so.
func setComment(current *schema.Schema, o op.SetComment) ([]string, error) {
	if o.Name == "" {
		return nil, fmt.Errorf("no name")
	}
	switch o.Kind {
	case op.CommentType:
		return []string{comment("TYPE "+quote(o.Name), o.To)}, nil
	case op.CommentView:
		if v, ok := current.View(o.Name); ok && v.Materialized {
			return []string{comment("MATERIALIZED VIEW "+quote(o.Name), o.To)}, nil
		}
		return []string{comment("VIEW "+quote(o.Name), o.To)}, nil
	case op.CommentFunction:
		if current == nil {
			return nil, fmt.Errorf("no current schema to find function %s in", o.Name)
		}
		f, ok := current.Function(o.Name)
		if !ok {
			return nil, fmt.Errorf("no function %s in the current schema", o.Name)
		}
		return []string{functionComment(f, o.To)}, nil
	case op.CommentIndex, op.CommentConstraint:
		kind := o.Kind
		if t, ok := tableIn(current, o.Table); ok {
			if ix, ok := t.Index(o.Name); ok {
				kind = op.CommentIndex
				if ix.Constraint {
					kind = op.CommentConstraint
				}
			}
		}
		if kind == op.CommentIndex {
			return []string{comment("INDEX "+quote(o.Name), o.To)}, nil
		}
		if o.Table == "" {
			return nil, fmt.Errorf("no table")
		}
		return []string{comment("CONSTRAINT "+quote(o.Name)+" ON "+quote(o.Table), o.To)}, nil
	}
	return nil, fmt.Errorf("unknown kind of object %q", o.Kind)
}

// createIndex renders CREATE INDEX with the method, the keys (columns,
// or expressions in parentheses), DESC and the WHERE predicate.
func createIndex(table string, ix *schema.Index) (string, error) {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX ")
	if ix.Name != "" {
		b.WriteString(quote(ix.Name) + " ")
	}
	b.WriteString("ON " + quote(table))
	if m := strings.ToLower(strings.TrimSpace(ix.Method)); m != "" && m != "btree" {
		b.WriteString(" USING " + m)
	}
	parts := make([]string, len(ix.Parts))
	for i, p := range ix.Parts {
		switch {
		case p.Column != "":
			parts[i] = quote(p.Column)
		case strings.TrimSpace(p.Expr) != "":
			parts[i] = "(" + p.Expr + ")"
		default:
			return "", fmt.Errorf("index %q: key %d has neither a column nor an expression", ix.Name, i+1)
		}
		if coll := canonicalCollation(p.Collation); coll != "" {
			parts[i] += " COLLATE " + quote(coll)
		}
		if p.OpClass != "" {
			parts[i] += " " + p.OpClass
			if p.OpClassParams != "" {
				parts[i] += " (" + paramList(p.OpClassParams) + ")"
			}
		}
		if p.Desc {
			parts[i] += " DESC"
		}
		if n := strings.ToUpper(strings.TrimSpace(p.Nulls)); n != "" {
			parts[i] += " NULLS " + n
		}
	}
	b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	if len(ix.Include) > 0 {
		b.WriteString(" INCLUDE (" + quoteList(ix.Include) + ")")
	}
	if ix.NullsNotDistinct {
		b.WriteString(" NULLS NOT DISTINCT")
	}
	if len(ix.Params) > 0 {
		b.WriteString(" WITH (" + paramList(strings.Join(ix.Params, ",")) + ")")
	}
	if ix.Where != "" {
		b.WriteString(" WHERE " + ix.Where)
	}
	return b.String(), nil
}

// dropIndex drops an index, or the UNIQUE constraint behind it: DROP
// INDEX refuses an index a constraint owns. The current schema, where it
// knows the index, decides; else the op's own Constraint flag.
//
// An index without a name (the inverse of creating an unnamed one) is
// the index of current with the name PostgreSQL gave it, or else the
// one with the same definition.
func dropIndex(current *schema.Schema, table string, ix *schema.Index) ([]string, error) {
	name, constraint := ix.Name, ix.Constraint
	t, known := tableIn(current, table)
	if name == "" {
		canon := ix.Clone()
		canonicalIndex(&schema.Table{Name: table}, canon)
		if known {
			if _, ok := t.Index(canon.Name); !ok {
				for _, cur := range t.Indexes {
					if schema.IndexEqual(cur, canon) {
						canon.Name = cur.Name
						break
					}
				}
			}
		}
		name = canon.Name
	}
	if known {
		if cur, ok := t.Index(name); ok {
			constraint = cur.Constraint
		}
	}
	if name == "" {
		return nil, fmt.Errorf("the index has no name")
	}
	if constraint {
		return []string{dropConstraint(table, name)}, nil
	}
	return []string{"DROP INDEX " + quote(name)}, nil
}

func tableComment(table, comment string) string {
	c := "NULL"
	if comment != "" {
		c = quoteString(comment)
	}
	return fmt.Sprintf("COMMENT ON TABLE %s IS %s", quote(table), c)
}

func columnComment(table string, c *schema.Column) string {
	comment := "NULL"
	if c.Comment != "" {
		comment = quoteString(c.Comment)
	}
	return fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", quote(table), quote(c.Name), comment)
}

func backfill(table, column string, value schema.Default) string {
	return fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", quote(table), quote(column), formatDefault(value), quote(column))
}

// addColumn adds a column in one statement, or, for a NOT NULL column
// with a backfill, in three: add it nullable, fill existing rows, set NOT
// NULL. Auto-increment and generated columns fill their rows themselves.
// PostgreSQL cannot place a column (that takes rewriting the table), so
// o.Position is left aside: the column goes at the end.
func addColumn(o op.AddColumn) ([]string, error) {
	c := o.Column
	alter := "ALTER TABLE " + quote(o.Table)
	var stmts []string
	if c.Nullable || o.Backfill == nil || c.AutoIncrement || c.Generated.Expr != "" {
		def, err := columnDef(c)
		if err != nil {
			return nil, err
		}
		stmts = []string{alter + " ADD COLUMN " + def}
	} else {
		nullable := c.Clone()
		nullable.Nullable = true
		def, err := columnDef(nullable)
		if err != nil {
			return nil, err
		}
		stmts = []string{
			alter + " ADD COLUMN " + def,
			backfill(o.Table, c.Name, o.Backfill),
			alter + " ALTER COLUMN " + quote(c.Name) + " SET NOT NULL",
		}
	}
	seq, err := serialSequence(o.Table, c)
	if err != nil {
		return nil, err
	}
	stmts = append(stmts, seq...)
	if c.Comment != "" {
		stmts = append(stmts, columnComment(o.Table, c))
	}
	return stmts, nil
}

// alterColumn emits only the statements for what differs between From and
// To, in an order that keeps each one valid: rename; drop the generation
// expression; drop identity; drop a default that is going, that the type
// change could not convert, or a serial's; change the type or collation;
// backfill; nullability; set the default; add or change identity, or
// make it serial; comment.
//
// PostgreSQL cannot make a column generated, nor change its expression,
// in place (before 17): that is an error naming the column, to be done by
// dropping and adding the column.
func (d Dialect) alterColumn(o op.AlterColumn) ([]string, error) {
	from, to := o.From, o.To
	if to.Type == nil {
		return nil, fmt.Errorf("column %q has no type", to.Name)
	}
	alter := "ALTER TABLE " + quote(o.Table)
	col := alter + " ALTER COLUMN " + quote(to.Name)
	var stmts []string
	if from.Name != to.Name {
		stmts = append(stmts, alter+" RENAME COLUMN "+quote(from.Name)+" TO "+quote(to.Name))
	}
	fromKind, toKind := identityKind(from), identityKind(to)
	if toKind != "" {
		if _, ok := to.Type.(schema.IntegerType); !ok {
			return nil, fmt.Errorf("column %q: auto increment needs an integer type, not %s", to.Name, formatType(to.Type))
		}
	}
	if from.Generated != to.Generated {
		switch {
		case to.Generated.Expr != "":
			return nil, fmt.Errorf("column %q: PostgreSQL cannot make a column generated or change its generation expression in place; drop the column and add it back", to.Name)
		case !d.atLeast(130000):
			return nil, fmt.Errorf("column %q: DROP EXPRESSION needs PostgreSQL 13; drop the column and add it back", to.Name)
		}
		stmts = append(stmts, col+" DROP EXPRESSION")
	}
	if toKind != "" && to.Generated.Expr != "" {
		return nil, fmt.Errorf("column %q: a generated column cannot also be an identity", to.Name)
	}
	typeChanged := from.Type != to.Type
	collationChanged := canonicalCollation(from.Collation) != canonicalCollation(to.Collation)
	defaultChanged := from.Default != to.Default

	if isIdentity(fromKind) && !isIdentity(toKind) {
		stmts = append(stmts, col+" DROP IDENTITY IF EXISTS")
	}
	defaultDropped := false
	if from.Default != nil && (typeChanged || toKind != "" || (defaultChanged && to.Default == nil)) {
		stmts = append(stmts, col+" DROP DEFAULT")
		defaultDropped = true
	}
	if fromKind == "serial" && toKind != "serial" {
		if !defaultDropped {
			stmts = append(stmts, col+" DROP DEFAULT")
		}
		// The sequence the column owns goes with its serial-ness; its name
		// is the server's to know.
		stmts = append(stmts, fmt.Sprintf("DO $strata$BEGIN EXECUTE 'DROP SEQUENCE ' || pg_get_serial_sequence(%s, %s); END$strata$",
			quoteString(quote(o.Table)), quoteString(to.Name)))
		defaultDropped = true
	}
	if typeChanged || collationChanged {
		typ := formatType(to.Type)
		if typ == "" {
			return nil, fmt.Errorf("column %q: type %T has no PostgreSQL form", to.Name, to.Type)
		}
		s := col + " TYPE " + typ
		if coll := canonicalCollation(to.Collation); coll != "" {
			s += " COLLATE " + quote(coll)
		}
		if typeChanged && to.Generated.Expr == "" {
			if !lossless(from.Type, to.Type) {
				stmts = append(stmts, keepValuesCheck(o.Table, from, to))
			}
			if !assignable(from.Type, to.Type) {
				// Enum values convert to and from other types only through
				// their text (an enum renamed or replaced has no cast to the
				// new type). The target is never a string type here, whose
				// explicit cast would cut values to its length.
				_, fromEnum := from.Type.(schema.EnumType)
				_, toEnum := to.Type.(schema.EnumType)
				via := ""
				if fromEnum || toEnum {
					via = "::text"
				}
				s += " USING " + quote(to.Name) + via + "::" + typ
			}
		}
		stmts = append(stmts, s)
	}
	toNotNull := !to.Nullable || toKind != ""
	fromNotNull := !from.Nullable || fromKind != ""
	if toNotNull && !fromNotNull {
		// A column becoming auto-increment must hold no NULL already: its
		// sequence fills only new rows.
		if o.Backfill != nil && toKind == "" {
			stmts = append(stmts, backfill(o.Table, to.Name, o.Backfill))
		}
		stmts = append(stmts, col+" SET NOT NULL")
	}
	if !toNotNull && fromNotNull {
		stmts = append(stmts, col+" DROP NOT NULL")
	}
	if to.Default != nil && toKind == "" && to.Generated.Expr == "" && (defaultChanged || defaultDropped || fromKind != "") {
		stmts = append(stmts, col+" SET DEFAULT "+formatDefault(to.Default))
	}
	// restart starts a column's new sequence after the values present,
	// and never before its start.
	var toSeq seqOptions
	if toKind != "" {
		var err error
		if toSeq, err = seqOptionsOf(to); err != nil {
			return nil, err
		}
	}
	restart := func(seq string) string {
		if toSeq.inc < 0 {
			return fmt.Sprintf("SELECT setval(%s, LEAST(COALESCE(MIN(%s) - 1, %d), %d), false) FROM %s",
				seq, quote(to.Name), toSeq.start, toSeq.start, quote(o.Table))
		}
		return fmt.Sprintf("SELECT setval(%s, GREATEST(COALESCE(MAX(%s) + 1, %d), %d), false) FROM %s",
			seq, quote(to.Name), toSeq.start, toSeq.start, quote(o.Table))
	}
	sequenceChanged := from.Sequence != to.Sequence
	// A sequence whose bounds or direction change may hold a value outside
	// its new range, which ALTER refuses: it restarts, after the values
	// present.
	rebound := false
	if sequenceChanged && fromKind != "" && toKind != "" {
		fromSeq, err := seqOptionsOf(from)
		if err != nil {
			return nil, err
		}
		rebound = fromSeq.min != toSeq.min || fromSeq.max != toSeq.max || (fromSeq.inc < 0) != (toSeq.inc < 0)
	}
	serialSeq := fmt.Sprintf("pg_get_serial_sequence(%s, %s)", quoteString(quote(o.Table)), quoteString(to.Name))
	switch {
	case isIdentity(toKind) && !isIdentity(fromKind):
		stmts = append(stmts, col+" ADD "+identityClause(toKind, to), restart(serialSeq))
	case isIdentity(toKind):
		if fromKind != toKind {
			if toKind == "always" {
				stmts = append(stmts, col+" SET GENERATED ALWAYS")
			} else {
				stmts = append(stmts, col+" SET GENERATED BY DEFAULT")
			}
		}
		if sequenceChanged {
			// The sequence's type follows the column's.
			s := col + " " + alterIdentityOptions(toSeq)
			if rebound {
				stmts = append(stmts, s+" RESTART", restart(serialSeq))
			} else {
				stmts = append(stmts, s)
			}
		}
	case toKind == "serial" && fromKind != "serial":
		seq := quote(objectName(o.Table, to.Name, "seq"))
		stmts = append(stmts,
			fmt.Sprintf("CREATE SEQUENCE %s %s OWNED BY %s.%s", seq, alterSequenceOptions(toSeq), quote(o.Table), quote(to.Name)),
			col+" SET DEFAULT nextval("+quoteString(seq)+"::regclass)",
			restart(quoteString(seq)))
	case toKind == "serial" && (sequenceChanged || typeChanged):
		// A serial's sequence keeps its type when the column's changes.
		if rebound {
			stmts = append(stmts, alterSerialSequence(o.Table, to.Name, toSeq, " RESTART"), restart(serialSeq))
		} else {
			stmts = append(stmts, alterSerialSequence(o.Table, to.Name, toSeq, ""))
		}
	}
	if from.Comment != to.Comment {
		stmts = append(stmts, columnComment(o.Table, to))
	}
	return stmts, nil
}

// bulkInsertRows is how many rows one INSERT statement of a BulkInsert
// carries at most.
const bulkInsertRows = 1000

// bulkInsert renders INSERT … VALUES statements of at most bulkInsertRows
// rows each, values written as literals.
func bulkInsert(o op.BulkInsert) ([]string, error) {
	if len(o.Columns) == 0 {
		return nil, fmt.Errorf("no columns")
	}
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", quote(o.Table), quoteList(o.Columns))
	var stmts []string
	for chunk := range slices.Chunk(o.Rows, bulkInsertRows) {
		rows := make([]string, len(chunk))
		for i, row := range chunk {
			if len(row) != len(o.Columns) {
				return nil, fmt.Errorf("row has %d values for %d columns", len(row), len(o.Columns))
			}
			vals := make([]string, len(row))
			for j, v := range row {
				lit, err := literal(v)
				if err != nil {
					return nil, fmt.Errorf("column %q: %w", o.Columns[j], err)
				}
				vals[j] = lit
			}
			rows[i] = "(" + strings.Join(vals, ", ") + ")"
		}
		stmts = append(stmts, head+strings.Join(rows, ", "))
	}
	return stmts, nil
}

// literal writes a Go value as a SQL literal: nil as NULL, booleans,
// integers and floats as numbers (NaN and the infinities as quoted float8
// values), strings quoted, []byte as a hex bytea, time.Time as a quoted
// RFC 3339 timestamp the server parses into the column's type (a
// timestamp without time zone column ignores the offset and keeps the
// wall time as written).
func literal(v any) (string, error) {
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
		return floatLiteral(float64(v), 32), nil
	case float64:
		return floatLiteral(v, 64), nil
	case string:
		return quoteString(v), nil
	case []byte:
		return `'\x` + hex.EncodeToString(v) + `'::bytea`, nil
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'", nil
	}
	return "", fmt.Errorf("no SQL literal for a value of type %T", v)
}

func floatLiteral(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "'NaN'::float8"
	case math.IsInf(f, 1):
		return "'Infinity'::float8"
	case math.IsInf(f, -1):
		return "'-Infinity'::float8"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// replaceEnum gives an enum type new values, which PostgreSQL cannot do
// in place for a removed, renamed or moved value: the old type is renamed
// aside, the new one created, every column of the type cast to it through
// text (a row holding a value that is gone makes that fail, so nothing is
// lost silently), and the old type dropped.
func replaceEnum(current *schema.Schema, o op.ReplaceEnum) []string {
	old := o.Enum + "_strata_old"
	values := make([]string, len(o.To))
	for i, v := range o.To {
		values[i] = quoteString(v)
	}
	stmts := []string{
		fmt.Sprintf("ALTER TYPE %s RENAME TO %s", quote(o.Enum), quote(old)),
		fmt.Sprintf("CREATE TYPE %s AS ENUM (%s)", quote(o.Enum), strings.Join(values, ", ")),
	}
	if current != nil {
		for _, t := range current.Tables {
			for _, c := range t.Columns {
				if e, ok := c.Type.(schema.EnumType); !ok || e.Name != o.Enum {
					continue
				}
				alter := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s ", quote(t.Name), quote(c.Name))
				if c.Default != nil {
					stmts = append(stmts, alter+"DROP DEFAULT")
				}
				stmts = append(stmts, alter+fmt.Sprintf("TYPE %s USING %s::text::%s", quote(o.Enum), quote(c.Name), quote(o.Enum)))
				if c.Default != nil {
					stmts = append(stmts, alter+"SET DEFAULT "+formatDefault(c.Default))
				}
			}
		}
	}
	stmts = append(stmts, "DROP TYPE "+quote(old))
	// The type made again has no comment yet.
	if current != nil {
		if e, ok := current.Enum(o.Enum); ok && e.Comment != "" {
			stmts = append(stmts, comment("TYPE "+quote(o.Enum), e.Comment))
		}
	}
	return stmts
}
