package dialect

import (
	"context"
	"fmt"
	"slices"

	"github.com/strata-go/strata/schema"
)

// ReadUnmanaged runs a dialect's query for the objects strata does not
// model, whose rows are (kind, name, table), and returns them, leaving
// out those of the tables exclude names (InspectOptions.Exclude).
func ReadUnmanaged(ctx context.Context, q Querier, query string, args []any, exclude []string) ([]schema.Unmanaged, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read objects strata does not manage: %w", err)
	}
	defer rows.Close()
	var out []schema.Unmanaged
	for rows.Next() {
		var u schema.Unmanaged
		if err := rows.Scan(&u.Kind, &u.Name, &u.Table); err != nil {
			return nil, fmt.Errorf("read objects strata does not manage: %w", err)
		}
		if !slices.Contains(exclude, u.Table) && !slices.Contains(exclude, u.Name) {
			out = append(out, u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read objects strata does not manage: %w", err)
	}
	return out, nil
}
