package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/op"
	"github.com/strata-go/strata/schema"
)

// notOwnedSequence leaves out the sequences (c) an identity or serial
// column owns: those are the column's.
const notOwnedSequence = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i'))`

// inspectSequences reads the schema's standalone sequences with their
// type and options (pg_sequence).
func inspectSequences(ctx context.Context, q dialect.Querier, nsp string) ([]*schema.Sequence, error) {
	const query = `SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
  s.seqcache, s.seqcycle
FROM pg_catalog.pg_sequence AS s
JOIN pg_catalog.pg_class AS c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND ` + notOwnedSequence + ` AND ` + notExtensionMember + `
ORDER BY c.relname`
	var out []*schema.Sequence
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		sq := &schema.Sequence{}
		if err := rows.Scan(&sq.Name, &sq.Type, &sq.Start, &sq.Increment, &sq.Min, &sq.Max, &sq.Cache, &sq.Cycle); err != nil {
			return err
		}
		out = append(out, sq)
		return nil
	})
	return out, err
}

// inspectDomains reads the schema's domains: base type, collation where
// it is not the base type's, default, NOT NULL and check constraints.
func inspectDomains(ctx context.Context, q dialect.Querier, nsp string) ([]*schema.Domain, error) {
	const query = `SELECT t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, COALESCE(t.typdefault, ''),
  CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN quote_ident(coll.collname) ELSE '' END,
  COALESCE(con.conname, ''), COALESCE(pg_get_constraintdef(con.oid, true), '')
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type AS bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation AS coll ON coll.oid = t.typcollation
LEFT JOIN pg_catalog.pg_constraint AS con ON con.contypid = t.oid AND con.contype = 'c'
WHERE n.nspname = $1 AND t.typtype = 'd' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS ext
  WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid AND ext.deptype = 'e')
ORDER BY t.typname, con.conname`
	var out []*schema.Domain
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		d := &schema.Domain{}
		var check schema.Check
		if err := rows.Scan(&d.Name, &d.Type, &d.NotNull, &d.Default, &d.Collation, &check.Name, &check.Expr); err != nil {
			return err
		}
		if n := len(out); n > 0 && out[n-1].Name == d.Name {
			d = out[n-1]
		} else {
			out = append(out, d)
		}
		if check.Name != "" {
			d.Checks = append(d.Checks, &check)
		}
		return nil
	})
	return out, err
}

// inspectCompositeTypes reads the schema's composite types (CREATE TYPE
// … AS (…)) with their attributes in order.
func inspectCompositeTypes(ctx context.Context, q dialect.Querier, nsp string) ([]*schema.CompositeType, error) {
	const query = `SELECT t.typname, COALESCE(a.attname, ''), COALESCE(format_type(a.atttypid, a.atttypmod), ''),
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN quote_ident(coll.collname) ELSE '' END
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class AS c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_type AS at ON at.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation AS coll ON coll.oid = a.attcollation
WHERE n.nspname = $1 AND t.typtype = 'c' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS ext
  WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid AND ext.deptype = 'e')
ORDER BY t.typname, a.attnum`
	var out []*schema.CompositeType
	err := each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var name string
		var at schema.Attribute
		if err := rows.Scan(&name, &at.Name, &at.Type, &at.Collation); err != nil {
			return err
		}
		if n := len(out); n == 0 || out[n-1].Name != name {
			out = append(out, &schema.CompositeType{Name: name, Attributes: []schema.Attribute{}})
		}
		if at.Name != "" {
			c := out[len(out)-1]
			c.Attributes = append(c.Attributes, at)
		}
		return nil
	})
	return out, err
}

// inspectViewIndexes gives each materialized view of views its indexes,
// as pg_get_indexdef prints them with the view's schema taken out of ON.
func inspectViewIndexes(ctx context.Context, q dialect.Querier, nsp string, views []*schema.View) error {
	const query = `SELECT c.relname, ic.relname, pg_get_indexdef(i.indexrelid), quote_ident(n.nspname) || '.'
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_class AS c ON c.oid = i.indrelid
JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind = 'm'
ORDER BY c.relname, ic.relname`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var view, prefix string
		ix := &schema.ViewIndex{}
		if err := rows.Scan(&view, &ix.Name, &ix.Def, &prefix); err != nil {
			return err
		}
		ix.Def = strings.Replace(ix.Def, " ON "+prefix, " ON ", 1)
		for _, v := range views {
			if v.Name == view && v.Materialized {
				v.Indexes = append(v.Indexes, ix)
			}
		}
		return nil
	})
}

