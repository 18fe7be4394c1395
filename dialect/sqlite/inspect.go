package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

var _ dialect.Inspector = Dialect{}

// The four catalog queries of Inspect. Each reads every table at once
// through the table-valued pragma functions, so their number does not
// grow with the schema.
const (
	// The rows of type 'skip' name the virtual tables and their shadow
	// tables (FTS5's t_data and so on), which the module manages: they are
	// left out, and listed as not managed by strata.
	objectsQuery = `SELECT type, name, tbl_name, sql FROM sqlite_schema
WHERE type IN ('table', 'view', 'index', 'trigger') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND sql IS NOT NULL
UNION ALL
SELECT 'skip', name, name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('shadow', 'virtual')`
	columnsQuery = `SELECT m.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, c.cid`
	indexesQuery = `SELECT m.name, il.name, il."unique", il.origin, ic.cid, ic.name, ic."desc", ic.coll
FROM sqlite_schema AS m
JOIN pragma_index_list(m.name) AS il
JOIN pragma_index_xinfo(il.name) AS ic
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND ic.key = 1
ORDER BY m.name, il.name, ic.seqno`
	foreignKeysQuery = `SELECT m.name, fk.id, fk."table", fk."from", fk."to", fk.on_update, fk.on_delete
FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS fk
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, fk.id, fk.seq`
)

// inspection is the state of one Inspect call.
type inspection struct {
	s        *schema.Schema
	tables   map[string]*schema.Table
	defs     map[string]*tableDef // parsed CREATE TABLE text, by table
	decls    map[string]map[string]string
	indexSQL map[string]string // CREATE INDEX text, by index name
	byLower  map[string]*schema.Table
	skip     []string // virtual and shadow tables
	// triggers wait for every table and view to be read.
	triggers []tableTrigger
}

// tableTrigger is a trigger and the table or view it is on.
type tableTrigger struct {
	table   string
	trigger *schema.Trigger
}

// attachTriggers gives each table and view its triggers, in canonical
// text (triggerDef); those of excluded or skipped ones go with them. It
// runs once the columns are known.
func (in *inspection) attachTriggers() {
	names := schemaNames(in.s)
	for _, tr := range in.triggers {
		if ts, ok := in.s.Triggers(tr.table); ok {
			tr.trigger.Def = triggerDef(tr.trigger.Def, tr.table, names)
			*ts = append(*ts, tr.trigger)
		}
	}
}

// skipTables leaves out the virtual tables and their shadow tables.
func (in *inspection) skipTables() {
	for _, name := range in.skip {
		if t, ok := in.tables[name]; ok {
			delete(in.tables, name)
			delete(in.byLower, strings.ToLower(name))
			in.s.Tables = slices.DeleteFunc(in.s.Tables, func(x *schema.Table) bool { return x == t })
		}
	}
}

// Inspect reads the schema of the main database with four set-based
// queries (objects with their SQL text, columns, index keys, foreign
// keys), whatever the number of tables. What the pragmas do not report
// (constraint names, CHECK, DEFERRABLE, COLLATE, AUTOINCREMENT, generated
// and index expressions, partial index predicates) is read from the
// CREATE statements SQLite keeps. Triggers are their CREATE TRIGGER text
// as SQLite keeps it, with the table after ON written quoted
// (triggerDef).
func (Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	in := &inspection{
		s:        &schema.Schema{},
		tables:   map[string]*schema.Table{},
		defs:     map[string]*tableDef{},
		decls:    map[string]map[string]string{},
		indexSQL: map[string]string{},
		byLower:  map[string]*schema.Table{},
	}
	excluded := func(name string) bool { return slices.Contains(opts.Exclude, name) }
	for _, step := range []struct {
		what, query string
		row         func(*sql.Rows) error
		then        func()
	}{
		{"objects", objectsQuery, func(rows *sql.Rows) error { return in.object(rows, excluded) }, in.skipTables},
		{"columns", columnsQuery, in.column, in.primaryKeys},
		{"indexes", indexesQuery, in.index, nil},
		{"foreign keys", foreignKeysQuery, in.foreignKey(), func() { in.finish(); in.attachTriggers() }},
	} {
		if err := each(ctx, q, step.query, step.row); err != nil {
			return nil, fmt.Errorf("sqlite: inspect %s: %w", step.what, err)
		}
		if step.then != nil {
			step.then()
		}
	}
	in.s.Normalize()
	in.keySources()
	return in.s, nil
}

