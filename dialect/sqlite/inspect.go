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

// Inspect reads the schema of the main database with four set-based
// queries (tables, columns, indexes, foreign keys), whatever the number of
// tables.
func (Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	s := &schema.Schema{}
	tables := map[string]*schema.Table{}
	excluded := func(name string) bool { return slices.Contains(opts.Exclude, name) }

	const tablesQuery = `SELECT name FROM sqlite_schema
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	err := each(ctx, q, tablesQuery, func(rows *sql.Rows) error {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if !excluded(name) {
			t := &schema.Table{Name: name}
			tables[name] = t
			s.Tables = append(s.Tables, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: inspect tables: %w", err)
	}

	const columnsQuery = `SELECT m.name, c.name, c.type, c."notnull", c.dflt_value, c.pk
FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c
WHERE m.type = 'table' AND c.hidden = 0 ORDER BY m.name, c.cid`
	pks := map[string][]pkColumn{}
	err = each(ctx, q, columnsQuery, func(rows *sql.Rows) error {
		var (
			table, name, typ string
			notNull          bool
			def              sql.NullString
			pk               int
		)
		if err := rows.Scan(&table, &name, &typ, &notNull, &def, &pk); err != nil {
			return err
		}
		t, ok := tables[table]
		if !ok {
			return nil
		}
		c := &schema.Column{Name: name, Type: parseType(typ), Nullable: !notNull && pk == 0}
		if def.Valid {
			c.Default = parseDefault(def.String)
		}
		t.Columns = append(t.Columns, c)
		if pk > 0 {
			pks[table] = append(pks[table], pkColumn{name, typ, pk})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: inspect columns: %w", err)
	}
	for name, cols := range pks {
		slices.SortFunc(cols, func(a, b pkColumn) int { return a.seq - b.seq })
		pk := &schema.PrimaryKey{}
		for _, c := range cols {
			pk.Columns = append(pk.Columns, c.name)
		}
		t := tables[name]
		t.PrimaryKey = pk
		// Only a column declared exactly INTEGER aliases the rowid.
		if c := rowidAlias(t); c != nil && strings.EqualFold(strings.TrimSpace(cols[0].decl), "integer") {
			c.AutoIncrement = true
		}
	}

	const indexesQuery = `SELECT m.name, il.name, il."unique", il.origin, ic.name
FROM sqlite_schema AS m
JOIN pragma_index_list(m.name) AS il
JOIN pragma_index_info(il.name) AS ic
WHERE m.type = 'table' AND il.origin IN ('c', 'u')
ORDER BY m.name, il.name, ic.seqno`
	err = each(ctx, q, indexesQuery, func(rows *sql.Rows) error {
		var table, name, origin string
		var unique bool
		var column sql.NullString
		if err := rows.Scan(&table, &name, &unique, &origin, &column); err != nil {
			return err
		}
		t, ok := tables[table]
		if !ok {
			return nil
		}
		ix, ok := t.Index(name)
		if !ok {
			ix = &schema.Index{Name: name, Unique: unique}
			t.Indexes = append(t.Indexes, ix)
		}
		ix.Parts = append(ix.Parts, schema.IndexPart{Column: column.String})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: inspect indexes: %w", err)
	}

	const foreignKeysQuery = `SELECT m.name, fk.id, fk."table", fk."from", fk."to", fk.on_update, fk.on_delete
FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS fk
WHERE m.type = 'table' ORDER BY m.name, fk.id, fk.seq`
	byID := map[string]*schema.ForeignKey{}
	err = each(ctx, q, foreignKeysQuery, func(rows *sql.Rows) error {
		var table, refTable, from, onUpdate, onDelete string
		var to sql.NullString
		var id int
		if err := rows.Scan(&table, &id, &refTable, &from, &to, &onUpdate, &onDelete); err != nil {
			return err
		}
		t, ok := tables[table]
		if !ok {
			return nil
		}
		key := fmt.Sprintf("%s\x00%d", table, id)
		fk, ok := byID[key]
		if !ok {
			fk = &schema.ForeignKey{RefTable: refTable, OnDelete: onDelete, OnUpdate: onUpdate}
			byID[key] = fk
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to.String)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: inspect foreign keys: %w", err)
	}
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			// A reference without columns means the parent's primary key.
			if slices.Contains(fk.RefColumns, "") {
				if parent, ok := tables[fk.RefTable]; ok && parent.PrimaryKey != nil {
					fk.RefColumns = slices.Clone(parent.PrimaryKey.Columns)
				}
			}
		}
	}
	s.Normalize()
	return s, nil
}

type pkColumn struct {
	name, decl string
	seq        int
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