// renderTypes renders the ops on sequences, domains, composite types and
// materialized views, or reports ok false for any other op.
func renderTypes(o op.Op) (stmts []string, ok bool, err error) {
	switch o := o.(type) {
	case op.CreateSequence:
		if o.Sequence == nil || o.Sequence.Name == "" {
			return nil, true, fmt.Errorf("no sequence")
		}
		return []string{"CREATE SEQUENCE " + quote(o.Sequence.Name) + sequenceOptions(o.Sequence, nil)}, true, nil
	case op.DropSequence:
		if o.Sequence == nil || o.Sequence.Name == "" {
			return nil, true, fmt.Errorf("no sequence")
		}
		return []string{"DROP SEQUENCE " + quote(o.Sequence.Name)}, true, nil
	case op.AlterSequence:
		if o.From == nil || o.To == nil || o.From.Name != o.To.Name {
			return nil, true, fmt.Errorf("needs From and To of one name")
		}
		opts := sequenceOptions(o.To, o.From)
		if opts == "" {
			return nil, true, nil
		}
		return []string{"ALTER SEQUENCE " + quote(o.To.Name) + opts}, true, nil
	case op.CreateDomain:
		if o.Domain == nil || o.Domain.Name == "" || o.Domain.Type == "" {
			return nil, true, fmt.Errorf("needs a domain with a base type")
		}
		return []string{createDomain(o.Domain)}, true, nil
	case op.DropDomain:
		if o.Domain == nil || o.Domain.Name == "" {
			return nil, true, fmt.Errorf("no domain")
		}
		return []string{"DROP DOMAIN " + quote(o.Domain.Name)}, true, nil
	case op.AlterDomain:
		if o.From == nil || o.To == nil || o.From.Name != o.To.Name {
			return nil, true, fmt.Errorf("needs From and To of one name")
		}
		if o.From.Type != o.To.Type || o.From.Collation != o.To.Collation {
			return nil, true, fmt.Errorf("the base type or collation changes, which ALTER DOMAIN cannot do: drop the domain and create it again")
		}
		return alterDomain(o.From, o.To), true, nil
	case op.CreateCompositeType:
		if o.Type == nil || o.Type.Name == "" {
			return nil, true, fmt.Errorf("no type")
		}
		attrs := make([]string, len(o.Type.Attributes))
		for i, a := range o.Type.Attributes {
			attrs[i] = attribute(a)
		}
		return []string{fmt.Sprintf("CREATE TYPE %s AS (%s)", quote(o.Type.Name), strings.Join(attrs, ", "))}, true, nil
	case op.DropCompositeType:
		if o.Type == nil || o.Type.Name == "" {
			return nil, true, fmt.Errorf("no type")
		}
		return []string{"DROP TYPE " + quote(o.Type.Name)}, true, nil
	case op.AlterCompositeType:
		if o.From == nil || o.To == nil || o.From.Name != o.To.Name {
			return nil, true, fmt.Errorf("needs From and To of one name")
		}
		if !op.CompositeAlterable(o.From, o.To) {
			return nil, true, fmt.Errorf("the attributes kept change order, which ALTER TYPE cannot do: drop the type and create it again")
		}
		return alterComposite(o.From, o.To), true, nil
	case op.CreateTable:
		// A partitioned table, or one with exclusion constraints: the
		// table with its partition key, then its partitions and
		// constraints.
		if o.Table == nil || len(o.Table.Exclusions) == 0 && o.Table.PartitionBy == "" {
			return nil, false, nil
		}
		t := o.Table.Clone()
		t.Exclusions, t.PartitionBy, t.Partitions = nil, "", nil
		stmts, err := createTable(t)
		if err != nil {
			return nil, true, err
		}
		if o.Table.PartitionBy != "" {
			if len(stmts) == 0 || !strings.HasPrefix(stmts[0], "CREATE TABLE ") {
				return nil, true, fmt.Errorf("no CREATE TABLE to partition")
			}
			stmts[0] += " PARTITION BY " + o.Table.PartitionBy
		}
		for _, p := range o.Table.Partitions {
			stmts = append(stmts, addPartition(o.Table.Name, p))
		}
		for _, x := range o.Table.Exclusions {
			stmts = append(stmts, addExclusion(o.Table.Name, x))
		}
		return stmts, true, nil
	case op.AddPartition:
		if o.Partition == nil || o.Partition.Name == "" || strings.TrimSpace(o.Partition.Bound) == "" {
			return nil, true, fmt.Errorf("needs a partition with its bound")
		}
		return []string{addPartition(o.Table, o.Partition)}, true, nil
	case op.DropPartition:
		if o.Partition == nil || o.Partition.Name == "" {
			return nil, true, fmt.Errorf("no partition")
		}
		return []string{"DROP TABLE " + quote(o.Partition.Name)}, true, nil
	case op.AddExclusion:
		if o.Exclusion == nil || o.Exclusion.Name == "" || strings.TrimSpace(o.Exclusion.Def) == "" {
			return nil, true, fmt.Errorf("needs a named constraint with its definition")
		}
		return []string{addExclusion(o.Table, o.Exclusion)}, true, nil
	case op.DropExclusion:
		if o.Exclusion == nil || o.Exclusion.Name == "" {
			return nil, true, fmt.Errorf("no constraint name")
		}
		return []string{dropConstraint(o.Table, o.Exclusion.Name)}, true, nil
	case op.CreateView:
		if o.View == nil || !o.View.Materialized {
			return nil, false, nil
		}
		if strings.TrimSpace(o.View.Def) == "" {
			return nil, true, fmt.Errorf("no view definition")
		}
		create := fmt.Sprintf("CREATE MATERIALIZED VIEW %s AS %s", quote(o.View.Name), viewDef(o.View.Def))
		if o.View.NoData {
			create += "\nWITH NO DATA"
		}
		stmts := []string{create}
		for _, ix := range o.View.Indexes {
			stmts = append(stmts, ix.Def)
		}
		if o.View.Comment != "" {
			stmts = append(stmts, comment("MATERIALIZED VIEW "+quote(o.View.Name), o.View.Comment))
		}
		return stmts, true, nil
	case op.DropView:
		if o.View == nil || !o.View.Materialized {
			return nil, false, nil
		}
		return []string{"DROP MATERIALIZED VIEW " + quote(o.View.Name)}, true, nil
	}
	return nil, false, nil
}

