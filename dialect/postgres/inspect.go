package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// tableFilter selects the ordinary and partitioned tables of the schema
// named by $1. Partitions are left out: a partitioned table is read as
// its parent alone. So are tables an extension owns (PostGIS's
// spatial_ref_sys): CREATE EXTENSION makes them.
const tableFilter = `n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND ` + notExtensionMember

// notExtensionMember leaves out the pg_class rows (c) that are members of
// an extension.
const notExtensionMember = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS ext
  WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid AND ext.deptype = 'e')`

// Inspect reads one schema, opts.Schema or else the connection's
// current_schema(), with a fixed number of set-based catalog queries
// (schema, tables, columns, primary keys, indexes, foreign keys, checks,
// exclusion constraints, enum types, views, extensions, functions,
// triggers, sequences, domains,
// composite types, materialized views' indexes, and what strata does not
// manage), however many tables it holds.
//
// What it reports:
//   - Columns with format_type's type (arrays as RawType "integer[]",
//     columns of an enum type of the schema as schema.EnumType), NOT NULL,
//     the default as pg_get_expr prints it, identity (Identity "" for BY
//     DEFAULT, schema.IdentityAlways) and serial (schema.IdentitySerial:
//     a nextval default of a sequence the column owns) as AutoIncrement
//     without a default, stored generated columns, the collation where it
//     is not the type's default, and comments.
//   - The sequence options of identity and serial columns that are not
//     the defaults (Column.Sequence).
//   - The primary key; UNIQUE constraints as unique indexes with
//     Constraint set; other indexes with their keys (columns or
//     expressions as pg_get_indexdef prints them, DESC, NULLS FIRST or
//     LAST and COLLATE where not the defaults), their INCLUDE columns,
//     NULLS NOT DISTINCT, storage parameters, WHERE predicate and method
//     ("" for btree); foreign keys with actions, MATCH FULL, DEFERRABLE
//     and NOT VALID; check constraints with the expression inside CHECK
//     (…) as pg_get_constraintdef prints it, NO INHERIT and NOT VALID;
//     comments on indexes, constraints, enum types, views and functions; DEFERRABLE on
//     UNIQUE constraints.
//   - Index keys' operator classes where they are not the default of
//     their type (text_pattern_ops, pg_trgm's gin_trgm_ops), or where
//     they have parameters (siglen=100).
//   - The schema's enum types, and its views and materialized views
//     with pg_get_viewdef's definition, trimmed, without the final
//     semicolon (a materialized view with its indexes as pg_get_indexdef
//     prints them, and NoData when not populated).
//   - Its standalone sequences (those no column owns) with their type and
//     options, its domains (base type, collation, default, NOT NULL,
//     checks; columns of a domain have it as RawType), and its composite
//     types with their attributes.
//   - The extensions installed in the schema (name only), its functions
//     and procedures (pg_get_functiondef, without the schema in the
//     head; see inspectFunctions), and the triggers of its tables and
//     views (pg_get_triggerdef's pretty form, the table after ON quoted
//     and without its schema; see inspectTriggers).
//
// Objects an extension owns (pg_depend type 'e': its functions, types,
// tables and views) are left out, since CREATE EXTENSION makes them.
//
// Objects the model has no place for are listed in Schema.Unmanaged
// (see unmanagedQuery), so that strata can say it does not manage them.
//
// Not reported, as the model has no place for them: the partition key
// and the partitions of a partitioned table (the parent is read as a
// plain table), the indexes behind exclusion constraints, aggregates,
// extensions' versions, triggers' enabled state (ALTER TABLE … DISABLE
// TRIGGER), event triggers, comments on triggers. Expressions (defaults,
// checks, predicates, generated columns,
// views) use pg_get_expr's pretty form.
//
// opts.Exclude names tables and views to leave out. When q is a *sql.DB
// and the schema has at least parallelInspectTables tables, the queries
// after the first two run concurrently, each on its own connection;
// otherwise they run in turn.
func (d Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	nsp, err := schemaName(ctx, q, opts.Schema)
	if err != nil {
		return nil, err
	}
	s := &schema.Schema{Name: nsp}
	tables := map[string]*schema.Table{}
	table := func(name string) *schema.Table { return tables[name] }

	const tablesQuery = `SELECT c.relname, COALESCE(dsc.description, '')
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = 0
WHERE ` + tableFilter + `
ORDER BY c.relname`
	err = each(ctx, q, tablesQuery, nsp, func(rows *sql.Rows) error {
		t := &schema.Table{}
		if err := rows.Scan(&t.Name, &t.Comment); err != nil {
			return err
		}
		if !slices.Contains(opts.Exclude, t.Name) {
			tables[t.Name] = t
			s.Tables = append(s.Tables, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: inspect tables: %w", err)
	}

	// The remaining queries each fill their own part of the tables (or
	// of s), so on a *sql.DB they can run at once on separate connections;
	// a transaction or a single connection runs them in turn. Each new
	// connection starts a server process (a few milliseconds), which pays
	// only when there are enough tables for the queries to take longer.
	var triggers []tableTrigger
	steps := []func() error{
		func() error { return wrap("columns", d.inspectColumns(ctx, q, nsp, table)) },
		func() error { return wrap("primary keys", inspectPrimaryKeys(ctx, q, nsp, table)) },
		func() error { return wrap("indexes", d.inspectIndexes(ctx, q, nsp, table)) },
		func() error { return wrap("foreign keys", inspectForeignKeys(ctx, q, nsp, table)) },
		func() error { return wrap("check constraints", inspectChecks(ctx, q, nsp, table)) },
		func() error { return wrap("exclusion constraints", inspectExclusions(ctx, q, nsp, table)) },
		func() error { return wrap("partitions", inspectPartitions(ctx, q, nsp, table)) },
		func() (err error) {
			s.Enums, err = inspectEnums(ctx, q, nsp)
			return wrap("enum types", err)
		},
		func() (err error) {
			s.Views, err = inspectViews(ctx, q, nsp, opts.Exclude)
			return wrap("views", err)
		},
		func() (err error) {
			s.Extensions, err = inspectExtensions(ctx, q, nsp)
			return wrap("extensions", err)
		},
		func() (err error) {
			s.Functions, err = d.inspectFunctions(ctx, q, nsp)
			return wrap("functions", err)
		},
		func() (err error) {
			triggers, err = inspectTriggers(ctx, q, nsp)
			return wrap("triggers", err)
		},
		func() (err error) {
			s.Unmanaged, err = d.inspectUnmanaged(ctx, q, nsp, opts.Exclude)
			return wrap("objects strata does not manage", err)
		},
		func() (err error) {
			s.Sequences, err = inspectSequences(ctx, q, nsp)
			return wrap("sequences", err)
		},
		func() (err error) {
			s.Domains, err = inspectDomains(ctx, q, nsp)
			return wrap("domains", err)
		},
		func() (err error) {
			s.CompositeTypes, err = inspectCompositeTypes(ctx, q, nsp)
			return wrap("composite types", err)
		},
	}
	errs := make([]error, len(steps))
	if _, pooled := q.(*sql.DB); pooled && len(tables) >= parallelInspectTables {
		var wg sync.WaitGroup
		for i, step := range steps {
			wg.Go(func() { errs[i] = step() })
		}
		wg.Wait()
	} else {
		for i, step := range steps {
			if errs[i] = step(); errs[i] != nil {
				break
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := inspectViewIndexes(ctx, q, nsp, s.Views); err != nil {
		return nil, wrap("materialized views' indexes", err)
	}
	// Triggers join their table or view once both are read; those of
	// excluded ones are left out with them.
	for _, tr := range triggers {
		if ts, ok := s.Triggers(tr.table); ok {
			*ts = append(*ts, tr.trigger)
		}
	}
	s.Normalize()
	return s, nil
}

// parallelInspectTables is the number of tables from which Inspect on a
// *sql.DB runs its queries concurrently.
const parallelInspectTables = 100

// wrap names what was being inspected when err happened.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("postgres: inspect %s: %w", what, err)
}

// schemaName resolves the schema to inspect: name, or current_schema().
func schemaName(ctx context.Context, q dialect.Querier, name string) (string, error) {
	var nsp sql.NullString
	err := each(ctx, q, `SELECT n.nspname FROM pg_catalog.pg_namespace AS n
