package conformance

import (
	"github.com/strata-go/strata/internal/sqlx"
	"regexp"
	"slices"
	"strings"
)

// A feature is something a case may use that the harness does not run,
// by design rather than for want of support: roles, which are
// cluster-wide and would outlive the case's database; grants and
// privileges, which name those roles; and row-level security policies,
// which name them too. A case using one is skipped with the feature's
// name. Everything else runs, and a kind of object strata does not
// manage fails where the oracle (the database's own dump) shows it.
type feature struct {
	name string
	res  []*regexp.Regexp
}

func res(patterns ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(`(?is)` + p)
	}
	return out
}

var features = []feature{
	{name: "roles", res: res(`\b(?:CREATE|ALTER|DROP)\s+(?:ROLE|USER|GROUP)\b`, `\bSET\s+ROLE\b`)},
	{name: "grants and privileges", res: res(`(?:^|;)\s*(?:GRANT|REVOKE)\b`, `\bALTER\s+DEFAULT\s+PRIVILEGES\b`)},
	{name: "row-level security policies", res: res(`\b(?:CREATE|ALTER|DROP)\s+POLICY\b`, `\bROW\s+LEVEL\s+SECURITY\b`)},
}

// databaseWideRE finds PostgreSQL objects that belong to the database
// rather than to a schema, which resetting a pooled database (dropping
// every schema) would leave behind: a case making one gets databases
// that are dropped afterwards instead of reused.
var databaseWideRE = regexp.MustCompile(`(?is)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:EVENT\s+TRIGGER|PUBLICATION|SUBSCRIPTION|SERVER|FOREIGN\s+DATA\s+WRAPPER|USER\s+MAPPING|CAST|(?:TRUSTED\s+)?(?:PROCEDURAL\s+)?LANGUAGE|TABLESPACE|TRANSFORM)\b|\bCOMMENT\s+ON\s+(?:DATABASE|SCHEMA\s+public|EXTENSION)\b|\bALTER\s+(?:DATABASE|SCHEMA\s+public)\b`)

// databaseWide reports whether the case's texts make PostgreSQL objects
// that outlive a reset of the database (see databaseWideRE).
func databaseWide(dialect string, texts ...string) bool {
	if dialect != "postgres" {
		return false
	}
	for _, t := range texts {
		if databaseWideRE.MatchString(stripLiterals(t)) {
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
			if slices.Contains(out, f.name) {
				continue
			}
			hit := false
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
