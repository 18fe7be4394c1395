package mysql

import (
	"strconv"
	"strings"

	"github.com/strata-go/strata/schema"
)

// MariaDB differs from MySQL in what this dialect reads back:
//
//   - information_schema.COLUMNS.COLUMN_DEFAULT is SQL text since MariaDB
//     10.2.7: strings in single quotes ('abc', escaped as the server
//     prints them), NULL as the four-letter string NULL for nullable
//     columns, expressions as written (current_timestamp(), uuid()).
//     MySQL prints the bare value and marks expressions with
//     DEFAULT_GENERATED in EXTRA.
//   - COLUMN_TYPE keeps integer display widths (int(11), bigint(20)
//     unsigned), which MySQL 8.0.19 and later drop except for tinyint(1);
//     parseType ignores them either way.
//   - REFERENTIAL_CONSTRAINTS reports RESTRICT for a foreign key declared
//     without an action, MySQL 8 NO ACTION; InnoDB treats both alike and
//     the inspector reports both as the default, "".
//   - ON UPDATE CURRENT_TIMESTAMP shows in EXTRA as
//     "on update current_timestamp()" (MySQL 8: "on update
//     CURRENT_TIMESTAMP"); canonicalExpr spells both CURRENT_TIMESTAMP.
//   - JSON is an alias of LONGTEXT COLLATE utf8mb4_bin with a column-level
//     CHECK (json_valid(`col`)) named after the column. Inspect reports
//     that combination as RawType "json" without the check or the
//     collation, so that it renders back as JSON (and compares equal to a
//     MySQL JSON column). A JSON column whose check was replaced by the
//     user's own stays LONGTEXT with its collation and check.
//   - Column-level CHECK constraints (LEVEL 'Column' in CHECK_CONSTRAINTS,
//     named after their column) are reported as table checks, which is
//     what they render back as; MariaDB cannot DROP CONSTRAINT a
//     column-level one, so DropCheck also restates the column (see
//     dropCheck). MySQL 8 turns column-level checks into table ones.
//   - generated columns take no NULL or NOT NULL and are always nullable.
//   - DROP CONSTRAINT drops a check; MySQL 8 says DROP CHECK.
//   - there are no functional key parts (STATISTICS has no EXPRESSION).

// server is what New learned from SELECT VERSION().
type server struct {
	version             string
	mariaDB             bool
	major, minor, patch int
	// engine is @@default_storage_engine, "" when unknown (InnoDB).
	engine string
	// charset and collation are the connection's database's defaults, ""
	// when unknown.
	charset, collation string
}

// charsetDefault returns the collation a table of charset cs gets without
// COLLATE=, for the common charsets, or "" when not known.
func (s server) charsetDefault(cs string) string {
	switch cs {
	case "utf8mb4":
		if !s.mariaDB && (!s.probed() || s.atLeast(8, 0, 1)) {
			return "utf8mb4_0900_ai_ci"
		}
		return "utf8mb4_general_ci"
	case "binary":
		return "binary"
	case "latin1":
		return "latin1_swedish_ci"
	case "utf8mb3", "utf8", "ascii", "ucs2", "utf16", "utf32", "latin2", "cp1250", "cp1251", "cp1256", "greek", "hebrew":
		return cs + "_general_ci"
	}
	return ""
}

// probed reports whether the version is known; a zero server stands for
// the latest MySQL.
func (s server) probed() bool { return s.major != 0 }

// defaultEngine is the engine a table gets without ENGINE=.
func (s server) defaultEngine() string {
	if s.engine == "" {
		return "InnoDB"
	}
	return s.engine
}

// keepsDesc reports whether the server stores DESC index parts (MySQL 8,
// MariaDB 10.8); older servers parse DESC and ignore it.
func (s server) keepsDesc() bool {
	if !s.probed() {
		return true
	}
	if s.mariaDB {
		return s.atLeast(10, 8, 0)
	}
	return s.atLeast(8, 0, 0)
}