WHERE n.nspname = COALESCE(NULLIF($1::text, ''), current_schema())`, name, func(rows *sql.Rows) error {
		return rows.Scan(&nsp)
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("postgres: inspect schema: %w", err)
	case !nsp.Valid && name != "":
		return "", fmt.Errorf("postgres: inspect schema %q: no such schema", name)
	case !nsp.Valid:
		return "", errors.New("postgres: inspect schema: no current schema (does the search_path name an existing schema?)")
	}
	return nsp.String, nil
}

// inspectColumns reads every column of the schema's tables in one query.
// A serial column is one whose default takes nextval of a sequence the
// column owns (pg_depend type 'a'); identity columns own theirs with type
// 'i' and have attidentity set.
func (d Dialect) inspectColumns(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	generated := "a.attgenerated::text"
	if !d.atLeast(120000) {
		generated = "''::text" // generated columns came with PostgreSQL 12
	}
	query := `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
  pg_get_expr(ad.adbin, ad.adrelid, ` + generated + ` <> ''), a.attidentity::text, ` + generated + `,
  EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS dep
    JOIN pg_catalog.pg_class AS seq ON seq.oid = dep.objid AND seq.relkind = 'S'
    WHERE dep.classid = 'pg_catalog.pg_class'::regclass
      AND dep.refclassid = 'pg_catalog.pg_class'::regclass
      AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
  ),
  COALESCE(dsc.description, ''),
  CASE WHEN ty.typtype = 'e' AND ty.typnamespace = n.oid THEN ty.typname END,
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation THEN coll.collname END,
  format_type(sq.seqtypid, NULL), sq.seqstart, sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcache, sq.seqcycle
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type AS ty ON ty.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation AS coll ON coll.oid = a.attcollation
LEFT JOIN pg_catalog.pg_attrdef AS ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = a.attnum
LEFT JOIN LATERAL (
  SELECT s.seqtypid, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
  FROM pg_catalog.pg_depend AS dep
  JOIN pg_catalog.pg_sequence AS s ON s.seqrelid = dep.objid
  WHERE dep.classid = 'pg_catalog.pg_class'::regclass
    AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype IN ('a', 'i')
  ORDER BY dep.objid LIMIT 1
) AS sq ON true
WHERE ` + tableFilter + `
ORDER BY c.relname, a.attnum`
	types := map[string]schema.Type{} // format_type spellings repeat
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var (
			tableName, typ      string
			def, enum, collName sql.NullString
			notNull             bool
			identity, genKind   string
			ownsSequence        bool
			c                   = &schema.Column{}
			seqType             sql.NullString
			seq                 [5]sql.NullInt64 // start, increment, min, max, cache
			seqCycle            sql.NullBool
		)
		if err := rows.Scan(&tableName, &c.Name, &typ, &notNull, &def, &identity, &genKind, &ownsSequence, &c.Comment, &enum, &collName,
			&seqType, &seq[0], &seq[1], &seq[2], &seq[3], &seq[4], &seqCycle); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		if enum.Valid {
			c.Type = schema.EnumType{Name: enum.String}
		} else {
			if types[typ] == nil {
				types[typ] = parseType(typ)
			}
			c.Type = types[typ]
		}
		c.Nullable = !notNull
		c.Collation = collName.String
		serial := ownsSequence && def.Valid && strings.HasPrefix(def.String, "nextval(")
		switch {
		case genKind != "":
			c.Generated = schema.Generated{Expr: def.String, Stored: genKind == "s"}
		case identity != "":
			c.AutoIncrement = true
			if identity == "a" {
				c.Identity = schema.IdentityAlways
			}
		case serial:
			c.AutoIncrement = true
			c.Identity = schema.IdentitySerial
		case def.Valid:
			c.Default = columnDefault(def.String, c.Type)
		}
		if c.AutoIncrement && seqType.Valid {
			o := seqOptions{bits: typeBits(seqType.String), start: seq[0].Int64, inc: seq[1].Int64,
				min: seq[2].Int64, max: seq[3].Int64, cache: seq[4].Int64, cycle: seqCycle.Bool}
			c.Sequence = o.format(columnBits(c))
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
}

// inspectPrimaryKeys reads every primary key with its constraint name.
func inspectPrimaryKeys(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, con.conname, a.attname, COALESCE(dsc.description, '')
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = con.oid AND dsc.classoid = 'pg_catalog.pg_constraint'::regclass AND dsc.objsubid = 0
WHERE ` + tableFilter + ` AND con.contype = 'p'
ORDER BY c.relname, k.ord`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, column, comment string
		if err := rows.Scan(&tableName, &name, &column, &comment); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		if t.PrimaryKey == nil {
			t.PrimaryKey = &schema.PrimaryKey{Name: name, Comment: comment}
		}
		t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, column)
		return nil
	})
}