// keySources gives each table, index and view read from its text the key
// of its model (tableKey, indexKey, viewKey), now that the model is
// complete.
func (in *inspection) keySources() {
	for _, t := range in.s.Tables {
		if t.Source != nil {
			t.Source.Key = tableKey(t)
		}
		for _, ix := range t.Indexes {
			if ix.Source != nil {
				ix.Source.Key = indexKey(t.Name, ix)
			}
		}
	}
	for _, v := range in.s.Views {
		if v.Source != nil {
			v.Source.Key = viewKey(v)
		}
	}
}

func (in *inspection) object(rows *sql.Rows, excluded func(string) bool) error {
	var typ, name, table, text string
	if err := rows.Scan(&typ, &name, &table, &text); err != nil {
		return err
	}
	switch typ {
	case "skip":
		in.skip = append(in.skip, name)
		if !excluded(name) {
			in.s.Unmanaged = append(in.s.Unmanaged, schema.Unmanaged{Kind: text + " table", Name: name})
		}
	case "table":
		if excluded(name) {
			return nil
		}
		def := parseCreateTable(text)
		t := &schema.Table{Name: name, WithoutRowID: def.withoutRowid, Strict: def.strict, Source: &schema.Source{Text: text}}
		in.tables[name] = t
		in.byLower[strings.ToLower(name)] = t
		in.defs[name] = def
		in.decls[name] = map[string]string{}
		in.s.Tables = append(in.s.Tables, t)
	case "view":
		if !excluded(name) {
			in.s.Views = append(in.s.Views, &schema.View{Name: name, Def: viewDef(text), Source: &schema.Source{Text: text}})
		}
	case "index":
		in.indexSQL[name] = text
	case "trigger":
		// The text is made canonical once the columns are known (finish).
		in.triggers = append(in.triggers, tableTrigger{table: table, trigger: &schema.Trigger{Name: name, Def: text}})
	}
	return nil
}

func (in *inspection) column(rows *sql.Rows) error {
	var (
		table, name, typ string
		notNull          bool
		def              sql.NullString
		pk, hidden       int
	)
	if err := rows.Scan(&table, &name, &typ, &notNull, &def, &pk, &hidden); err != nil {
		return err
	}
	t, ok := in.tables[table]
	if !ok || hidden == 1 {
		return nil
	}
	// A primary key column is nullable unless declared NOT NULL (SQLite
	// lets NULL into a key other than the rowid alias), but the pragma
	// reports the keys of a WITHOUT ROWID table NOT NULL: the text says
	// what was declared.
	c := &schema.Column{Name: name, Type: parseType(typ), DeclaredType: typ, Nullable: !notNull}
	if def.Valid {
		c.Default = parseDefault(def.String)
	}
	tdef := in.defs[table]
	if cd := tdef.columns[strings.ToLower(name)]; cd != nil {
		// The pragma spells standard type names (INT, TEXT…) in upper case;
		// the text keeps them as written.
		if strings.EqualFold(cd.declType, typ) {
			c.DeclaredType = cd.declType
		}
		if tdef.withoutRowid && pk > 0 {
			c.Nullable = !cd.notNull
		}
		c.Collation = canonicalCollation(cd.collation)
		if hidden >= 2 {
			c.Generated = schema.Generated{Expr: cd.generated, Stored: hidden == 3}
		}
	}
	t.Columns = append(t.Columns, c)
	in.decls[table][name] = typ
	if pk > 0 {
		if t.PrimaryKey == nil {
			t.PrimaryKey = &schema.PrimaryKey{}
		}
		// pk is the column's 1-based position in the key.
		for len(t.PrimaryKey.Columns) < pk {
			t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, "")
		}
		t.PrimaryKey.Columns[pk-1] = name
	}
	return nil
}

// primaryKeys marks the rowid aliases: a single-column key declared
// exactly INTEGER, not DESC, in a table with a rowid.
func (in *inspection) primaryKeys() {
	for name, t := range in.tables {
		c := rowidAlias(t)
		if c == nil {
			continue
		}
		def := in.defs[name]
		cd := def.columns[strings.ToLower(c.Name)]
		if def.withoutRowid || cd != nil && cd.pkDesc || !strings.EqualFold(strings.TrimSpace(in.decls[name][c.Name]), "integer") {
			continue
		}
		c.AutoIncrement = true
		if cd != nil && cd.autoincrement {
			c.Identity = schema.IdentityKeyword
		}
	}
}

