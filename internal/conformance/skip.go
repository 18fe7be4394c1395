package conformance

import (
	"github.com/strata-go/strata/internal/sqlx"
	"regexp"
	"slices"
	"strings"
)

// A feature is something a case may use that strata's schema model
// (package schema: tables, columns, keys, indexes, checks, foreign keys,
// views, PostgreSQL enums, extensions, functions and procedures,
// triggers, table and column comments, MySQL
// table options) has no place for. A case using one is skipped with the
// feature's name: a diff cannot see it, so neither mode can pass or fail
// on it. Only whole kinds of objects outside the model are listed here;
// an attribute the model lacks on an object it has stays in the run and
// fails where it matters, so that the report shows it.
type feature struct {
	name string
	res  []*regexp.Regexp
	// match, when set, decides instead of res.
	match func(sql string) bool
	// dialects, when set, limits the feature to those dialects: the
	// others have it in the model.
	dialects []string
}

func res(patterns ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(`(?is)` + p)
	}
	return out
}

const (
	orReplace = `(?:OR\s+REPLACE\s+)?`
	definer   = `(?:DEFINER\s*=\s*\S+\s+)?`
)

var features = []feature{
	// MySQL's routines are not inspected yet.
	{name: "functions and procedures", dialects: []string{"mysql"}, res: res(`\bCREATE\s+`+orReplace+definer+`(?:FUNCTION|PROCEDURE)\b`, `\bDROP\s+(?:FUNCTION|PROCEDURE)\b`)},
	{name: "aggregates", res: res(`\bCREATE\s+` + orReplace + `AGGREGATE\b`)},
	{name: "event triggers", res: res(`\bCREATE\s+EVENT\s+TRIGGER\b`)},
	{name: "domains", res: res(`\b(?:CREATE|ALTER|DROP)\s+DOMAIN\b`)},
	{name: "row-level security policies", res: res(`\bCREATE\s+POLICY\b`, `\bROW\s+LEVEL\s+SECURITY\b`)},
	{name: "partitioned tables", match: partitioned},
	{name: "events (MySQL scheduler)", match: mysqlEvent},
	{name: "standalone sequences", res: res(`\b(?:CREATE|ALTER|DROP)\s+(?:TEMP(?:ORARY)?\s+)?SEQUENCE\b`)},
	{name: "privileges and roles", res: res(`(?:^|;)\s*(?:GRANT|REVOKE)\b`, `\bALTER\s+DEFAULT\s+PRIVILEGES\b`, `\bCREATE\s+(?:ROLE|USER)\b`)},
	{name: "materialized views", res: res(`\bMATERIALIZED\s+VIEW\b`)},
	{name: "types other than enums (composite, range, base)", match: nonEnumType},
	{name: "schemas other than the default one", res: res(`\bCREATE\s+SCHEMA\b`)},
	{name: "exclusion constraints", res: res(`\bEXCLUDE\s+(?:USING\b|\()`)},
	{name: "table inheritance", res: res(`\bINHERITS\s*\(`)},
	{name: "rules", res: res(`\bCREATE\s+` + orReplace + `RULE\b`)},
	{name: "virtual tables (SQLite modules)", res: res(`\bCREATE\s+VIRTUAL\s+TABLE\b`)},
	{name: "foreign tables and servers", res: res(`\bCREATE\s+(?:FOREIGN\s+TABLE|SERVER)\b`)},
	{name: "statistics, collations, publications and other catalog objects", res: res(`\bCREATE\s+(?:STATISTICS|COLLATION|PUBLICATION|SUBSCRIPTION|TABLESPACE|OPERATOR|CAST|CONVERSION|TEXT\s+SEARCH)\b`)},
	{name: "comments on objects other than tables, columns, indexes, constraints, types, views and functions", match: otherComment},
}