// inspectIndexes reads every index but the primary keys' and exclusion
// constraints', one row per key or INCLUDE column: UNIQUE constraints are
// unique indexes with Constraint set. A key is a column, or an expression
// as pg_get_indexdef prints that key, with its operator class (and its
// parameters), collation, direction and NULLS order where they are not
// the defaults; the index has its INCLUDE columns, NULLS NOT DISTINCT,
// storage parameters (reloptions), comment and, for a UNIQUE constraint,
// DEFERRABLE.
//
// A key's collation is reported where it is not the column's, or for an
// expression where pg_get_indexdef writes one after it (not the
// expression's own collation, which SQL cannot ask for).
func (d Dialect) inspectIndexes(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	keyColumns := "i.indnkeyatts"
	if !d.atLeast(110000) {
		keyColumns = "i.indnatts" // INCLUDE came with PostgreSQL 11
	}
	nullsNotDistinct := "false"
	if d.atLeast(150000) {
		nullsNotDistinct = "i.indnullsnotdistinct"
	}
	opclassParams := "''"
	if d.atLeast(130000) {
		opclassParams = "COALESCE(array_to_string(ia.attoptions, ','), '')"
	}
	query := `SELECT c.relname, ic.relname, i.indisunique,
  con.contype IS NOT NULL,
  COALESCE(pg_get_expr(i.indpred, i.indrelid, true), ''), am.amname,
  COALESCE(a.attname, ''), CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE '' END,
  COALESCE(k.opt, 0), k.ord > ` + keyColumns + `,
  CASE WHEN NOT opc.opcdefault OR ` + opclassParams + ` <> '' THEN
    CASE WHEN opcn.nspname IN ('pg_catalog', $1) THEN '' ELSE quote_ident(opcn.nspname) || '.' END || quote_ident(opc.opcname)
  ELSE '' END,
  ` + opclassParams + `,
  CASE WHEN k.coll IS NULL OR k.coll = 0 THEN ''
    WHEN k.attnum > 0 AND k.coll <> a.attcollation THEN kc.collname
    WHEN k.attnum = 0 AND position(pg_get_indexdef(i.indexrelid, k.ord::int, true) || ' COLLATE ' IN pg_get_indexdef(i.indexrelid, 0, true)) > 0
      THEN kc.collname
    ELSE '' END,
  ` + nullsNotDistinct + `, COALESCE(array_to_json(ic.reloptions)::text, ''),
  COALESCE(con.condeferrable, false), COALESCE(con.condeferred, false),
  COALESCE(CASE WHEN con.oid IS NOT NULL THEN cdsc.description ELSE idsc.description END, '')
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_class AS c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am AS am ON am.oid = ic.relam
CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indoption::int2[], i.indclass::oid[], i.indcollation::oid[]) WITH ORDINALITY AS k(attnum, opt, opclass, coll, ord)
JOIN pg_catalog.pg_attribute AS ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.ord
LEFT JOIN pg_catalog.pg_collation AS kc ON kc.oid = k.coll
LEFT JOIN pg_catalog.pg_opclass AS opc ON opc.oid = k.opclass
LEFT JOIN pg_catalog.pg_namespace AS opcn ON opcn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum > 0
LEFT JOIN pg_catalog.pg_constraint AS con
  ON con.conrelid = c.oid AND con.conindid = i.indexrelid AND con.contype IN ('u', 'x')
LEFT JOIN pg_catalog.pg_description AS idsc
  ON idsc.objoid = i.indexrelid AND idsc.classoid = 'pg_catalog.pg_class'::regclass AND idsc.objsubid = 0
LEFT JOIN pg_catalog.pg_description AS cdsc
  ON cdsc.objoid = con.oid AND cdsc.classoid = 'pg_catalog.pg_constraint'::regclass AND cdsc.objsubid = 0
WHERE ` + tableFilter + `
  AND NOT i.indisprimary AND con.contype IS DISTINCT FROM 'x'
ORDER BY c.relname, ic.relname, k.ord`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var (
			tableName, name, where, method, column, expr, opclass, params, coll, reloptions, comment string
			unique, constraint, included, nullsNotDistinct, deferrable, deferred                     bool
			opt                                                                                      int
		)
		if err := rows.Scan(&tableName, &name, &unique, &constraint, &where, &method, &column, &expr, &opt, &included,
			&opclass, &params, &coll, &nullsNotDistinct, &reloptions, &deferrable, &deferred, &comment); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		var ix *schema.Index
		if n := len(t.Indexes); n > 0 && t.Indexes[n-1].Name == name {
			ix = t.Indexes[n-1]
		} else {
			if method == "btree" {
				method = ""
			}
			ix = &schema.Index{Name: name, Unique: unique, Constraint: constraint, Where: where, Method: method,
				NullsNotDistinct: nullsNotDistinct, Deferrable: deferrable, InitiallyDeferred: deferred, Comment: comment}
			if reloptions != "" {
				if err := json.Unmarshal([]byte(reloptions), &ix.Params); err != nil {
					return fmt.Errorf("index %q: storage parameters %s: %w", name, reloptions, err)
				}
			}
			t.Indexes = append(t.Indexes, ix)
		}
		if included {
			ix.Include = append(ix.Include, column)
			return nil
		}
		// indoption: bit 0 DESC, bit 1 NULLS FIRST.
		desc, nullsFirst := opt&1 == 1, opt&2 == 2
		part := schema.IndexPart{Column: column, Desc: desc, OpClass: opclass, OpClassParams: params, Collation: coll}
		switch {
		case desc && !nullsFirst:
			part.Nulls = "LAST"
		case !desc && nullsFirst:
			part.Nulls = "FIRST"
		}
		if column == "" {
			part.Expr = expr
		}
		ix.Parts = append(ix.Parts, part)
		return nil
	})
}