// sequenceOptions writes the options of q after CREATE or ALTER SEQUENCE
// name: all that are set, or with old those that differ from old's.
func sequenceOptions(q, old *schema.Sequence) string {
	var b strings.Builder
	if old == nil {
		old = &schema.Sequence{}
	}
	if q.Type != "" && q.Type != old.Type {
		b.WriteString(" AS " + q.Type)
	}
	num := func(kw string, v, was int64) {
		if v != 0 && v != was {
			fmt.Fprintf(&b, " %s %d", kw, v)
		}
	}
	num("INCREMENT BY", q.Increment, old.Increment)
	num("MINVALUE", q.Min, old.Min)
	num("MAXVALUE", q.Max, old.Max)
	num("START WITH", q.Start, old.Start)
	num("CACHE", q.Cache, old.Cache)
	if q.Cycle != old.Cycle || q.Cycle {
		if q.Cycle {
			b.WriteString(" CYCLE")
		} else {
			b.WriteString(" NO CYCLE")
		}
	}
	return b.String()
}

func createDomain(d *schema.Domain) string {
	s := fmt.Sprintf("CREATE DOMAIN %s AS %s", quote(d.Name), d.Type)
	if d.Collation != "" {
		s += " COLLATE " + d.Collation
	}
	if d.Default != "" {
		s += " DEFAULT " + d.Default
	}
	if d.NotNull {
		s += " NOT NULL"
	}
	for _, c := range d.Checks {
		s += " CONSTRAINT " + quote(c.Name) + " " + c.Expr
	}
	return s
}

func alterDomain(from, to *schema.Domain) []string {
	head := "ALTER DOMAIN " + quote(to.Name) + " "
	var out []string
	if from.Default != to.Default {
		if to.Default == "" {
			out = append(out, head+"DROP DEFAULT")
		} else {
			out = append(out, head+"SET DEFAULT "+to.Default)
		}
	}
	if from.NotNull != to.NotNull {
		if to.NotNull {
			out = append(out, head+"SET NOT NULL")
		} else {
			out = append(out, head+"DROP NOT NULL")
		}
	}
	same := func(cs []*schema.Check, c *schema.Check) bool {
		return slices.ContainsFunc(cs, func(x *schema.Check) bool { return *x == *c })
	}
	for _, c := range from.Checks {
		if !same(to.Checks, c) {
			out = append(out, head+"DROP CONSTRAINT "+quote(c.Name))
		}
	}
	for _, c := range to.Checks {
		if !same(from.Checks, c) {
			out = append(out, head+"ADD CONSTRAINT "+quote(c.Name)+" "+c.Expr)
		}
	}
	return out
}

