package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// Inspect reads the base tables of the connection's database (or of
// opts.Schema, when set) from information_schema with a fixed number of
// set-based queries, whatever the number of tables: the database's name,
// then TABLES, COLUMNS, STATISTICS, and KEY_COLUMN_USAGE joined with
// REFERENTIAL_CONSTRAINTS.
//
// Every index but PRIMARY is reported, including the ones InnoDB made by
// itself for a foreign key (Canonical adds those to schemas from other
// sources, so the two compare equal). Indexes the neutral model cannot
// describe are left out rather than misreported, so that strata neither
// copies nor drops them: FULLTEXT and SPATIAL indexes, indexes on a
// column prefix, functional index parts (MySQL 8). Foreign key actions
// RESTRICT and NO ACTION are both reported as the default "". The schema
// comes back normalized, with Name empty.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	var database sql.NullString
	err := each(ctx, q, "SELECT COALESCE(NULLIF(?, ''), DATABASE())", []any{opts.Schema}, func(rows *sql.Rows) error {
		return rows.Scan(&database)
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect: current database: %w", err)
	}
	if !database.Valid {
		return nil, fmt.Errorf("mysql: inspect: no database selected (name one in the URL)")
	}
	db := []any{database.String}

	s := &schema.Schema{}
	tables := map[string]*schema.Table{}
	const tablesQuery = `SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`
	err = each(ctx, q, tablesQuery, db, func(rows *sql.Rows) error {
		var name, comment string
		if err := rows.Scan(&name, &comment); err != nil {
			return err
		}
		if !slices.Contains(opts.Exclude, name) {
			t := &schema.Table{Name: name, Comment: comment}
			tables[name] = t
			s.Tables = append(s.Tables, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect tables: %w", err)
	}

	const columnsQuery = `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, DATA_TYPE,
  IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`
	positions := map[*schema.Column]int{}
	err = each(ctx, q, columnsQuery, db, func(rows *sql.Rows) error {
		var (
			table, name, colType, dataType, nullable, extra, comment string
			position                                                 int
			def                                                      sql.NullString
		)
		if err := rows.Scan(&table, &name, &position, &colType, &dataType, &nullable, &def, &extra, &comment); err != nil {
			return err
		}
		t, ok := tables[table]
		if !ok {
			return nil
		}
		c := &schema.Column{
			Name:          name,
			Type:          parseType(colType),
			Nullable:      nullable == "YES",
			AutoIncrement: strings.Contains(strings.ToLower(extra), "auto_increment"),
			Comment:       comment,
		}
		if !c.AutoIncrement {
			c.Default = d.server.parseDefault(def, dataType, extra)
		}
		positions[c] = position
		t.Columns = append(t.Columns, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect columns: %w", err)
	}
	for _, t := range s.Tables {
		slices.SortFunc(t.Columns, func(a, b *schema.Column) int { return positions[a] - positions[b] })
	}

	// A NULL COLUMN_NAME is a functional key part (MySQL 8); SUB_PART is
	// a prefix length. Both make the index one the model cannot hold.
	const indexesQuery = `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME,
  SUB_PART IS NOT NULL, INDEX_TYPE
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`
	type indexKey struct{ table, name string }
	type indexPart struct {
		seq    int
		column string
	}
	indexes := map[indexKey]*schema.Index{}
	parts := map[indexKey][]indexPart{}
	unsupported := map[indexKey]bool{}
	var order []indexKey
	err = each(ctx, q, indexesQuery, db, func(rows *sql.Rows) error {
		var (
			table, name, indexType string
			nonUnique, seq         int
			column                 sql.NullString
			prefix                 bool
		)
		if err := rows.Scan(&table, &name, &nonUnique, &seq, &column, &prefix, &indexType); err != nil {
			return err
		}
		if _, ok := tables[table]; !ok {
			return nil
		}
		k := indexKey{table, name}
		if _, ok := indexes[k]; !ok {
			indexes[k] = &schema.Index{Name: name, Unique: nonUnique == 0}
			order = append(order, k)
		}
		if !column.Valid || prefix || (indexType != "BTREE" && indexType != "HASH") {
			unsupported[k] = true
		}
		parts[k] = append(parts[k], indexPart{seq, column.String})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect indexes: %w", err)
	}
	for _, k := range order {
		if unsupported[k] {
			continue
		}
		ps := parts[k]
		slices.SortFunc(ps, func(a, b indexPart) int { return a.seq - b.seq })
		ix := indexes[k]
		for _, p := range ps {
			ix.Parts = append(ix.Parts, schema.IndexPart{Column: p.column})
		}
		t := tables[k.table]
		if k.name == "PRIMARY" {
			t.PrimaryKey = &schema.PrimaryKey{Columns: ix.ColumnNames()}
			continue
		}
		t.Indexes = append(t.Indexes, ix)
	}

	const foreignKeysQuery = `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION, k.COLUMN_NAME,
  k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE
FROM information_schema.KEY_COLUMN_USAGE AS k
JOIN information_schema.REFERENTIAL_CONSTRAINTS AS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME
  AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL`
	type fkKey struct{ table, name string }
	type fkPart struct {
		seq           int
		column, refTo string
	}
	fks := map[fkKey]*schema.ForeignKey{}
	fkParts := map[fkKey][]fkPart{}
	var fkOrder []fkKey
	err = each(ctx, q, foreignKeysQuery, db, func(rows *sql.Rows) error {
		var table, name, column, refTable, refColumn, onUpdate, onDelete string
		var seq int
		if err := rows.Scan(&table, &name, &seq, &column, &refTable, &refColumn, &onUpdate, &onDelete); err != nil {
			return err
		}
		if _, ok := tables[table]; !ok {
			return nil
		}
		k := fkKey{table, name}
		if _, ok := fks[k]; !ok {
			fks[k] = &schema.ForeignKey{
				Name:     name,
				RefTable: refTable,
				OnDelete: canonicalAction(onDelete),
				OnUpdate: canonicalAction(onUpdate),
			}
			fkOrder = append(fkOrder, k)
		}
		fkParts[k] = append(fkParts[k], fkPart{seq, column, refColumn})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect foreign keys: %w", err)
	}
	for _, k := range fkOrder {
		fk, ps := fks[k], fkParts[k]
		slices.SortFunc(ps, func(a, b fkPart) int { return a.seq - b.seq })
		for _, p := range ps {
			fk.Columns = append(fk.Columns, p.column)
			fk.RefColumns = append(fk.RefColumns, p.refTo)
		}
		t := tables[k.table]
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}

	s.Normalize()
	return s, nil
}

// each runs query with args and calls fn for every row.
func each(ctx context.Context, q dialect.Querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
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