// referentialActions maps pg_constraint's confupdtype and confdeltype
// codes to the schema's words; NO ACTION ('a') is "".
var referentialActions = map[string]string{
	"a": "",
	"r": "RESTRICT",
	"c": "CASCADE",
	"n": "SET NULL",
	"d": "SET DEFAULT",
}

// matchTypes maps pg_constraint's confmatchtype codes to the schema's
// words; MATCH SIMPLE ('s') is "".
var matchTypes = map[string]string{"s": "", "f": "FULL", "p": "PARTIAL"}

// inspectForeignKeys reads every foreign key with its column pairs in
// order.
func inspectForeignKeys(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, con.conname, a.attname, rc.relname, ra.attname,
  con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.condeferred,
  con.confmatchtype::text, NOT con.convalidated, COALESCE(dsc.description, '')
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class AS rc ON rc.oid = con.confrelid
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
JOIN pg_catalog.pg_attribute AS ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = con.oid AND dsc.classoid = 'pg_catalog.pg_constraint'::regclass AND dsc.objsubid = 0
WHERE ` + tableFilter + ` AND con.contype = 'f'
ORDER BY c.relname, con.conname, k.ord`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, column, refTable, refColumn, onUpdate, onDelete, match, comment string
		var deferrable, deferred, notValid bool
		if err := rows.Scan(&tableName, &name, &column, &refTable, &refColumn, &onUpdate, &onDelete, &deferrable, &deferred, &match, &notValid, &comment); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		var fk *schema.ForeignKey
		if n := len(t.ForeignKeys); n > 0 && t.ForeignKeys[n-1].Name == name {
			fk = t.ForeignKeys[n-1]
		} else {
			fk = &schema.ForeignKey{
				Name:              name,
				RefTable:          refTable,
				OnDelete:          referentialActions[onDelete],
				OnUpdate:          referentialActions[onUpdate],
				Deferrable:        deferrable,
				InitiallyDeferred: deferred,
				Match:             matchTypes[match],
				NotValid:          notValid,
				Comment:           comment,
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		fk.Columns = append(fk.Columns, column)
		fk.RefColumns = append(fk.RefColumns, refColumn)
		return nil
	})
}

// inspectChecks reads every check constraint; Expr is what
// pg_get_constraintdef prints inside CHECK (…).
func inspectChecks(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, con.conname, pg_get_constraintdef(con.oid, true),
  con.connoinherit, NOT con.convalidated, COALESCE(dsc.description, '')
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = con.oid AND dsc.classoid = 'pg_catalog.pg_constraint'::regclass AND dsc.objsubid = 0
WHERE ` + tableFilter + ` AND con.contype = 'c'
ORDER BY c.relname, con.conname`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, def, comment string
		var noInherit, notValid bool
		if err := rows.Scan(&tableName, &name, &def, &noInherit, &notValid, &comment); err != nil {
			return err
		}
		if t := table(tableName); t != nil {
			t.Checks = append(t.Checks, &schema.Check{Name: name, Expr: checkExpr(def), NoInherit: noInherit, NotValid: notValid, Comment: comment})
		}
		return nil
	})
}

