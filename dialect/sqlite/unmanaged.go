package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

// Unmanaged is an object of the database that strata does not manage:
// Inspect leaves it out, so that no schema ever shows it, and neither diff
// nor a migration touches it. Commands should say so rather than report
// "no changes" over it.
type Unmanaged struct {
	// Kind is what it is ("virtual table"), Name its name, Detail what
	// else identifies it (the module of a virtual table: fts5, rtree…).
	Kind, Name, Detail string
}

func (u Unmanaged) String() string {
	s := fmt.Sprintf("%s %s", u.Kind, quote(u.Name))
	if u.Detail != "" {
		s += " (" + u.Detail + ")"
	}
	return s
}

// unmanagedQuery lists the virtual tables of the main database with their
// CREATE VIRTUAL TABLE text; their shadow tables (FTS5's t_data and so
// on) belong to them and are not listed.
const unmanagedQuery = `SELECT l.name, coalesce(m.sql, '') FROM pragma_table_list AS l
LEFT JOIN sqlite_schema AS m ON m.name = l.name AND m.type = 'table'
WHERE l.schema = 'main' AND l.type = 'virtual' ORDER BY l.name`

// Unmanaged lists what the main database holds that strata does not
// manage: its virtual tables (CREATE VIRTUAL TABLE … USING module), which
// Inspect leaves out with their shadow tables.
func (Dialect) Unmanaged(ctx context.Context, q dialect.Querier) ([]Unmanaged, error) {
	var out []Unmanaged
	err := each(ctx, q, unmanagedQuery, func(rows *sql.Rows) error {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return err
		}
		out = append(out, Unmanaged{Kind: "virtual table", Name: name, Detail: virtualModule(text)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list unmanaged objects: %w", err)
	}
	return out, nil
}

// virtualModule returns the module a CREATE VIRTUAL TABLE statement uses,
// in lower case, or "".
func virtualModule(text string) string {
	toks := tokenize(text)
	for i, t := range toks {
		if t.is("USING") && i+1 < len(toks) {
			return strings.ToLower(toks[i+1].name())
		}
	}
	return ""
}