var (
	createTypeRE = regexp.MustCompile(`(?is)\bCREATE\s+TYPE\s+(?:"[^"]*"|[\w.]+)(?:\.(?:"[^"]*"|\w+))?\s*(AS\s*(\w*)|\()?`)
	commentOnRE  = regexp.MustCompile(`(?is)\bCOMMENT\s+ON\s+(\w+(?:\s+\w+)?)`)
)

var (
	partitionRE = regexp.MustCompile(`(?is)\bPARTITION\s+(?:BY|OF)\b`)
	overRE      = regexp.MustCompile(`(?is)\bOVER\s*\(`)
)

// partitioned finds PARTITION BY or PARTITION OF outside window
// specifications (OVER (PARTITION BY …)).
func partitioned(sql string) bool {
	for {
		loc := overRE.FindStringIndex(sql)
		if loc == nil {
			break
		}
		depth, end := 1, loc[1]
		for end < len(sql) && depth > 0 {
			switch sql[end] {
			case '(':
				depth++
			case ')':
				depth--
			}
			end++
		}
		sql = sql[:loc[0]] + " " + sql[end:]
	}
	return partitionRE.MatchString(sql)
}

var (
	eventRE        = regexp.MustCompile(`(?is)\b(?:CREATE|ALTER|DROP)\s+` + definer + `EVENT\b`)
	eventTriggerRE = regexp.MustCompile(`(?is)\b(?:CREATE|ALTER|DROP)\s+EVENT\s+TRIGGER\b`)
)

// mysqlEvent finds MySQL's scheduled events, not PostgreSQL's event
// triggers.
func mysqlEvent(sql string) bool {
	return eventRE.MatchString(eventTriggerRE.ReplaceAllString(sql, " "))
}

func nonEnumType(sql string) bool {
	for _, m := range createTypeRE.FindAllStringSubmatch(sql, -1) {
		if !strings.EqualFold(m[2], "ENUM") {
			return true
		}
	}
	return false
}

func otherComment(sql string) bool {
	for _, m := range commentOnRE.FindAllStringSubmatch(sql, -1) {
		what := strings.ToUpper(strings.Fields(m[1])[0])
		switch what {
		case "TABLE", "COLUMN", "INDEX", "CONSTRAINT", "TYPE", "VIEW", "FUNCTION", "PROCEDURE":
		default:
			return true
		}
	}
	return false
}

// Skip returns the names of the features outside dialect's schema model
// that the SQL texts use, in the order of the list; none means the case
// runs. Comments, string literals and dollar-quoted bodies are ignored.
func Skip(dialect string, texts ...string) []string {
	var out []string
	for _, text := range texts {
		sql := stripLiterals(text)
		for _, f := range features {
			if slices.Contains(out, f.name) || f.dialects != nil && !slices.Contains(f.dialects, dialect) {
				continue
			}
			hit := f.match != nil && f.match(sql)
			for _, re := range f.res {
				hit = hit || re.MatchString(sql)
			}
			if hit {
				out = append(out, f.name)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return featureIndex(a) - featureIndex(b) })
	return out
}

func featureIndex(name string) int {
	return slices.IndexFunc(features, func(f feature) bool { return f.name == name })
}

// stripLiterals blanks out comments, '…' strings and $tag$…$tag$ bodies,
// keeping quoted identifiers, so that keywords inside them do not count.
func stripLiterals(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "--") || s[i] == '#':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return b.String()
			}
			i += j
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return b.String()
			}
			b.WriteByte(' ')
			i += j + 4
		case s[i] == '\'':
			b.WriteString("''")
			i = sqlx.StringEnd(s, i)
		case s[i] == '$':
			if tag := dollarTagRE.FindString(s[i:]); tag != "" {
				j := strings.Index(s[i+len(tag):], tag)
				if j < 0 {
					return b.String()
				}
				b.WriteString("''")
				i += len(tag) + j + len(tag)
				continue
			}
			b.WriteByte(s[i])
			i++
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

var dollarTagRE = regexp.MustCompile(`^\$[A-Za-z_]*\$`)
