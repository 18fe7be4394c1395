package lint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/strata-go/strata/internal/sqlx"
	"github.com/strata-go/strata/revision"
	"github.com/strata-go/strata/schema"
)

// Rules are the checks, in id order. SL rules apply to every dialect, PG
// rules to PostgreSQL, MY rules to MySQL and MariaDB.
var Rules = []Rule{
	{ID: "SL001", Title: "drop table", check: dropTable},
	{ID: "SL002", Title: "drop column", check: dropColumn},
	{ID: "SL003", Title: "narrowing type change", check: narrowing},
	{ID: "SL004", Title: "NOT NULL without a default or backfill", check: notNull},
	{ID: "SL005", Title: "rename", check: rename},
	{ID: "PG101", Title: "index built without CONCURRENTLY", Dialects: []string{"postgres"}, check: indexNotConcurrent},
	{ID: "PG102", Title: "foreign key without NOT VALID", Dialects: []string{"postgres"}, check: fkNotValid},
	{ID: "PG103", Title: "check without NOT VALID", Dialects: []string{"postgres"}, check: checkNotValid},
	{ID: "PG104", Title: "type change that rewrites the table", Dialects: []string{"postgres"}, check: typeRewrite},
	{ID: "PG105", Title: "volatile default", Dialects: []string{"postgres"}, check: volatileDefault},
	{ID: "MY201", Title: "change that cannot run in place", Dialects: []string{"mysql"}, check: notInPlace},
}

var (
	dropTableRE   = regexp.MustCompile(`(?is)^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(` + sqlx.Ident + `)`)
	dropColumnRE  = regexp.MustCompile(`(?is)^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(` + sqlx.Ident + `)\s*(?:CASCADE|RESTRICT)?$`)
	addColumnRE   = regexp.MustCompile(`(?is)^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(` + sqlx.Ident + `)\s+(.*)$`)
	alterTypeRE   = regexp.MustCompile(`(?is)^ALTER\s+(?:COLUMN\s+)?(` + sqlx.Ident + `)\s+(?:SET\s+DATA\s+)?TYPE\s+(.+?)(?:\s+USING\s+.*)?$`)
	setNotNullRE  = regexp.MustCompile(`(?is)^ALTER\s+(?:COLUMN\s+)?(` + sqlx.Ident + `)\s+SET\s+NOT\s+NULL$`)
	modifyRE      = regexp.MustCompile(`(?is)^MODIFY\s+(?:COLUMN\s+)?(` + sqlx.Ident + `)\s+(.*)$`)
	changeRE      = regexp.MustCompile(`(?is)^CHANGE\s+(?:COLUMN\s+)?(` + sqlx.Ident + `)\s+(` + sqlx.Ident + `)\s+(.*)$`)
	renameRE      = regexp.MustCompile(`(?is)^RENAME\s+(?:COLUMN\s+)?(` + sqlx.Ident + `)\s+TO\s+(` + sqlx.Ident + `)$|^RENAME\s+(?:TO|AS)\s+(` + sqlx.Ident + `)$`)
	renameTableRE = regexp.MustCompile(`(?is)^RENAME\s+TABLE\s+`)
	createIndexRE = regexp.MustCompile(`(?is)^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:` + sqlx.Ident + `\s+)?ON\s+(?:ONLY\s+)?(` + sqlx.Ident + `)`)
	// typeSizeRE reads a type's name, the words PostgreSQL spells some
	// with included ("character varying(100)"), and its length/precision.
	typeSizeRE = regexp.MustCompile(`(?is)^((?:national\s+)?(?:character|char|bit)\s+varying|double\s+precision|(?:timestamp|time)(?:\s+with(?:out)?\s+time\s+zone)?|[a-z_][a-z0-9_]*)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(?:\s|$)`)
	usingRE    = regexp.MustCompile(`(?i)\sUSING\s`)
	volatileRE = regexp.MustCompile(`(?i)\b(random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|nextval)\s*\(`)
)

func dropTable(c *context, s revision.Statement) (string, bool) {
	m := dropTableRE.FindStringSubmatch(s.SQL)
	if m == nil || !c.existing(m[1]) || internal(m[1]) || c.rebuilt[sqlx.Unquote(m[1])] {
		return "", false
	}
	return fmt.Sprintf("drops table %s and every row in it; the running application may still read it", sqlx.Unquote(m[1])), true
}