func (in *inspection) index(rows *sql.Rows) error {
	var (
		table, name, origin string
		unique, desc        bool
		cid                 int
		column, coll        sql.NullString
	)
	if err := rows.Scan(&table, &name, &unique, &origin, &cid, &column, &desc, &coll); err != nil {
		return err
	}
	t, ok := in.tables[table]
	if !ok {
		return nil
	}
	if origin == "pk" {
		if t.PrimaryKey != nil {
			t.PrimaryKey.Name = name
		}
		return nil
	}
	ix, ok := t.Index(name)
	if !ok {
		ix = &schema.Index{Name: name, Unique: unique, Constraint: origin == "u"}
		if text := in.indexSQL[name]; text != "" {
			ix.Where = parseCreateIndex(text).where
			ix.Source = &schema.Source{Text: text}
		}
		t.Indexes = append(t.Indexes, ix)
	}
	part := schema.IndexPart{Desc: desc}
	switch {
	case cid == -2:
		if keys := parseCreateIndex(in.indexSQL[name]).parts; len(ix.Parts) < len(keys) {
			part.Expr = keys[len(ix.Parts)]
		}
	case cid == -1:
		part.Column = "rowid"
	default:
		part.Column = column.String
		// A key collated otherwise than its column is kept as the
		// expression "column COLLATE name".
		want := "BINARY"
		if c, ok := t.Column(column.String); ok && c.Collation != "" {
			want = c.Collation
		}
		if got := strings.ToUpper(coll.String); coll.Valid && got != want {
			part.Column, part.Expr = "", quote(column.String)+" COLLATE "+got
		}
	}
	ix.Parts = append(ix.Parts, part)
	return nil
}

func (in *inspection) foreignKey() func(*sql.Rows) error {
	byID := map[string]*schema.ForeignKey{}
	return func(rows *sql.Rows) error {
		var table, refTable, from, onUpdate, onDelete string
		var to sql.NullString
		var id int
		if err := rows.Scan(&table, &id, &refTable, &from, &to, &onUpdate, &onDelete); err != nil {
			return err
		}
		t, ok := in.tables[table]
		if !ok {
			return nil
		}
		key := fmt.Sprintf("%s\x00%d", table, id)
		fk, ok := byID[key]
		if !ok {
			// The reference is spelled as written; use the parent's own name.
			if p, ok := in.byLower[strings.ToLower(refTable)]; ok {
				refTable = p.Name
			}
			fk = &schema.ForeignKey{RefTable: refTable, OnDelete: onDelete, OnUpdate: onUpdate}
			byID[key] = fk
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to.String)
		return nil
	}
}

// finish completes what needs every query's rows: the referenced columns,
// foreign key names and DEFERRABLE, checks.
func (in *inspection) finish() {
	for _, t := range in.s.Tables {
		def := in.defs[t.Name]
		used := make([]bool, len(def.foreignKeys))
		for _, fk := range t.ForeignKeys {
			parent := in.tables[fk.RefTable]
			if !slices.ContainsFunc(fk.RefColumns, func(rc string) bool { return rc != "" }) {
				// REFERENCES parent without columns: the parent's primary
				// key, kept unwritten as the user left it.
				fk.RefColumns = nil
			}
			for i, rc := range fk.RefColumns {
				switch {
				case rc == "" && parent != nil && parent.PrimaryKey != nil && i < len(parent.PrimaryKey.Columns):
					// A reference without columns means the parent's primary key.
					fk.RefColumns[i] = parent.PrimaryKey.Columns[i]
				case parent != nil:
					for _, c := range parent.Columns {
						if strings.EqualFold(c.Name, rc) {
							fk.RefColumns[i] = c.Name
						}
					}
				}
			}
			for i, fd := range def.foreignKeys {
				if used[i] || !strings.EqualFold(fd.refTable, fk.RefTable) || !equalFold(fd.columns, fk.Columns) ||
					len(fd.refColumns) > 0 && !equalFold(fd.refColumns, fk.RefColumns) ||
					fd.onDelete != noAction(fk.OnDelete) || fd.onUpdate != noAction(fk.OnUpdate) {
					continue
				}
				used[i] = true
				fk.Name, fk.Deferrable, fk.InitiallyDeferred = fd.name, fd.deferrable, fd.deferrable && fd.initiallyDeferred
				break
			}
		}
		for _, ck := range def.checks {
			t.Checks = append(t.Checks, &schema.Check{Name: ck.name, Expr: ck.expr})
		}
	}
}

// noAction spells the default action as the empty string.
func noAction(action string) string {
	if action == "NO ACTION" {
		return ""
	}
	return action
}

func equalFold(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}

// canonicalCollation spells a collation as Canonical does: upper case,
// and none for BINARY, SQLite's default.
func canonicalCollation(name string) string {
	name = strings.ToUpper(name)
	if name == "BINARY" {
		return ""
	}
	return name
}

func each(ctx context.Context, q dialect.Querier, query string, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
