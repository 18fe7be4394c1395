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
//     "on update current_timestamp()".

// server is what New learned from SELECT VERSION().
type server struct {
	version             string
	mariaDB             bool
	major, minor, patch int
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
