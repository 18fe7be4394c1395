package dialect

import "context"

// DevDatabase is implemented by dialects that can take a database someone
// names (--dev-url, strata.WithDevURL) as their scratch database instead
// of creating one: strata uses it only while Objects finds nothing in it,
// and Clear drops what a run left there, so that it is empty again.
type DevDatabase interface {
	// Objects lists, one per entry and as "kind name", what the database
	// q reaches holds that someone made: tables, views, sequences, types,
	// functions, schemas and extensions, as the dialect has them; nil for
	// an empty database.
	Objects(ctx context.Context, q Querier) ([]string, error)
	// Clear drops every object Objects would list. q is a single session
	// (a *sql.Conn), so that the settings Clear makes to drop tables
	// whatever their foreign keys hold only for it; Clear restores them.
	Clear(ctx context.Context, q Querier) error
}

// ListPairs runs query, whose rows are two strings (kind and name), and
// returns them as "kind name".
func ListPairs(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			return nil, err
		}
		out = append(out, kind+" "+name)
	}
	return out, rows.Err()
}
