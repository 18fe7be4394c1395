package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.EffectGuard = Dialect{}

// GuardCatalog lists the tables of the main schema, identified by their
// root page, which a rename keeps; its row in sqlite_schema, which a
// rename keeps too but a drop and create replaces (unless the table was
// the schema's last object), stands for its storage. A root page freed by
// a drop goes to the next table created, so the identity is Reusable.
// Columns are identified by
// position and name: SQLite keeps no identity of a column, so a column
// dropped and added back under its name, or renamed, is a different
// column, whose values the guard compares.
func (Dialect) GuardCatalog(ctx context.Context, q dialect.Querier, ids []string) ([]dialect.GuardTable, error) {
	query := `SELECT m.rootpage, m.rowid, m.name, p.cid || ':' || p.name, p.name, p.type
FROM sqlite_schema AS m, pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.rootpage > 0 AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		for _, id := range ids {
			if strings.Trim(id, "0123456789") != "" || id == "" {
				return nil, fmt.Errorf("sqlite: guard: table id %q is not a page number", id)
			}
		}
		query += " AND m.rootpage IN (" + strings.Join(ids, ", ") + ")"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY m.rootpage, p.cid")
	if err != nil {
		return nil, fmt.Errorf("sqlite: guard: read the catalog: %w", err)
	}
	defer rows.Close()
	var out []dialect.GuardTable
	for rows.Next() {
		var id, rowid, name string
		var col dialect.GuardColumn
		if err := rows.Scan(&id, &rowid, &name, &col.ID, &col.Name, &col.Type); err != nil {
			return nil, fmt.Errorf("sqlite: guard: read the catalog: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, dialect.GuardTable{ID: id, Name: name, SQL: quote(name), Storage: rowid, Reusable: true})
		}
		t := &out[len(out)-1]
		t.Columns = append(t.Columns, col)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: guard: read the catalog: %w", err)
	}
	return out, nil
}

// HoldingRows asks each table for one row.
func (Dialect) HoldingRows(ctx context.Context, q dialect.Querier, ts []dialect.GuardTable) (map[string]bool, error) {
	held := map[string]bool{}
	if err := dialect.Holding(ctx, q, ts, held, func(id string) string { return "'" + id + "'" }); err != nil {
		return nil, fmt.Errorf("sqlite: guard: %w", err)
	}
	return held, nil
}

// WriteMark is total_changes(): the rows the connection inserted,
// updated or deleted since it opened.
func (Dialect) WriteMark(ctx context.Context, q dialect.Querier) (int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT total_changes()")
	if err != nil {
		return 0, fmt.Errorf("sqlite: guard: count rows written: %w", err)
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, fmt.Errorf("sqlite: guard: count rows written: %w", err)
		}
	}
	return n, rows.Err()
}

// Written cannot tell which tables: when total_changes() moved, any.
func (d Dialect) Written(ctx context.Context, q dialect.Querier, mark int64) ([]string, bool, error) {
	n, err := d.WriteMark(ctx, q)
	return nil, err == nil && n != mark, err
}

// GuardValue converts column by the affinity of typ and quotes it, so
// that text '1' and integer 1 differ, as they do to SQLite.
func (Dialect) GuardValue(column, typ string) string {
	if strings.TrimSpace(typ) == "" {
		return "quote(" + column + ")"
	}
	return "quote(CAST(" + column + " AS " + typ + "))"
}