// functionalIndexes reports whether key parts may be expressions (MySQL
// 8.0.13; MariaDB has none).
func (s server) functionalIndexes() bool {
	return !s.mariaDB && (!s.probed() || s.atLeast(8, 0, 13))
}

// ignoredIndexes reports whether the server has indexes the optimizer
// leaves aside, and which word says so: IGNORED on MariaDB 10.6,
// INVISIBLE on MySQL 8.0 (a zero server counts as MySQL 8).
func (s server) ignoredIndexes() (word string, ok bool) {
	switch {
	case s.mariaDB && s.atLeast(10, 6, 0):
		return "IGNORED", true
	case !s.mariaDB && (!s.probed() || s.atLeast(8, 0, 0)):
		return "INVISIBLE", true
	}
	return "", false
}

// checkConstraints reports whether the server keeps CHECK constraints and
// lists them in information_schema.CHECK_CONSTRAINTS (MySQL 8.0.16,
// MariaDB 10.2.22).
func (s server) checkConstraints() bool {
	if !s.probed() {
		return true
	}
	if s.mariaDB {
		return s.atLeast(10, 2, 22)
	}
	return s.atLeast(8, 0, 16)
}

// renameColumn reports whether ALTER TABLE … RENAME COLUMN exists (MySQL
// 8, MariaDB 10.5.2); CHANGE COLUMN does the job elsewhere.
func (s server) renameColumn() bool {
	if !s.probed() {
		return true
	}
	if s.mariaDB {
		return s.atLeast(10, 5, 2)
	}
	return s.atLeast(8, 0, 0)
}

// parseServer reads a version string such as "8.0.36",
// "10.11.19-MariaDB-0+deb12u1" or, through some proxies,
// "5.5.5-10.11.19-MariaDB".
func parseServer(version string) server {
	s := server{version: version, mariaDB: strings.Contains(strings.ToLower(version), "mariadb")}
	v := version
	if s.mariaDB {
		v = strings.TrimPrefix(v, "5.5.5-")
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }); i >= 0 {
		v = v[:i]
	}
	parts := strings.SplitN(v, ".", 3)
	nums := []*int{&s.major, &s.minor, &s.patch}
	for i, p := range parts {
		*nums[i], _ = strconv.Atoi(p)
	}
	return s
}

// atLeast reports whether the server's version is major.minor.patch or
// later.
func (s server) atLeast(major, minor, patch int) bool {
	if s.major != major {
		return s.major > major
	}
	if s.minor != minor {
		return s.minor > minor
	}
	return s.patch >= patch
}

// quotesDefaults reports whether COLUMN_DEFAULT holds SQL text (MariaDB
// 10.2.7 and later) rather than the bare value (MySQL, older MariaDB).
func (s server) quotesDefaults() bool { return s.mariaDB && s.atLeast(10, 2, 7) }

// parseMariaDBDefault classifies a COLUMN_DEFAULT that MariaDB printed as
// SQL: a quoted string, a number, a bit or hex literal, the word NULL, or
// an expression.
func parseMariaDBDefault(raw string) schema.Default {
	s := strings.TrimSpace(raw)
	switch {
	case s == "" || strings.EqualFold(s, "null"):
		return nil
	case s[0] == '\'':
		if v, ok := unquoteString(s); ok {
			return schema.Literal{SQL: quoteString(v)}
		}
		return schema.Literal{SQL: s}
	case isNumber(s) || isBitOrHexLiteral(s):
		return schema.Literal{SQL: s}
	}
	return canonicalExpr(s)
}

// normalizeExpr reads an expression from information_schema: MySQL 8
// escapes quotes in it (unescapeMySQL8), then both are spelled as
// normalizeExpr says.
func (s server) normalizeExpr(expr string) string {
	if !s.mariaDB {
		expr = unescapeMySQL8(expr)
	}
	return normalizeExpr(expr)
}
