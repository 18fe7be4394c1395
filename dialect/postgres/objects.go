package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// inspectExtensions reads the extensions installed in the schema, such as
// pgcrypto or pg_trgm in public. plpgsql lives in pg_catalog and is not
// one of them.
func inspectExtensions(ctx context.Context, q dialect.Querier, nsp string) ([]*schema.Extension, error) {
	const query = `SELECT e.extname
FROM pg_catalog.pg_extension AS e
JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
WHERE n.nspname = $1
ORDER BY e.extname`
	var exts []*schema.Extension
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		e := &schema.Extension{}
		if err := rows.Scan(&e.Name); err != nil {
			return err
		}
		exts = append(exts, e)
		return nil
	})
	return exts, err
}

// inspectFunctions reads the schema's functions and procedures, each with
// pg_get_functiondef's definition, the schema name taken out of its first
// line. Aggregates and window functions are left out (pg_get_functiondef
// cannot print an aggregate), and so are the functions an extension owns
// (pg_depend type 'e'): CREATE EXTENSION makes them; and those another
// object makes and owns (type 'i': a range type's constructors).
func (d Dialect) inspectFunctions(ctx context.Context, q dialect.Querier, nsp string) ([]*schema.Function, error) {
	kind := "p.prokind::text"
	if !d.atLeast(110000) {
		kind = "CASE WHEN p.proisagg OR p.proiswindow THEN 'a' ELSE 'f' END" // prokind came with PostgreSQL 11
	}
	query := `SELECT ` + kind + `, p.proname, pg_get_function_identity_arguments(p.oid),
  pg_get_function_arguments(p.oid), COALESCE(pg_get_function_result(p.oid), ''),
  pg_get_functiondef(p.oid), quote_ident(n.nspname) || '.', COALESCE(dsc.description, '')
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_description AS dsc
  ON dsc.objoid = p.oid AND dsc.classoid = 'pg_catalog.pg_proc'::regclass AND dsc.objsubid = 0
WHERE n.nspname = $1 AND ` + kind + ` IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS ext
    WHERE ext.classid = 'pg_catalog.pg_proc'::regclass AND ext.objid = p.oid AND ext.deptype IN ('e', 'i'))
ORDER BY p.proname, 3`
	var fns []*schema.Function
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var k, prefix string
		f := &schema.Function{}
		if err := rows.Scan(&k, &f.Name, &f.Args, &f.Params, &f.Returns, &f.Def, &prefix, &f.Comment); err != nil {
			return err
		}
		f.Kind = schema.FunctionKind
		if k == "p" {
			f.Kind = schema.ProcedureKind
		}
		f.Def = functionDef(f.Def, prefix)
		fns = append(fns, f)
		return nil
	})
	return fns, err
}

// functionComment renders COMMENT ON FUNCTION (or PROCEDURE) for f.
func functionComment(f *schema.Function, text string) string {
	kw := "FUNCTION"
	if f.Kind == schema.ProcedureKind {
		kw = "PROCEDURE"
	}
	return comment(fmt.Sprintf("%s %s(%s)", kw, quote(f.Name), f.Args), text)
}

// functionDef trims a definition as pg_get_functiondef prints it and takes
// the schema prefix out of its head (CREATE OR REPLACE FUNCTION
// public.f(…) becomes … FUNCTION f(…)), so that a function compares equal
// whatever schema holds it, as tables do.
func functionDef(def, prefix string) string {
	def = strings.TrimSpace(def)
	head, rest, _ := strings.Cut(def, "\n")
	for _, kw := range []string{"FUNCTION ", "PROCEDURE "} {
		if i := strings.Index(head, kw+prefix); i >= 0 {
			head = head[:i+len(kw)] + head[i+len(kw)+len(prefix):]
			break
		}
	}
	if rest == "" {
		return head
	}
	return head + "\n" + rest
}

// tableTrigger is a trigger read before its table or view is.
type tableTrigger struct {
	table   string
	trigger *schema.Trigger
}