// checkExpr returns the expression of a constraint definition as
// pg_get_constraintdef prints it: "CHECK (a > 0) NOT VALID" gives
// "a > 0", in the one spelling of normalizeCheck.
func checkExpr(def string) string {
	def = strings.TrimSpace(def)
	def = strings.TrimSuffix(def, " NOT VALID")
	def = strings.TrimSuffix(def, " NO INHERIT")
	if rest, ok := strings.CutPrefix(def, "CHECK "); ok {
		return normalizeCheck(checkSpelling(stripParens(rest)))
	}
	return normalizeCheck(checkSpelling(def))
}

// inspectEnums reads the schema's enum types with their values in order.
func inspectEnums(ctx context.Context, q dialect.Querier, nsp string) ([]*schema.Enum, error) {
	const query = `SELECT t.typname, e.enumlabel, COALESCE(dsc.description, '')
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_enum AS e ON e.enumtypid = t.oid
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = t.oid AND dsc.classoid = 'pg_catalog.pg_type'::regclass AND dsc.objsubid = 0
WHERE n.nspname = $1 AND t.typtype = 'e' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS ext
  WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid AND ext.deptype = 'e')
ORDER BY t.typname, e.enumsortorder`
	var enums []*schema.Enum
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var name, comment string
		var label sql.NullString // NULL for an enum without values
		if err := rows.Scan(&name, &label, &comment); err != nil {
			return err
		}
		if n := len(enums); n == 0 || enums[n-1].Name != name {
			enums = append(enums, &schema.Enum{Name: name, Comment: comment})
		}
		if label.Valid {
			e := enums[len(enums)-1]
			e.Values = append(e.Values, label.String)
		}
		return nil
	})
	return enums, err
}

