package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.EffectGuard = Dialect{}

// GuardCatalog lists the ordinary and partitioned tables of every schema
// but the system's, identified by oid, with their columns identified by
// attnum, so that a rename is followed. A partition is left out: its rows
// count under its parent.
func (Dialect) GuardCatalog(ctx context.Context, q dialect.Querier, ids []string) ([]dialect.GuardTable, error) {
	query := `SELECT c.oid::text, c.relname, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), c.relfilenode::text,
	COALESCE(a.attnum::text, ''), COALESCE(a.attname, ''), COALESCE(pg_catalog.format_type(a.atttypid, a.atttypmod), '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
	AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
	AND pg_catalog.has_table_privilege(c.oid, 'SELECT')`
	var args []any
	if ids != nil {
		oids := make([]int64, 0, len(ids))
		for _, id := range ids {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("postgres: guard: table id %q: %w", id, err)
			}
			oids = append(oids, n)
		}
		query += " AND c.oid = ANY($1::oid[])"
		args = append(args, oids)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY c.oid, a.attnum", args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: guard: read the catalog: %w", err)
	}
	defer rows.Close()
	var out []dialect.GuardTable
	for rows.Next() {
		var id, name, sqlName, storage string
		var col dialect.GuardColumn
		if err := rows.Scan(&id, &name, &sqlName, &storage, &col.ID, &col.Name, &col.Type); err != nil {
			return nil, fmt.Errorf("postgres: guard: read the catalog: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, dialect.GuardTable{ID: id, Name: name, SQL: sqlName, Storage: storage})
		}
		if col.ID != "" {
			t := &out[len(out)-1]
			t.Columns = append(t.Columns, col)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: guard: read the catalog: %w", err)
	}
	return out, nil
}

// HoldingRows looks at the heap size first: an ordinary table whose heap
// is zero bytes long holds no row, with no need to read it. The others
// are asked for one row each, a hundred tables to a query.
func (Dialect) HoldingRows(ctx context.Context, q dialect.Querier, ts []dialect.GuardTable) (map[string]bool, error) {
	held := map[string]bool{}
	if len(ts) == 0 {
		return held, nil
	}
	oids := make([]int64, 0, len(ts))
	byID := map[string]dialect.GuardTable{}
	for _, t := range ts {
		n, err := strconv.ParseInt(t.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("postgres: guard: table id %q: %w", t.ID, err)
		}
		oids = append(oids, n)
		byID[t.ID] = t
	}
	rows, err := q.QueryContext(ctx, `SELECT oid::text FROM pg_catalog.pg_class WHERE oid = ANY($1::oid[]) AND (relkind = 'p' OR pg_catalog.pg_relation_size(oid) > 0)`, oids)
	if err != nil {
		return nil, fmt.Errorf("postgres: guard: find tables holding rows: %w", err)
	}
	var maybe []dialect.GuardTable
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: guard: find tables holding rows: %w", err)
		}
		maybe = append(maybe, byID[id])
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: guard: find tables holding rows: %w", err)
	}
	return held, dialect.Holding(ctx, q, maybe, held, func(id string) string { return "'" + id + "'" })
}

// WriteMark reads nothing: Written asks the transaction's statistics.
func (Dialect) WriteMark(context.Context, dialect.Querier) (int64, error) { return 0, nil }

// Written lists the tables users created (oid from FirstNormalObjectId
// on: not the system catalogs, which every DDL statement writes) whose
// statistics count rows inserted or deleted and not yet reported, a
// partition under its root. That is a superset of this transaction's:
// the counts of transactions before it stay until the backend reports
// them, at most once a second. The functions are read rather than the
// view pg_stat_xact_user_tables, several times slower.
func (d Dialect) Written(ctx context.Context, q dialect.Querier, _ int64) ([]string, bool, error) {
	root := "COALESCE(pg_catalog.pg_partition_root(oid)::oid, oid)"
	if !d.atLeast(120000) {
		// Before 12 there is no pg_partition_root: a partition filled is
		// not followed to its partitioned table.
		root = "oid"
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT `+root+`::text FROM pg_catalog.pg_class
WHERE relkind IN ('r', 'p') AND oid >= 16384
	AND (pg_catalog.pg_stat_get_xact_tuples_inserted(oid) > 0 OR pg_catalog.pg_stat_get_xact_tuples_deleted(oid) > 0)`)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: guard: find tables written: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, false, fmt.Errorf("postgres: guard: find tables written: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, false, rows.Err()
}

// GuardValue converts column to typ, then to text. The conversion is the
// explicit cast, which for the old type of a column narrowed and cut
// gives the cut value back unchanged, so a cut shows.
func (Dialect) GuardValue(column, typ string) string {
	return "pg_catalog.quote_literal(CAST(CAST(" + column + " AS " + typ + ") AS text))"
}