// rebuildCopyRE reads the copy of SQLite's table rebuild: INSERT INTO t
// (columns) SELECT ... FROM _strata_old_t.
var rebuildCopyRE = regexp.MustCompile(`(?is)^INSERT\s+INTO\s+(` + sqlx.Ident + `)\s*\(([^()]*)\)\s*SELECT\s.*\sFROM\s+(` + sqlx.Ident + `)\s*$`)

// rebuildDrops returns the columns a SQLite table rebuild leaves behind:
// those of the table before the revision (under the names RENAME COLUMN
// gave them since) that its copy does not fill, generated ones aside.
func rebuildDrops(c *context, sql string) (string, []string) {
	m := rebuildCopyRE.FindStringSubmatch(sql)
	if m == nil || !strings.EqualFold(sqlx.Unquote(m[3]), "_strata_old_"+sqlx.Unquote(m[1])) {
		return "", nil
	}
	var before []string
	if t, ok := c.tableBefore(m[1]); ok {
		for _, col := range t.Columns {
			if col.Generated.Expr == "" {
				before = append(before, col.Name)
			}
		}
	} else {
		// The schema unknown, the other direction tells the columns it
		// gives back: those its own rebuild creates, or adds.
		before = c.inverseColumns(m[1])
	}
	copied := map[string]bool{}
	for _, col := range strings.Split(m[2], ",") {
		copied[strings.ToLower(sqlx.Unquote(strings.TrimSpace(col)))] = true
	}
	var dropped []string
	for _, name := range before {
		if now, ok := c.renamed[tableKey(m[1])+"."+name]; ok {
			name = now
		}
		if !copied[strings.ToLower(name)] {
			dropped = append(dropped, name)
		}
	}
	return sqlx.Unquote(m[1]), dropped
}

// inverseColumns returns the columns of table the revision's other
// direction gives it: those of the last CREATE TABLE of it, else those
// it adds (ALTER TABLE ... ADD COLUMN); generated columns left out.
func (c *context) inverseColumns(table string) []string {
	var created, added []string
	for _, s := range c.inverse {
		sql := strings.TrimSpace(s.SQL)
		if m := createTableRE.FindStringSubmatch(sql); m != nil && tableKey(m[1]) == tableKey(table) {
			open, end := strings.Index(sql[len(m[0]):], "("), strings.LastIndex(sql, ")")
			if open < 0 || end < len(m[0])+open {
				continue
			}
			created = nil
			for _, def := range clauses(sql[len(m[0])+open+1 : end]) {
				fields := strings.Fields(def)
				if len(fields) == 0 || notColumn[strings.ToUpper(fields[0])] || strings.EqualFold(fields[0], "UNIQUE") || generatedRE.MatchString(def) {
					continue
				}
				created = append(created, sqlx.Unquote(fields[0]))
			}
		}
		if t, cls, ok := alter(sql); ok && tableKey(t) == tableKey(table) {
			for _, cl := range cls {
				if m := addColumnRE.FindStringSubmatch(cl); m != nil && !generatedRE.MatchString(cl) {
					added = append(added, sqlx.Unquote(m[1]))
				}
			}
		}
	}
	if created != nil {
		return created
	}
	return added
}

var generatedRE = regexp.MustCompile(`(?i)\sGENERATED\s+ALWAYS\s|\sAS\s*\(`)

func dropColumn(c *context, s revision.Statement) (string, bool) {
	if table, dropped := rebuildDrops(c, s.SQL); len(dropped) > 0 {
		return fmt.Sprintf("drops column %s.%s and its values (the table rebuild does not copy it); the running application may still read or write it",
			table, strings.Join(dropped, ", "+table+".")), true
	}
	table, cls, ok := alter(s.SQL)
	if !ok || !c.existing(table) {
		return "", false
	}
	refilled := sqlx.RefilledColumns(s.SQL)
	for _, cl := range cls {
		m := dropColumnRE.FindStringSubmatch(cl)
		if m == nil || notColumn[strings.ToUpper(m[1])] || refilled[sqlx.Unquote(m[1])] {
			continue
		}
		return fmt.Sprintf("drops column %s.%s and its values; the running application may still read or write it", sqlx.Unquote(table), sqlx.Unquote(m[1])), true
	}
	return "", false
}

var notColumn = map[string]bool{"CONSTRAINT": true, "INDEX": true, "KEY": true, "PRIMARY": true, "FOREIGN": true, "CHECK": true, "DEFAULT": true, "NOT": true, "PARTITION": true}

