package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.DevDatabase = Dialect{}

// devObjectsQuery lists what someone made in the database, each name as
// SQL names it (quote_ident): schemas other than public and the system's
// (each dropped with all it holds), extensions but plpgsql, and in public
// the relations, types and routines no extension owns. The kind is a word
// of DROP with _ for a space. The order is the order Clear drops in.
// prokind is read through to_jsonb, as PostgreSQL 10 lacks it.
const devObjectsQuery = `SELECT kind, name FROM (
  SELECT 'schema' AS kind, quote_ident(n.nspname) AS name, 0 AS ord FROM pg_namespace n
  WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
UNION ALL
  SELECT 'extension', quote_ident(e.extname), 1 FROM pg_extension e WHERE e.extname <> 'plpgsql'
UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized_view' WHEN 'S' THEN 'sequence'
      WHEN 'f' THEN 'foreign_table' ELSE 'table' END,
    format('%I.%I', n.nspname, c.relname), CASE WHEN c.relkind IN ('v', 'm') THEN 2 ELSE 3 END
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, format('%I.%I', n.nspname, t.typname), 4
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = 'public'
    AND (t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
  SELECT CASE COALESCE(to_jsonb(p) ->> 'prokind', 'f') WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
    format('%I.%s', n.nspname, p.oid::regprocedure::text), 5
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
) o ORDER BY ord, name`

// Objects lists the schemas (but public), extensions (but plpgsql) and
// public's tables, views, sequences, types and routines.
func (Dialect) Objects(ctx context.Context, q dialect.Querier) ([]string, error) {
	out, err := dialect.ListPairs(ctx, q, devObjectsQuery)
	if err != nil {
		return nil, fmt.Errorf("postgres: list the database's objects: %w", err)
	}
	for i, o := range out {
		kind, name, _ := strings.Cut(o, " ")
		out[i] = strings.ReplaceAll(kind, "_", " ") + " " + name
	}
	return out, nil
}

// Clear drops every object Objects lists, with CASCADE (what one drop
// takes along, a later IF EXISTS skips).
func (Dialect) Clear(ctx context.Context, q dialect.Querier) error {
	objects, err := dialect.ListPairs(ctx, q, devObjectsQuery)
	if err != nil {
		return fmt.Errorf("postgres: clear: %w", err)
	}
	for _, o := range objects {
		kind, name, _ := strings.Cut(o, " ")
		stmt := fmt.Sprintf("DROP %s IF EXISTS %s CASCADE", strings.ToUpper(strings.ReplaceAll(kind, "_", " ")), name)
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("postgres: clear: %s: %w", stmt, err)
		}
	}
	return nil
}
