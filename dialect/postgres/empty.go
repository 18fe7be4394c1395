package postgres

import (
	"context"
	"fmt"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.EmptyTableProber = Dialect{}

// EmptyTables reports which of tables hold no rows without reading them:
// an ordinary table whose heap is zero bytes long has never held a row
// since it was created or truncated. Names that resolve to no relation
// are reported too (nothing to lose). Partitioned tables, whose parent
// heap is always empty, and tables whose heap has pages (possibly only
// dead rows) are left out for the caller to count.
func (Dialect) EmptyTables(ctx context.Context, q dialect.Querier, tables []string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.name
FROM unnest($1::text[]) AS u(name)
LEFT JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(u.name)
WHERE c.oid IS NULL OR (c.relkind = 'r' AND pg_catalog.pg_relation_size(c.oid) = 0)`, tables)
	if err != nil {
		return nil, fmt.Errorf("postgres: find empty tables: %w", err)
	}
	defer rows.Close()
	empty := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("postgres: find empty tables: %w", err)
		}
		empty[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: find empty tables: %w", err)
	}
	return empty, nil
}