// newType finds a column type change in one ALTER TABLE clause.
func newType(cl string) (column, typ string, ok bool) {
	if m := alterTypeRE.FindStringSubmatch(cl); m != nil {
		return m[1], m[2], true
	}
	if m := modifyRE.FindStringSubmatch(cl); m != nil {
		return m[1], m[2], true
	}
	if m := changeRE.FindStringSubmatch(cl); m != nil {
		return m[1], m[3], true
	}
	return "", "", false
}

// size reads a type's name and length/precision, as far as lint needs.
func size(t string) (name string, n, scale int) {
	m := typeSizeRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(t)))
	if m == nil {
		return strings.ToLower(t), 0, 0
	}
	n, _ = strconv.Atoi(m[2])
	scale, _ = strconv.Atoi(m[3])
	return strings.Join(strings.Fields(m[1]), " "), n, scale
}

var intRank = map[string]int{"tinyint": 1, "smallint": 2, "int2": 2, "mediumint": 3, "int": 4, "integer": 4, "int4": 4, "bigint": 5, "int8": 5}

func narrowing(c *context, s revision.Statement) (string, bool) {
	table, cls, ok := alter(s.SQL)
	if !ok {
		return "", false
	}
	t, ok := c.table(table)
	if !ok {
		return "", false
	}
	for _, cl := range cls {
		col, typ, ok := newType(cl)
		if !ok {
			continue
		}
		old, ok := t.Column(sqlx.Unquote(col))
		if !ok {
			continue
		}
		name, n, scale := size(typ)
		oldType := old.Type
		if rt, ok := oldType.(schema.RawType); ok && rt.SQL == "character varying" {
			oldType = schema.StringType{} // unbounded, as PostgreSQL inspects it
		}
		switch ot := oldType.(type) {
		case schema.StringType:
			if n > 0 && (ot.Size == 0 || n < ot.Size) && (strings.Contains(name, "char") || strings.Contains(name, "varying")) {
				return fmt.Sprintf("%s.%s goes from %s to %s; longer values make the upgrade fail or are cut", sqlx.Unquote(table), sqlx.Unquote(col), ot, strings.TrimSpace(typ)), true
			}
		case schema.IntegerType:
			if r, known := intRank[name]; known && r < map[int]int{8: 1, 16: 2, 32: 4, 64: 5}[ot.Bits] {
				return fmt.Sprintf("%s.%s goes from %s to %s; larger values make the upgrade fail", sqlx.Unquote(table), sqlx.Unquote(col), ot, strings.TrimSpace(typ)), true
			}
		case schema.DecimalType:
			if (name == "decimal" || name == "numeric") && n > 0 && (ot.Precision == 0 || n-scale < ot.Precision-ot.Scale || scale < ot.Scale) {
				return fmt.Sprintf("%s.%s goes from %s to %s; values lose digits or fail", sqlx.Unquote(table), sqlx.Unquote(col), ot, strings.TrimSpace(typ)), true
			}
		}
	}
	return "", false
}

func notNull(c *context, s revision.Statement) (string, bool) {
	table, cls, ok := alter(s.SQL)
	if !ok || !c.existing(table) {
		return "", false
	}
	for _, cl := range cls {
		if m := addColumnRE.FindStringSubmatch(cl); m != nil {
			def := strings.ToUpper(m[2])
			if strings.Contains(def, "NOT NULL") && !strings.Contains(def, "DEFAULT") && !strings.Contains(def, "GENERATED") && !strings.Contains(def, "AUTO_INCREMENT") {
				return fmt.Sprintf("adds %s.%s NOT NULL without a default; it fails on a table holding rows (add it nullable, fill it, then set NOT NULL, as strata migrate writes)", sqlx.Unquote(table), sqlx.Unquote(m[1])), true
			}
			continue
		}
		col := ""
		if m := setNotNullRE.FindStringSubmatch(cl); m != nil {
			col = m[1]
		} else if c, typ, ok := newType(cl); ok && strings.Contains(strings.ToUpper(typ), "NOT NULL") && !strings.HasPrefix(strings.ToUpper(cl), "ALTER") {
			col = c
		}
		if col == "" || c.backfilled[sqlx.Unquote(table)+"."+sqlx.Unquote(col)] {
			continue
		}
		if t, ok := c.table(table); ok {
			if old, ok := t.Column(sqlx.Unquote(col)); ok && !old.Nullable {
				continue // it was NOT NULL already
			}
		} else if c.inverseNotNull(table, col) {
			continue // the downgrade keeps it NOT NULL: it was already
		}
		return fmt.Sprintf("makes %s.%s NOT NULL with no UPDATE … WHERE %s IS NULL before it; rows holding NULL make it fail", sqlx.Unquote(table), sqlx.Unquote(col), sqlx.Unquote(col)), true
	}
	return "", false
}