func attribute(a schema.Attribute) string {
	s := quote(a.Name) + " " + a.Type
	if a.Collation != "" {
		s += " COLLATE " + a.Collation
	}
	return s
}

func alterComposite(from, to *schema.CompositeType) []string {
	var actions []string
	find := func(attrs []schema.Attribute, name string) (schema.Attribute, bool) {
		i := slices.IndexFunc(attrs, func(a schema.Attribute) bool { return a.Name == name })
		if i < 0 {
			return schema.Attribute{}, false
		}
		return attrs[i], true
	}
	for _, a := range from.Attributes {
		if _, ok := find(to.Attributes, a.Name); !ok {
			actions = append(actions, "DROP ATTRIBUTE "+quote(a.Name))
		}
	}
	for _, a := range to.Attributes {
		old, ok := find(from.Attributes, a.Name)
		switch {
		case !ok:
			actions = append(actions, "ADD ATTRIBUTE "+attribute(a))
		case old != a:
			s := "ALTER ATTRIBUTE " + quote(a.Name) + " TYPE " + a.Type
			if a.Collation != "" {
				s += " COLLATE " + a.Collation
			}
			actions = append(actions, s)
		}
	}
	if len(actions) == 0 {
		return nil
	}
	return []string{"ALTER TYPE " + quote(to.Name) + " " + strings.Join(actions, ", ")}
}

// inspectExclusions reads every exclusion constraint of the schema's
// tables, each whole as pg_get_constraintdef prints it.
func inspectExclusions(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, con.conname, pg_get_constraintdef(con.oid, true)
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE ` + tableFilter + ` AND con.contype = 'x'
ORDER BY c.relname, con.conname`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName string
		x := &schema.Exclusion{}
		if err := rows.Scan(&tableName, &x.Name, &x.Def); err != nil {
			return err
		}
		if t := table(tableName); t != nil {
			t.Exclusions = append(t.Exclusions, x)
		}
		return nil
	})
}

// addExclusion is the statement that adds x to table.
func addExclusion(table string, x *schema.Exclusion) string {
	return "ALTER TABLE " + quote(table) + " ADD CONSTRAINT " + quote(x.Name) + " " + x.Def
}

// inspectPartitions reads the partition key of the schema's partitioned
// tables (pg_get_partkeydef) and their partitions that are plain tables
// of the same schema, each with its bound (pg_get_expr of relpartbound).
// A partition that is itself partitioned, or a foreign table, is left
// out, and named as not managed.
func inspectPartitions(ctx context.Context, q dialect.Querier, nsp string, table func(string) *schema.Table) error {
	const query = `SELECT c.relname, '', pg_get_partkeydef(c.oid)
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE ` + tableFilter + ` AND c.relkind = 'p'
UNION ALL
SELECT p.relname, c.relname, pg_get_expr(c.relpartbound, c.oid)
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_inherits AS i ON i.inhrelid = c.oid
JOIN pg_catalog.pg_class AS p ON p.oid = i.inhparent AND p.relnamespace = c.relnamespace
WHERE n.nspname = $1 AND c.relispartition AND c.relkind = 'r'
ORDER BY 1, 2`
	return each(ctx, q, query, nsp, func(rows *sql.Rows) error {
		var tableName, name, def string
		if err := rows.Scan(&tableName, &name, &def); err != nil {
			return err
		}
		t := table(tableName)
		switch {
		case t == nil:
		case name == "":
			t.PartitionBy = def
		default:
			t.Partitions = append(t.Partitions, &schema.Partition{Name: name, Bound: def})
		}
		return nil
	})
}

// addPartition is the statement that creates partition p of table.
func addPartition(table string, p *schema.Partition) string {
	return fmt.Sprintf("CREATE TABLE %s PARTITION OF %s %s", quote(p.Name), quote(table), p.Bound)
}