// inspectTriggers reads the triggers of the schema's tables and views,
// each with pg_get_triggerdef's pretty definition, its ON target written
// as the table's quoted name without the schema. Internal triggers (those
// behind foreign keys and deferred unique constraints) are left out.
func inspectTriggers(ctx context.Context, q dialect.Querier, nsp string) ([]tableTrigger, error) {
	const query = `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid, true)
FROM pg_catalog.pg_trigger AS t
JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v') AND NOT t.tgisinternal
ORDER BY c.relname, t.tgname`
	var out []tableTrigger
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var table string
		tr := &schema.Trigger{}
		if err := rows.Scan(&table, &tr.Name, &tr.Def); err != nil {
			return err
		}
		def, err := triggerDef(tr.Def, table)
		if err != nil {
			return fmt.Errorf("trigger %q on %q: %w", tr.Name, table, err)
		}
		tr.Def = def
		out = append(out, tableTrigger{table: table, trigger: tr})
		return nil
	})
	return out, err
}

// triggerDef writes the table a trigger definition names after ON as
// quote(table), whether the server printed it with its schema or not.
func triggerDef(def, table string) (string, error) {
	def = strings.TrimSuffix(strings.TrimSpace(def), ";")
	start, end, ok := schema.TriggerTable(def)
	if !ok {
		return "", fmt.Errorf("no ON clause in %q", def)
	}
	return def[:start] + quote(table) + def[end:], nil
}

// renderObject renders the ops on extensions, functions and triggers, or
// reports ok false for any other op.
func renderObject(o op.Op) (stmts []string, ok bool, err error) {
	switch o := o.(type) {
	case op.CreateExtension:
		if o.Extension == nil || o.Extension.Name == "" {
			return nil, true, fmt.Errorf("no extension")
		}
		return []string{"CREATE EXTENSION " + quote(o.Extension.Name)}, true, nil
	case op.DropExtension:
		if o.Extension == nil || o.Extension.Name == "" {
			return nil, true, fmt.Errorf("no extension")
		}
		return []string{"DROP EXTENSION " + quote(o.Extension.Name)}, true, nil
	case op.CreateFunction:
		if o.Function == nil || strings.TrimSpace(o.Function.Def) == "" {
			return nil, true, fmt.Errorf("no function definition")
		}
		stmts := []string{o.Function.Def}
		if o.Function.Comment != "" {
			stmts = append(stmts, functionComment(o.Function, o.Function.Comment))
		}
		return stmts, true, nil
	case op.ReplaceFunction:
		if o.From == nil || o.To == nil || strings.TrimSpace(o.To.Def) == "" {
			return nil, true, fmt.Errorf("needs both From and To, with a definition")
		}
		if why := schema.NotReplaceable(o.From, o.To); why != "" {
			return nil, true, fmt.Errorf("%s, which CREATE OR REPLACE cannot do: drop the function and create it again", why)
		}
		return []string{replaceable(o.To.Def)}, true, nil
	case op.DropFunction:
		if o.Function == nil || o.Function.Name == "" {
			return nil, true, fmt.Errorf("no function")
		}
		kw := "FUNCTION"
		if o.Function.Kind == schema.ProcedureKind {
			kw = "PROCEDURE"
		}
		return []string{fmt.Sprintf("DROP %s %s(%s)", kw, quote(o.Function.Name), o.Function.Args)}, true, nil
	case op.CreateTrigger:
		if o.Trigger == nil || strings.TrimSpace(o.Trigger.Def) == "" {
			return nil, true, fmt.Errorf("no trigger definition")
		}
		return []string{o.Trigger.Def}, true, nil
	case op.DropTrigger:
		if o.Trigger == nil || o.Trigger.Name == "" || o.Table == "" {
			return nil, true, fmt.Errorf("needs the trigger's name and table")
		}
		return []string{fmt.Sprintf("DROP TRIGGER %s ON %s", quote(o.Trigger.Name), quote(o.Table))}, true, nil
	}
	return nil, false, nil
}

// replaceable makes sure a function definition replaces the function in
// place: pg_get_functiondef writes CREATE OR REPLACE, a definition from
// elsewhere may not.
func replaceable(def string) string {
	trimmed := strings.TrimSpace(def)
	if rest, ok := cutPrefixFold(trimmed, "CREATE "); ok && !hasPrefixFold(strings.TrimSpace(rest), "OR REPLACE ") {
		return "CREATE OR REPLACE " + strings.TrimSpace(rest)
	}
	return def
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if hasPrefixFold(s, prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