func rename(c *context, s revision.Statement) (string, bool) {
	if renameTableRE.MatchString(s.SQL) {
		for _, p := range renamedTables(s.SQL) {
			if c.existing(p[0]) && !internal(p[0]) {
				return fmt.Sprintf("renames table %s to %s; the running older version of the application still uses the old name", sqlx.Unquote(p[0]), sqlx.Unquote(p[1])), true
			}
		}
		if len(renamedTables(s.SQL)) == 0 {
			return "renames a table; the running older version of the application still uses the old name", true
		}
		return "", false // tables the revision created, or strata's own
	}
	table, cls, ok := alter(s.SQL)
	if !ok || !c.existing(table) {
		return "", false
	}
	for _, cl := range cls {
		// strata's own scratch tables and columns (a rebuild, a column
		// replaced in place) come and go under names nobody uses.
		if strings.Contains(strings.ToUpper(cl), "_STRATA_") {
			continue
		}
		if m := renameRE.FindStringSubmatch(cl); m != nil {
			if m[3] != "" {
				if strings.HasPrefix(sqlx.Unquote(table), "_strata_new_") {
					continue // the last step of a table rebuild
				}
				return fmt.Sprintf("renames table %s to %s; the running older version of the application still uses the old name", sqlx.Unquote(table), sqlx.Unquote(m[3])), true
			}
			return fmt.Sprintf("renames column %s.%s to %s; the running older version of the application still uses the old name", sqlx.Unquote(table), sqlx.Unquote(m[1]), sqlx.Unquote(m[2])), true
		}
		if m := changeRE.FindStringSubmatch(cl); m != nil && sqlx.Unquote(m[1]) != sqlx.Unquote(m[2]) {
			return fmt.Sprintf("renames column %s.%s to %s; the running older version of the application still uses the old name", sqlx.Unquote(table), sqlx.Unquote(m[1]), sqlx.Unquote(m[2])), true
		}
	}
	return "", false
}

var renamePairRE = regexp.MustCompile(`(?is)^\s*(` + sqlx.Ident + `)\s+TO\s+(` + sqlx.Ident + `)\s*$`)

