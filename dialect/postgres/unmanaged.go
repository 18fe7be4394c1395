package postgres

import (
	"context"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// unmanagedQuery lists, as (kind, name, table) rows, what the schema $1
// (and the database around it) holds that Inspect does not model, so
// that strata can say it does not manage it rather than find that two
// schemas match. Objects an extension owns are left out: CREATE
// EXTENSION makes them. {prokind} is the expression of pg_proc's kind,
// which PostgreSQL 10 spells otherwise.
//
// Each kind that strata comes to model leaves this list.
const unmanagedQuery = `WITH ext AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), nsp AS (
  SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1
)
SELECT 'foreign table', c.relname, ''
FROM pg_catalog.pg_class AS c
WHERE c.relnamespace = (SELECT oid FROM nsp) AND c.relkind = 'f'
  AND (c.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_class'::regclass))
UNION ALL
-- Partitions strata does not read: partitioned or foreign ones, and
-- those of a parent in another schema.
SELECT 'partition', c.relname, p.relname
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_inherits AS i ON i.inhrelid = c.oid
JOIN pg_catalog.pg_class AS p ON p.oid = i.inhparent
WHERE c.relnamespace = (SELECT oid FROM nsp) AND c.relispartition
  AND (c.relkind IN ('p', 'f') OR p.relnamespace <> c.relnamespace)
UNION ALL
SELECT 'inheritance from', p.relname, c.relname
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_inherits AS i ON i.inhrelid = c.oid
JOIN pg_catalog.pg_class AS p ON p.oid = i.inhparent
WHERE c.relnamespace = (SELECT oid FROM nsp) AND NOT c.relispartition AND c.relkind = 'r'
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'b' THEN 'base type' ELSE 'shell type' END, t.typname, ''
FROM pg_catalog.pg_type AS t
WHERE t.typnamespace = (SELECT oid FROM nsp)
  AND (t.typtype IN ('r', 'p') OR t.typtype = 'b' AND t.typcategory <> 'A')
  AND t.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_type'::regclass)
UNION ALL
SELECT 'rule', r.rulename, c.relname
FROM pg_catalog.pg_rewrite AS r
JOIN pg_catalog.pg_class AS c ON c.oid = r.ev_class
WHERE c.relnamespace = (SELECT oid FROM nsp) AND r.rulename <> '_RETURN'
UNION ALL
SELECT 'policy', pol.polname, c.relname
FROM pg_catalog.pg_policy AS pol
JOIN pg_catalog.pg_class AS c ON c.oid = pol.polrelid
WHERE c.relnamespace = (SELECT oid FROM nsp)
UNION ALL
SELECT 'row level security', '', c.relname
FROM pg_catalog.pg_class AS c
WHERE c.relnamespace = (SELECT oid FROM nsp) AND c.relrowsecurity
UNION ALL
SELECT CASE {prokind} WHEN 'a' THEN 'aggregate' ELSE 'window function' END,
  p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', ''
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = (SELECT oid FROM nsp) AND {prokind} IN ('a', 'w')
  AND p.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_proc'::regclass)
UNION ALL
SELECT 'operator', o.oprname || '(' || COALESCE(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE') || ', '
  || COALESCE(format_type(NULLIF(o.oprright, 0), NULL), 'NONE') || ')', ''
FROM pg_catalog.pg_operator AS o
WHERE o.oprnamespace = (SELECT oid FROM nsp)
  AND o.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_operator'::regclass)
UNION ALL
SELECT 'collation', coll.collname, ''
FROM pg_catalog.pg_collation AS coll
WHERE coll.collnamespace = (SELECT oid FROM nsp)
  AND coll.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_collation'::regclass)
UNION ALL
SELECT 'text search configuration', cfg.cfgname, ''
FROM pg_catalog.pg_ts_config AS cfg
WHERE cfg.cfgnamespace = (SELECT oid FROM nsp)
  AND cfg.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_ts_config'::regclass)
UNION ALL
SELECT 'text search dictionary', dict.dictname, ''
FROM pg_catalog.pg_ts_dict AS dict
WHERE dict.dictnamespace = (SELECT oid FROM nsp)
  AND dict.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_ts_dict'::regclass)
UNION ALL
SELECT 'statistics', st.stxname, c.relname
FROM pg_catalog.pg_statistic_ext AS st
JOIN pg_catalog.pg_class AS c ON c.oid = st.stxrelid
WHERE st.stxnamespace = (SELECT oid FROM nsp)
UNION ALL
SELECT 'event trigger', et.evtname, ''
FROM pg_catalog.pg_event_trigger AS et
WHERE et.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_event_trigger'::regclass)
UNION ALL
SELECT 'publication', pub.pubname, ''
FROM pg_catalog.pg_publication AS pub
UNION ALL
SELECT 'foreign server', srv.srvname, ''
FROM pg_catalog.pg_foreign_server AS srv
WHERE srv.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_foreign_server'::regclass)
UNION ALL
-- Another schema that holds something of its own: strata reads one
-- schema per run.
SELECT 'schema', n.nspname, ''
FROM pg_catalog.pg_namespace AS n
WHERE n.oid <> (SELECT oid FROM nsp) AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND n.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_namespace'::regclass)
  AND (EXISTS (SELECT 1 FROM pg_catalog.pg_class AS c WHERE c.relnamespace = n.oid
      AND c.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_class'::regclass))
    OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc AS p WHERE p.pronamespace = n.oid
      AND p.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_proc'::regclass))
    OR EXISTS (SELECT 1 FROM pg_catalog.pg_type AS t WHERE t.typnamespace = n.oid AND t.typtype IN ('d', 'e', 'r')
      AND t.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_type'::regclass)))
UNION ALL
-- Comments on what strata keeps no comment for: tables, columns,
-- indexes, views, constraints of tables, functions and enum types carry
-- theirs.
SELECT 'comment on ' || CASE c.relkind WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'v' THEN 'view'
    WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'relation' END,
  c.relname, ''
FROM pg_catalog.pg_description AS dsc
JOIN pg_catalog.pg_class AS c ON dsc.classoid = 'pg_catalog.pg_class'::regclass AND c.oid = dsc.objoid
WHERE c.relnamespace = (SELECT oid FROM nsp) AND c.relkind NOT IN ('r', 'p', 'i', 'I', 'v', 'm') AND dsc.objsubid = 0
  AND c.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_class'::regclass)
UNION ALL
SELECT 'comment on constraint', con.conname, COALESCE(c.relname, '')
FROM pg_catalog.pg_description AS dsc
JOIN pg_catalog.pg_constraint AS con ON dsc.classoid = 'pg_catalog.pg_constraint'::regclass AND con.oid = dsc.objoid
LEFT JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
WHERE con.connamespace = (SELECT oid FROM nsp) AND (con.contype = 'x' OR con.conrelid = 0)
UNION ALL
SELECT 'comment on type', t.typname, ''
FROM pg_catalog.pg_description AS dsc
JOIN pg_catalog.pg_type AS t ON dsc.classoid = 'pg_catalog.pg_type'::regclass AND t.oid = dsc.objoid
WHERE t.typnamespace = (SELECT oid FROM nsp) AND t.typtype <> 'e'
  AND t.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_type'::regclass)
UNION ALL
SELECT 'comment on trigger', tg.tgname, c.relname
FROM pg_catalog.pg_description AS dsc
JOIN pg_catalog.pg_trigger AS tg ON dsc.classoid = 'pg_catalog.pg_trigger'::regclass AND tg.oid = dsc.objoid
JOIN pg_catalog.pg_class AS c ON c.oid = tg.tgrelid
WHERE c.relnamespace = (SELECT oid FROM nsp)`

// inspectUnmanaged reads what the schema nsp holds that strata does not
// model (see unmanagedQuery); the objects of excluded tables are left
// out with them.
func (d Dialect) inspectUnmanaged(ctx context.Context, q dialect.Querier, nsp string, exclude []string) ([]schema.Unmanaged, error) {
	prokind := "p.prokind"
	if !d.atLeast(110000) {
		prokind = "CASE WHEN p.proisagg THEN 'a' WHEN p.proiswindow THEN 'w' ELSE 'f' END" // prokind came with PostgreSQL 11
	}
	query := strings.ReplaceAll(unmanagedQuery, "{prokind}", prokind)
	return dialect.ReadUnmanaged(ctx, q, query, []any{nsp}, exclude)
}
