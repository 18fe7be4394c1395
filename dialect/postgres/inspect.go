package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// tableFilter selects the ordinary and partitioned tables of the schema
// named by $1 (partitions are part of their parent).
const tableFilter = `n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`

// Inspect reads one schema, opts.Schema or else the connection's
// current_schema(), with a fixed number of set-based catalog queries
// (schema, tables, columns, primary keys, indexes, foreign keys), however
// many tables it holds.
//
// Identity and serial columns are reported as AutoIncrement without a
// default. Unique constraints are reported as the unique indexes that
// back them. Indexes the neutral model cannot describe (on expressions,
// partial, or not B-tree) are left out, as are generated columns'
// expressions.
func (d Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	nsp, err := schemaName(ctx, q, opts.Schema)
	if err != nil {
		return nil, err
	}
	s := &schema.Schema{Name: nsp}
	tables := map[string]*schema.Table{}
	table := func(name string) *schema.Table { return tables[name] }

	const tablesQuery = `SELECT c.relname, COALESCE(obj_description(c.oid, 'pg_class'), '')
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
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

	if err := d.inspectColumns(ctx, q, nsp, table); err != nil {
		return nil, fmt.Errorf("postgres: inspect columns: %w", err)
	}
	if err := inspectPrimaryKeys(ctx, q, nsp, table); err != nil {
		return nil, fmt.Errorf("postgres: inspect primary keys: %w", err)
	}
	if err := d.inspectIndexes(ctx, q, nsp, table); err != nil {
		return nil, fmt.Errorf("postgres: inspect indexes: %w", err)
	}
	if err := inspectForeignKeys(ctx, q, nsp, table); err != nil {
		return nil, fmt.Errorf("postgres: inspect foreign keys: %w", err)
	}
	s.Normalize()
	return s, nil
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
	generated := "a.attgenerated <> ''"
	if !d.atLeast(120000) {
		generated = "false" // generated columns came with PostgreSQL 12
	}
	query := `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
  CASE WHEN ` + generated + ` THEN NULL ELSE pg_get_expr(ad.adbin, ad.adrelid) END,
  a.attidentity <> '',
  EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS dep
    JOIN pg_catalog.pg_class AS seq ON seq.oid = dep.objid AND seq.relkind = 'S'
    WHERE dep.classid = 'pg_catalog.pg_class'::regclass
      AND dep.refclassid = 'pg_catalog.pg_class'::regclass
      AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
  ),
  COALESCE(col_description(c.oid, a.attnum), '')
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_attrdef AS ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
WHERE ` + tableFilter + `
ORDER BY c.relname, a.attnum`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var (
			tableName, typ string
			def            sql.NullString
			notNull        bool
			identity       bool
			ownsSequence   bool
			c              = &schema.Column{}
		)
		if err := rows.Scan(&tableName, &c.Name, &typ, &notNull, &def, &identity, &ownsSequence, &c.Comment); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		c.Type = parseType(typ)
		c.Nullable = !notNull
		serial := ownsSequence && def.Valid && strings.HasPrefix(def.String, "nextval(")
		switch {
		case identity || serial:
			c.AutoIncrement = true
		case def.Valid:
			c.Default = parseDefault(def.String)
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
}

// inspectPrimaryKeys reads every primary key with its constraint name.
func inspectPrimaryKeys(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, con.conname, a.attname
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum
WHERE ` + tableFilter + ` AND con.contype = 'p'
ORDER BY c.relname, k.ord`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, column string
		if err := rows.Scan(&tableName, &name, &column); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		if t.PrimaryKey == nil {
			t.PrimaryKey = &schema.PrimaryKey{Name: name}
		}
		t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, column)
		return nil
	})
}

// inspectIndexes reads every index but the primary keys', unique
// constraints' included. Only plain B-tree indexes on columns are read:
// key columns only (not INCLUDE), no expressions, no predicate.
func (d Dialect) inspectIndexes(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	keyColumns := "i.indnkeyatts"
	if !d.atLeast(110000) {
		keyColumns = "i.indnatts" // INCLUDE came with PostgreSQL 11
	}
	query := `SELECT c.relname, ic.relname, i.indisunique, a.attname
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_class AS c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am AS am ON am.oid = ic.relam
CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum
WHERE ` + tableFilter + `
  AND NOT i.indisprimary AND i.indexprs IS NULL AND i.indpred IS NULL
  AND am.amname = 'btree' AND k.ord <= ` + keyColumns + `
ORDER BY c.relname, ic.relname, k.ord`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, column string
		var unique bool
		if err := rows.Scan(&tableName, &name, &unique, &column); err != nil {
			return err
		}
		t := table(tableName)
		if t == nil {
			return nil
		}
		ix, ok := t.Index(name)
		if !ok {
			ix = &schema.Index{Name: name, Unique: unique}
			t.Indexes = append(t.Indexes, ix)
		}
		ix.Parts = append(ix.Parts, schema.IndexPart{Column: column})
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

// inspectForeignKeys reads every foreign key with its column pairs in
// order.
func inspectForeignKeys(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, con.conname, a.attname, rc.relname, ra.attname,
  con.confupdtype::text, con.confdeltype::text
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class AS rc ON rc.oid = con.confrelid
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord)
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
JOIN pg_catalog.pg_attribute AS ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum
WHERE ` + tableFilter + ` AND con.contype = 'f'
ORDER BY c.relname, con.conname, k.ord`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, column, refTable, refColumn, onUpdate, onDelete string
		if err := rows.Scan(&tableName, &name, &column, &refTable, &refColumn, &onUpdate, &onDelete); err != nil {
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
				Name:     name,
				RefTable: refTable,
				OnDelete: referentialActions[onDelete],
				OnUpdate: referentialActions[onUpdate],
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		fk.Columns = append(fk.Columns, column)
		fk.RefColumns = append(fk.RefColumns, refColumn)
		return nil
	})
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
