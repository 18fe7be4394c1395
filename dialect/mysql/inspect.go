package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-go/strata/dialect"
	"github.com/strata-go/strata/schema"
)

// Inspect reads the base tables and views of the connection's database (or
// of opts.Schema, when set) from information_schema with fourteen
// set-based queries, whatever the number of tables: the database and its
// defaults (SCHEMATA), TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE,
// REFERENTIAL_CONSTRAINTS, CHECK_CONSTRAINTS (skipped on servers without
// it), VIEWS, TRIGGERS, PARAMETERS, ROUTINES, EVENTS, PARTITIONS, and what
// strata does not manage (see unmanagedQuery).
//
// What it reports:
//
//   - columns with their type (see types.go), INVISIBLE, nullability, default,
//     AUTO_INCREMENT, generated expression (GENERATION_EXPRESSION, VIRTUAL
//     or STORED from EXTRA), collation where it differs from the table's,
//     ON UPDATE expression and comment;
//   - the primary key, named PRIMARY as the server names every one;
//   - every other index, including the ones InnoDB made by itself for a
//     foreign key (Canonical adds those to schemas from other sources, so
//     the two compare equal), with DESC parts, prefix lengths (SUB_PART),
//     FULLTEXT, SPATIAL, and HASH or BTREE where it is not the engine's
//     default (see defaultIndexType) as Method, functional key parts
//     (MySQL 8) as IndexPart.Expr, comments (the primary key's too), and
//     whether the optimizer ignores the index (MariaDB 10.6 IGNORED,
//     MySQL 8 INVISIBLE). Index.Constraint is always false: the
//     server keeps no difference between UNIQUE KEY and CREATE UNIQUE
//     INDEX;
//   - foreign keys; actions RESTRICT and NO ACTION are both reported as the
//     default "";
//   - check constraints, expressions as the server prints them (outer
//     parentheses and charset introducers dropped, see normalizeExpr); on
//     MariaDB the implicit json_valid check of a JSON column is folded into
//     the type (see mariadb.go), and another check written in a column's
//     definition (LEVEL Column) is that column's Check;
//   - views, with VIEW_DEFINITION as the server prints it but the
//     qualifying `database`. prefixes taken out;
//   - stored functions and procedures (ROUTINES and PARAMETERS), and
//     scheduled events (EVENTS), as schema.Function (see routines.go);
//   - triggers of the tables, each Def written as CREATE TRIGGER `name`
//     BEFORE INSERT ON `table` FOR EACH ROW body, without DEFINER and
//     without FOLLOWS or PRECEDES (see inspectTriggers);
//   - table comments, and Engine, Charset and Collation where they differ
//     from the database's defaults: Charset when the table's character set
//     is not the database's, Collation when the table's collation is not
//     the one it would get without COLLATE= (the database's collation for
//     the database's charset, else the charset's default collation);
//     the other options the table was given (ROW_FORMAT, KEY_BLOCK_SIZE,
//     STATS_PERSISTENT…) from CREATE_OPTIONS, as Options (see
//     tableoptions.go); partitioning (see partitions.go).
//
// Excluded tables (opts.Exclude) and views of those names are left out.
// The schema comes back normalized, with Name empty.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	var database, dbCharset, dbCollation, engine sql.NullString
	const databaseQuery = `SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, @@default_storage_engine
FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = COALESCE(NULLIF(?, ''), DATABASE())`
	err := each(ctx, q, databaseQuery, []any{opts.Schema}, func(rows *sql.Rows) error {
		return rows.Scan(&database, &dbCharset, &dbCollation, &engine)
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect: current database: %w", err)
	}
	if !database.Valid {
		if opts.Schema != "" {
			return nil, fmt.Errorf("mysql: inspect: no database %q", opts.Schema)
		}
		return nil, fmt.Errorf("mysql: inspect: no database selected (name one in the URL)")
	}
	db := []any{database.String}
	excluded := func(name string) bool { return slices.Contains(opts.Exclude, name) }

	s := &schema.Schema{Ordered: true}
	tables := map[string]*schema.Table{}
	tableCollation := map[string]string{}
	const tablesQuery = `SELECT t.TABLE_NAME, t.TABLE_COMMENT, COALESCE(t.ENGINE, ''), COALESCE(t.TABLE_COLLATION, ''),
  COALESCE(c.CHARACTER_SET_NAME, ''), COALESCE(c.IS_DEFAULT, ''), COALESCE(t.CREATE_OPTIONS, '')
FROM information_schema.TABLES AS t
LEFT JOIN information_schema.COLLATIONS AS c ON c.COLLATION_NAME = t.TABLE_COLLATION
WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE'`
	err = each(ctx, q, tablesQuery, db, func(rows *sql.Rows) error {
		var name, comment, eng, collation, charset, isDefault, options string
		if err := rows.Scan(&name, &comment, &eng, &collation, &charset, &isDefault, &options); err != nil {
			return err
		}
		if excluded(name) || tables[name] != nil {
			return nil
		}
		t := &schema.Table{Name: name, Comment: comment, Options: canonicalOptions(options)}
		if !strings.EqualFold(eng, engine.String) {
			t.Engine = eng
		}
		if charset != "" && charset != dbCharset.String {
			t.Charset = charset
			if !strings.EqualFold(isDefault, "yes") {
				t.Collation = collation
			}
		} else if collation != dbCollation.String {
			t.Collation = collation
		}
		tables[name] = t
		tableCollation[name] = collation
		s.Tables = append(s.Tables, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect tables: %w", err)
	}

	const columnsQuery = `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, DATA_TYPE,
  IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, COALESCE(COLLATION_NAME, ''),
  COALESCE(GENERATION_EXPRESSION, '')
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`
	positions := map[*schema.Column]int{}
	// MariaDB's JSON columns: LONGTEXT COLLATE utf8mb4_bin, recognized once
	// the checks are read.
	type columnKey struct{ table, column string }
	jsonCandidates := map[columnKey]*schema.Column{}
	err = each(ctx, q, columnsQuery, db, func(rows *sql.Rows) error {
		var (
			table, name, colType, dataType, nullable, extra, comment, collation, generation string
			position                                                                        int
			def                                                                             sql.NullString
		)
		if err := rows.Scan(&table, &name, &position, &colType, &dataType, &nullable, &def, &extra, &comment, &collation, &generation); err != nil {
			return err
		}
		t, ok := tables[table]
		if !ok {
			return nil
		}
		lowerExtra := strings.ToLower(extra)
		c := &schema.Column{
			Name:          name,
			Type:          parseType(colType),
			Nullable:      nullable == "YES",
			AutoIncrement: strings.Contains(lowerExtra, "auto_increment"),
			Comment:       comment,
			Invisible:     strings.Contains(lowerExtra, "invisible"),
		}
		if collation != "" && collation != tableCollation[table] {
			c.Collation = collation
		}
		switch {
		case strings.Contains(lowerExtra, "virtual generated"):
			c.Generated = schema.Generated{Expr: d.server.normalizeExpr(generation)}
		case strings.Contains(lowerExtra, "stored generated"), strings.Contains(lowerExtra, "persistent generated"):
			c.Generated = schema.Generated{Expr: d.server.normalizeExpr(generation), Stored: true}
		case !c.AutoIncrement:
			c.Default = d.server.parseDefault(def, dataType, extra)
		}
		if m := onUpdateRE.FindStringSubmatch(extra); m != nil {
			if e, ok := canonicalExpr(m[1]).(schema.Expr); ok {
				c.OnUpdate = e.SQL
			}
		}
		if d.server.mariaDB && strings.EqualFold(dataType, "longtext") && collation == "utf8mb4_bin" {
			jsonCandidates[columnKey{table, name}] = c
		}
		positions[c] = position
		t.Columns = append(t.Columns, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect columns: %w", err)
	}
	for _, t := range s.Tables {
		slices.SortFunc(t.Columns, func(a, b *schema.Column) int { return positions[a] - positions[b] })
	}

	// A NULL COLUMN_NAME is a functional key part (MySQL 8), whose
	// expression is in EXPRESSION; MariaDB has no such column.
	expression := "NULL"
	if d.server.functionalIndexes() {
		expression = "EXPRESSION"
	}
	// Whether the optimizer leaves an index aside: IGNORED on MariaDB,
	// IS_VISIBLE on MySQL.
	ignored := "'NO'"
	if word, ok := d.server.ignoredIndexes(); ok {
		ignored = "IGNORED"
		if word == "INVISIBLE" {
			ignored = "CASE IS_VISIBLE WHEN 'NO' THEN 'YES' ELSE 'NO' END"
		}
	}
	indexesQuery := `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME,
  COALESCE(COLLATION, ''), COALESCE(SUB_PART, 0), INDEX_TYPE, ` + expression + `,
  COALESCE(INDEX_COMMENT, ''), ` + ignored + `
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`
	type indexKey struct{ table, name string }
	type indexPart struct {
		seq  int
		part schema.IndexPart
	}
	indexes := map[indexKey]*schema.Index{}
	parts := map[indexKey][]indexPart{}
	var order []indexKey
	err = each(ctx, q, indexesQuery, db, func(rows *sql.Rows) error {
		var (
			table, name, collation, indexType, comment, isIgnored string
			nonUnique, seq, prefix                                int
			column, expr                                          sql.NullString
		)
		if err := rows.Scan(&table, &name, &nonUnique, &seq, &column, &collation, &prefix, &indexType, &expr, &comment, &isIgnored); err != nil {
			return err
		}
		if _, ok := tables[table]; !ok {
			return nil
		}
		k := indexKey{table, name}
		if _, ok := indexes[k]; !ok {
			ix := &schema.Index{Name: name, Unique: nonUnique == 0, Comment: comment, Ignored: isIgnored == "YES"}
			if m := strings.ToUpper(indexType); m != defaultIndexType(tables[table].Engine, engine.String) {
				ix.Method = m
			}
			indexes[k] = ix
			order = append(order, k)
		}
		p := schema.IndexPart{Column: column.String, Desc: collation == "D"}
		if !column.Valid {
			p.Expr = d.server.normalizeExpr(expr.String)
		}
		// MariaDB reports a SUB_PART of 32 on SPATIAL keys; it is no prefix.
		if ix := indexes[k]; ix.Method != "SPATIAL" && ix.Method != "FULLTEXT" {
			p.Prefix = prefix
		}
		parts[k] = append(parts[k], indexPart{seq, p})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect indexes: %w", err)
	}
	for _, k := range order {
		ps := parts[k]
		slices.SortFunc(ps, func(a, b indexPart) int { return a.seq - b.seq })
		ix := indexes[k]
		for _, p := range ps {
			ix.Parts = append(ix.Parts, p.part)
		}
		t := tables[k.table]
		if k.name == "PRIMARY" {
			t.PrimaryKey = &schema.PrimaryKey{Name: "PRIMARY", Columns: ix.ColumnNames(), Comment: ix.Comment}
			continue
		}
		t.Indexes = append(t.Indexes, ix)
	}

	// KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS are read apart: MariaDB
	// joins the two information_schema tables several times slower than
	// it reads them.
	const foreignKeysQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME,
  REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL`
	type fkKey struct{ table, name string }
	type fkPart struct {
		seq           int
		column, refTo string
	}
	fks := map[fkKey]*schema.ForeignKey{}
	fkParts := map[fkKey][]fkPart{}
	var fkOrder []fkKey
	err = each(ctx, q, foreignKeysQuery, db, func(rows *sql.Rows) error {
		var table, name, column, refTable, refColumn string
		var seq int
		if err := rows.Scan(&table, &name, &seq, &column, &refTable, &refColumn); err != nil {
			return err
		}
		if _, ok := tables[table]; !ok {
			return nil
		}
		k := fkKey{table, name}
		if _, ok := fks[k]; !ok {
			fks[k] = &schema.ForeignKey{Name: name, RefTable: refTable}
			fkOrder = append(fkOrder, k)
		}
		fkParts[k] = append(fkParts[k], fkPart{seq, column, refColumn})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect foreign keys: %w", err)
	}
	const actionsQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`
	err = each(ctx, q, actionsQuery, db, func(rows *sql.Rows) error {
		var table, name, onUpdate, onDelete string
		if err := rows.Scan(&table, &name, &onUpdate, &onDelete); err != nil {
			return err
		}
		if fk, ok := fks[fkKey{table, name}]; ok {
			fk.OnDelete, fk.OnUpdate = canonicalAction(onDelete), canonicalAction(onUpdate)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect foreign key actions: %w", err)
	}
	for _, k := range fkOrder {
		fk, ps := fks[k], fkParts[k]
		slices.SortFunc(ps, func(a, b fkPart) int { return a.seq - b.seq })
		for _, p := range ps {
			fk.Columns = append(fk.Columns, p.column)
			fk.RefColumns = append(fk.RefColumns, p.refTo)
		}
		t := tables[k.table]
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}

	if d.server.checkConstraints() {
		// MariaDB's CHECK_CONSTRAINTS names the table (check names are per
		// table there); MySQL 8's does not (they are per schema), so the
		// table comes from TABLE_CONSTRAINTS.
		checksQuery := `SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, 'Table', cc.CHECK_CLAUSE
FROM information_schema.TABLE_CONSTRAINTS AS tc
JOIN information_schema.CHECK_CONSTRAINTS AS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK'`
		if d.server.mariaDB {
			checksQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`
		}
		err = each(ctx, q, checksQuery, db, func(rows *sql.Rows) error {
			var table, name, level, clause string
			if err := rows.Scan(&table, &name, &level, &clause); err != nil {
				return err
			}
			t, ok := tables[table]
			if !ok {
				return nil
			}
			if c, ok := jsonCandidates[columnKey{table, name}]; ok && level == "Column" && clause == "json_valid("+quote(name)+")" {
				c.Type = schema.RawType{SQL: "json"}
				c.Collation = ""
				return nil
			}
			if c, ok := t.Column(name); ok && level == "Column" {
				// MariaDB's CHECK written in the column's definition.
				c.Check = normalizeCheck(d.server.normalizeExpr(clause))
				return nil
			}
			t.Checks = append(t.Checks, &schema.Check{Name: name, Expr: normalizeCheck(d.server.normalizeExpr(clause))})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("mysql: inspect checks: %w", err)
		}
	}

	const viewsQuery = `SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`
	err = each(ctx, q, viewsQuery, db, func(rows *sql.Rows) error {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return err
		}
		if !excluded(name) {
			s.Views = append(s.Views, &schema.View{Name: name, Def: unqualify(def, database.String)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect views: %w", err)
	}

	triggers, err := inspectTriggers(ctx, q, database.String)
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect triggers: %w", err)
	}
	for _, tr := range triggers {
		if t, ok := tables[tr.table]; ok {
			t.Triggers = append(t.Triggers, tr.trigger)
		}
	}
	if s.Functions, err = inspectRoutines(ctx, q, database.String); err != nil {
		return nil, fmt.Errorf("mysql: inspect: %w", err)
	}
	events, err := inspectEvents(ctx, q, database.String)
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect: %w", err)
	}
	s.Functions = append(s.Functions, events...)
	partitions, err := inspectPartitions(ctx, q, database.String)
	if err != nil {
		return nil, fmt.Errorf("mysql: inspect: %w", err)
	}
	for name, p := range partitions {
		if t, ok := tables[name]; ok {
			t.Partition = p
		}
	}
	if s.Unmanaged, err = d.inspectUnmanaged(ctx, q, database.String, opts.Exclude); err != nil {
		return nil, fmt.Errorf("mysql: inspect objects strata does not manage: %w", err)
	}

	s.Normalize()
	return s, nil
}

// defaultIndexType is the index type a table of engine gets without
// USING: HASH for MEMORY, BTREE elsewhere. engine is the table's Engine
// as reported, "" for serverDefault.
func defaultIndexType(engine, serverDefault string) string {
	if engine == "" {
		engine = serverDefault
	}
	if strings.EqualFold(engine, "MEMORY") || strings.EqualFold(engine, "HEAP") {
		return "HASH"
	}
	return "BTREE"
}

var onUpdateRE = regexp.MustCompile(`(?i)\bon update (.+)$`)

// each runs query with args and calls fn for every row.
func each(ctx context.Context, q dialect.Querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