// inspectViews reads the schema's views and materialized views, each
// with pg_get_viewdef's pretty definition, trimmed and without its final
// semicolon; a materialized view not populated is NoData.
func inspectViews(ctx context.Context, q dialect.Querier, nsp string, exclude []string) ([]*schema.View, error) {
	const query = `SELECT c.relname, pg_get_viewdef(c.oid, true), c.relkind = 'm', NOT c.relispopulated, COALESCE(dsc.description, '')
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objsubid = 0
WHERE n.nspname = $1 AND c.relkind IN ('v', 'm') AND ` + notExtensionMember + `
ORDER BY c.relname`
	var views []*schema.View
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		v := &schema.View{}
		if err := rows.Scan(&v.Name, &v.Def, &v.Materialized, &v.NoData, &v.Comment); err != nil {
			return err
		}
		if !slices.Contains(exclude, v.Name) {
			v.Def = viewDef(v.Def)
			views = append(views, v)
		}
		return nil
	})
	return views, err
}

// viewDef trims a view definition and drops its final semicolon.
func viewDef(def string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(def), ";"))
}

// stripParens removes parentheses that enclose all of s, once.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return s
	}
	depth, inStr, inIdent := 0, false, false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case inStr:
			inStr = ch != '\''
		case inIdent:
			inIdent = ch != '"'
		case ch == '\'':
			inStr = true
		case ch == '"':
			inIdent = true
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return s // the first parenthesis closes before the end
			}
		}
	}
	return strings.TrimSpace(s[1 : len(s)-1])
}

// each runs query with the schema name as $1 and calls fn for each row.
func each(ctx context.Context, q dialect.Querier, query, nsp string, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, nsp)
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
