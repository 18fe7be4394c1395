package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/strata-go/strata/dialect"
)

// Partitioning (schema.Table.Partition) is kept as the clause strata
// writes from information_schema.PARTITIONS, as SHOW CREATE TABLE
// prints it but for spaces:
//
//	PARTITION BY RANGE (year(`joined`)) (PARTITION `p2021` VALUES LESS THAN (2022), PARTITION `pmax` VALUES LESS THAN MAXVALUE)
//	PARTITION BY HASH (`id`) PARTITIONS 3
//	PARTITION BY LIST COLUMNS(`a`) (PARTITION `x` VALUES IN ('a','b') COMMENT = 'first')
//
// PARTITIONS n stands for partitions named p0, p1… without values, as
// the server names them (nothing for one, as PARTITION BY alone makes). Subpartitions are written SUBPARTITION BY …
// SUBPARTITIONS n, their own names and options left out. A change of
// partitioning repartitions the table whole (ALTER TABLE … PARTITION BY,
// which copies its rows), and partitioning that goes is REMOVE
// PARTITIONING.

// inspectPartitions returns the partitioning clause of each partitioned
// table of database.
func inspectPartitions(ctx context.Context, q dialect.Querier, database string) (map[string]string, error) {
	const query = `SELECT TABLE_NAME, PARTITION_NAME, PARTITION_METHOD, COALESCE(PARTITION_EXPRESSION, ''),
  COALESCE(PARTITION_DESCRIPTION, ''), COALESCE(PARTITION_COMMENT, ''), COALESCE(SUBPARTITION_METHOD, ''),
  COALESCE(SUBPARTITION_EXPRESSION, ''), COUNT(*)
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA = ? AND PARTITION_NAME IS NOT NULL
GROUP BY TABLE_NAME, PARTITION_NAME, PARTITION_ORDINAL_POSITION, PARTITION_METHOD, PARTITION_EXPRESSION,
  PARTITION_DESCRIPTION, PARTITION_COMMENT, SUBPARTITION_METHOD, SUBPARTITION_EXPRESSION
ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION`
	type part struct{ name, desc, comment string }
	type table struct {
		method, expr, subMethod, subExpr string
		subs                             int
		parts                            []part
	}
	tables := map[string]*table{}
	var order []string
	err := each(ctx, q, query, []any{database}, func(rows *sql.Rows) error {
		var name, pname, method, expr, desc, comment, subMethod, subExpr string
		var subs int
		if err := rows.Scan(&name, &pname, &method, &expr, &desc, &comment, &subMethod, &subExpr, &subs); err != nil {
			return err
		}
		t, ok := tables[name]
		if !ok {
			t = &table{method: strings.ToUpper(method), expr: expr, subMethod: strings.ToUpper(subMethod), subExpr: subExpr, subs: subs}
			tables[name] = t
			order = append(order, name)
		}
		t.parts = append(t.parts, part{pname, desc, comment})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("partitions: %w", err)
	}
	out := map[string]string{}
	for _, name := range order {
		t := tables[name]
		var b strings.Builder
		b.WriteString("PARTITION BY ")
		if base, ok := strings.CutSuffix(t.method, " COLUMNS"); ok {
			fmt.Fprintf(&b, "%s COLUMNS(%s)", base, t.expr)
		} else {
			fmt.Fprintf(&b, "%s (%s)", t.method, t.expr)
		}
		if t.subMethod != "" {
			fmt.Fprintf(&b, " SUBPARTITION BY %s (%s) SUBPARTITIONS %d", t.subMethod, t.subExpr, t.subs)
		}
		numbered := true
		for i, p := range t.parts {
			numbered = numbered && p.name == "p"+strconv.Itoa(i) && p.desc == "" && p.comment == ""
		}
		if numbered {
			// One partition is what PARTITION BY alone makes, and the server
			// prints no PARTITIONS 1 then.
			if len(t.parts) > 1 {
				fmt.Fprintf(&b, " PARTITIONS %d", len(t.parts))
			}
			out[name] = b.String()
			continue
		}
		var defs []string
		for _, p := range t.parts {
			def := "PARTITION " + quote(p.name)
			switch {
			case strings.HasPrefix(t.method, "RANGE") && p.desc == "MAXVALUE":
				def += " VALUES LESS THAN MAXVALUE"
			case strings.HasPrefix(t.method, "RANGE"):
				def += " VALUES LESS THAN (" + p.desc + ")"
			case strings.HasPrefix(t.method, "LIST"):
				def += " VALUES IN (" + p.desc + ")"
			}
			if p.comment != "" {
				def += " COMMENT = " + quoteString(p.comment)
			}
			defs = append(defs, def)
		}
		b.WriteString(" (" + strings.Join(defs, ", ") + ")")
		out[name] = b.String()
	}
	return out, nil
}