// renamedTables reads MySQL's RENAME TABLE a TO b, c TO d into pairs;
// nil for any other statement, or one it cannot read.
func renamedTables(sql string) [][2]string {
	loc := renameTableRE.FindStringIndex(sql)
	if loc == nil {
		return nil
	}
	var out [][2]string
	for _, part := range clauses(sql[loc[1]:]) {
		m := renamePairRE.FindStringSubmatch(part)
		if m == nil {
			return nil
		}
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

func indexNotConcurrent(c *context, s revision.Statement) (string, bool) {
	m := createIndexRE.FindStringSubmatch(s.SQL)
	if m == nil || m[1] != "" || !c.existing(m[2]) {
		return "", false
	}
	return fmt.Sprintf("builds an index on %s while blocking writes to it; use CREATE INDEX CONCURRENTLY in a revision marked -- strata:no-transaction", sqlx.Unquote(m[2])), true
}

func addsConstraint(s revision.Statement, kind string) (string, bool) {
	table, cls, ok := alter(s.SQL)
	if !ok {
		return "", false
	}
	for _, cl := range cls {
		u := strings.ToUpper(cl)
		if strings.HasPrefix(u, "ADD") && strings.Contains(u, kind) && !strings.Contains(u, "NOT VALID") {
			return table, true
		}
	}
	return "", false
}

func fkNotValid(c *context, s revision.Statement) (string, bool) {
	table, ok := addsConstraint(s, "FOREIGN KEY")
	if !ok || !c.existing(table) {
		return "", false
	}
	return fmt.Sprintf("adds a foreign key to %s, checking every row while locking both tables; add it NOT VALID, then VALIDATE CONSTRAINT in a later revision", sqlx.Unquote(table)), true
}

func checkNotValid(c *context, s revision.Statement) (string, bool) {
	table, ok := addsConstraint(s, "CHECK")
	if !ok || !c.existing(table) {
		return "", false
	}
	return fmt.Sprintf("adds a check to %s, scanning every row under an exclusive lock; add it NOT VALID, then VALIDATE CONSTRAINT in a later revision", sqlx.Unquote(table)), true
}

func typeRewrite(c *context, s revision.Statement) (string, bool) {
	table, cls, ok := alter(s.SQL)
	if !ok || !c.existing(table) {
		return "", false
	}
	for _, cl := range cls {
		m := alterTypeRE.FindStringSubmatch(cl)
		if m == nil {
			continue
		}
		// A USING expression is taken to rewrite.
		if old, ok := c.oldType(table, m[1]); ok && !usingRE.MatchString(cl) && !rewrites(old, m[2]) {
			continue
		}
		return fmt.Sprintf("changes the type of %s.%s to %s, which rewrites the table under an exclusive lock; add a new column, backfill it, and switch over", sqlx.Unquote(table), sqlx.Unquote(m[1]), strings.TrimSpace(m[2])), true
	}
	return "", false
}

// oldType returns the type column of table had before the revision: from
// the schema, or, where that is unknown, from the revision's other
// direction, which changes the type back (as strata migrate writes it:
// ALTER COLUMN … TYPE the old type). Only the string and numeric types
// rewrites knows are read from SQL.
func (c *context) oldType(table, column string) (schema.Type, bool) {
	if t, ok := c.table(table); ok {
		if col, ok := t.Column(sqlx.Unquote(column)); ok {
			return col.Type, true
		}
		return nil, false
	}
	if !c.existing(table) {
		return nil, false
	}
	for _, s := range c.inverse {
		it, cls, ok := alter(strings.TrimSpace(s.SQL))
		if !ok || tableKey(it) != tableKey(table) {
			continue
		}
		for _, cl := range cls {
			m := alterTypeRE.FindStringSubmatch(cl)
			if m == nil || sqlx.Unquote(m[1]) != sqlx.Unquote(column) {
				continue
			}
			name, n, scale := size(m[2])
			switch {
			case name == "varchar" || name == "character varying" || name == "char varying":
				return schema.StringType{Size: n}, true
			case name == "text":
				return schema.StringType{}, true
			case (name == "numeric" || name == "decimal") && n > 0:
				return schema.DecimalType{Precision: n, Scale: scale}, true
			}
			return nil, false
		}
	}
	return nil, false
}

// inverseNotNull tells whether the revision's other direction redefines
// column of table NOT NULL (MySQL's MODIFY or CHANGE, as strata migrate
// writes a type change back): where the schema is unknown, that says the
// column was NOT NULL before the revision.
func (c *context) inverseNotNull(table, column string) bool {
	for _, s := range c.inverse {
		it, cls, ok := alter(strings.TrimSpace(s.SQL))
		if !ok || tableKey(it) != tableKey(table) {
			continue
		}
		for _, cl := range cls {
			if col, typ, ok := newType(cl); ok && sqlx.Unquote(col) == sqlx.Unquote(column) && !strings.HasPrefix(strings.ToUpper(cl), "ALTER") {
				return strings.Contains(strings.ToUpper(typ), "NOT NULL")
			}
		}
	}
	return false
}

// rewrites tells whether PostgreSQL rewrites a table to change a column
// of type old to typ. A change between binary-coercible types whose new
// form accepts every old value changes only the catalog (the table keeps
// its relfilenode): varchar(n) to varchar(m >= n) or unbounded, varchar
// or text to text or unbounded varchar, numeric(p,s) to numeric(q >= p,
// s) or unbounded numeric. Every other change may rewrite.
func rewrites(old schema.Type, typ string) bool {
	name, n, scale := size(typ)
	varying := name == "varchar" || name == "character varying" || name == "char varying"
	unboundedString := name == "text" || varying && n == 0
	switch ot := old.(type) {
	case schema.StringType:
		if ot.Fixed {
			return true
		}
		return !(unboundedString || varying && ot.Size > 0 && n >= ot.Size)
	case schema.RawType:
		// Unbounded varchar, which PostgreSQL inspects as itself.
		return !(ot.SQL == "character varying" && unboundedString)
	case schema.DecimalType:
		if name != "numeric" && name != "decimal" {
			return true
		}
		if n == 0 && scale == 0 && !strings.Contains(typ, "(") {
			return false // unbounded numeric holds every value as it is
		}
		return ot.Precision == 0 || scale != ot.Scale || n < ot.Precision
	}
	return true
}

func volatileDefault(c *context, s revision.Statement) (string, bool) {
	table, cls, ok := alter(s.SQL)
	if !ok || !c.existing(table) {
		return "", false
	}
	for _, cl := range cls {
		m := addColumnRE.FindStringSubmatch(cl)
		if m == nil {
			continue
		}
		u := strings.ToUpper(m[2])
		if i := strings.Index(u, "DEFAULT"); i >= 0 && volatileRE.MatchString(m[2][i:]) {
			return fmt.Sprintf("adds %s.%s with a volatile default, which rewrites the table under an exclusive lock; add it without the default, set the default, then backfill in batches", sqlx.Unquote(table), sqlx.Unquote(m[1])), true
		}
	}
	return "", false
}

func notInPlace(c *context, s revision.Statement) (string, bool) {
	table, cls, ok := alter(s.SQL)
	if !ok || !c.existing(table) {
		return "", false
	}
	for _, cl := range cls {
		u := strings.ToUpper(cl)
		switch {
		case strings.HasPrefix(u, "DROP PRIMARY KEY"), strings.HasPrefix(u, "ADD PRIMARY KEY"):
			return fmt.Sprintf("changes the primary key of %s, which copies the table and blocks writes", sqlx.Unquote(table)), true
		case strings.HasPrefix(u, "CONVERT TO CHARACTER SET"):
			return fmt.Sprintf("converts the character set of %s, which copies the table and blocks writes", sqlx.Unquote(table)), true
		case strings.HasPrefix(u, "MODIFY") || strings.HasPrefix(u, "CHANGE"):
			col, typ, ok := newType(cl)
			if !ok {
				continue
			}
			if t, ok := c.table(table); ok {
				if old, ok := t.Column(sqlx.Unquote(col)); ok {
					name, n, _ := size(typ)
					if st, isStr := old.Type.(schema.StringType); isStr && !st.Fixed && name == "varchar" && n >= st.Size && st.Size > 0 &&
						lengthBytes(st.Size, t, old) == lengthBytes(n, t, old) {
						continue // widening a VARCHAR is in place while its length takes as many bytes
					}
					if old.Type.String() != strings.ToLower(strings.TrimSpace(typ)) && !sameType(old.Type, typ) {
						return fmt.Sprintf("changes the type of %s.%s, which copies the table (ALGORITHM=COPY) and blocks writes", sqlx.Unquote(table), sqlx.Unquote(col)), true
					}
				}
			}
		}
	}
	return "", false
}

// lengthBytes is how many bytes InnoDB spends on the length of a value
// of VARCHAR(n) in column c of table t: one while n characters fit in
// 255 bytes, else two. A character takes up to 4 bytes in utf8mb4 (the
// default, and the guess when the character set is unknown), 3 in utf8mb3,
// 2 in ucs2, 1 in the single-byte sets.
func lengthBytes(n int, t *schema.Table, c *schema.Column) int {
	charset := t.Charset
	if c.Collation != "" {
		charset, _, _ = strings.Cut(c.Collation, "_")
	}
	per := 4
	switch strings.ToLower(charset) {
	case "utf8", "utf8mb3":
		per = 3
	case "ucs2":
		per = 2
	case "latin1", "latin2", "latin5", "latin7", "ascii", "binary", "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866", "dec8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "swe7", "tis620", "armscii8", "geostd8":
		per = 1
	}
	if n*per > 255 {
		return 2
	}
	return 1
}

// sameType tells whether a MODIFY keeps the column's type (it may change
// only nullability or the default).
func sameType(old schema.Type, typ string) bool {
	name, n, scale := size(typ)
	switch t := old.(type) {
	case schema.StringType:
		return (name == "varchar" && !t.Fixed || name == "char" && t.Fixed) && n == t.Size || name == "text" && t.Size == 0
	case schema.IntegerType:
		return map[int]int{8: 1, 16: 2, 32: 4, 64: 5}[t.Bits] == intRank[name]
	case schema.BoolType:
		return name == "tinyint" && n == 1 || name == "boolean" || name == "bool"
	case schema.DecimalType:
		return (name == "decimal" || name == "numeric") && n == t.Precision && scale == t.Scale
	}
	return false
}
