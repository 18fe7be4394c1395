package sqlx

import (
	"regexp"
	"strings"
)

// Ident is a regular expression for one SQL identifier as SQL text writes
// it: bare, "quoted", `quoted` or [quoted], with an optional schema
// prefix. lint reads statements with it (the data-loss guard does not: it
// judges by effect, or through the dialect's own lexer).
//
// A bare name starts with an ASCII letter, an underscore or any non-ASCII
// character and goes on with those, digits and $, as PostgreSQL's and
// MySQL's scanners read it. The classes are written as negated ASCII ranges
// rather than \p{L}: under (?i) a Unicode class costs each pattern that
// embeds Ident about half a millisecond to compile, which every command
// paid at start-up.
const Ident = "(?:(?:" + quoted + "|" + bare + ")\\.)?(?:" + quoted + "|" + bare + ")"

const (
	quoted    = "\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`|\\[[^\\]]+\\]"
	bare      = bareStart + bareRest + "*"
	bareStart = `[^\x00-\x40\x5B-\x5E\x60\x7B-\x7F]`
	bareRest  = `[^\x00-\x23\x25-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x7F]`
)

// Unquote takes an identifier matched by Ident to its name: the schema
// prefix and the quotes off, doubled quotes undone.
func Unquote(s string) string {
	if end := firstPart(s); end < len(s) && s[end] == '.' {
		s = s[end+1:]
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '`' || s[0] == '[') {
		return strings.ReplaceAll(s[1:len(s)-1], string(s[0])+string(s[0]), string(s[0]))
	}
	return s
}

// firstPart returns the offset just past the first name of s, quoted or
// bare.
func firstPart(s string) int {
	if s == "" {
		return 0
	}
	closing := map[byte]byte{'"': '"', '`': '`', '[': ']'}[s[0]]
	if closing == 0 {
		if i := strings.IndexByte(s, '.'); i >= 0 {
			return i
		}
		return len(s)
	}
	for i := 1; i < len(s); i++ {
		if s[i] == closing {
			if closing != ']' && i+1 < len(s) && s[i+1] == closing {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// StringEnd returns the offset just past the '…' literal that starts at
// s[i], reading a doubled quote and a backslash-escaped character as
// inside it (the loosest reading, for scanning text rather than running
// it); len(s) when the literal does not end.
func StringEnd(s string, i int) int {
	j := i + 1
	for j < len(s) {
		switch {
		case s[j] == '\\':
			j += 2
			continue
		case s[j] == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j += 2
			continue
		case s[j] == '\'':
			return j + 1
		}
		j++
	}
	return len(s)
}

var scratchIntoRE = regexp.MustCompile(`(?is)\b(?:CHANGE\s+(?:COLUMN\s+)?(` + Ident + `)\s+(` + Ident + `)|RENAME\s+COLUMN\s+(` + Ident + `)\s+TO\s+(` + Ident + `))`)

// RefilledColumns returns the columns that a statement (an ALTER TABLE's
// text) fills again from one of strata's own scratch columns (_strata_…)
// renamed into their name, as MySQL's replacement of a generated column
// does: dropping such a column in the same statement loses nothing.
func RefilledColumns(statement string) map[string]bool {
	out := map[string]bool{}
	for _, m := range scratchIntoRE.FindAllStringSubmatch(statement, -1) {
		from, to := m[1], m[2]
		if from == "" {
			from, to = m[3], m[4]
		}
		if strings.HasPrefix(Unquote(from), "_strata_") {
			out[Unquote(to)] = true
		}
	}
	return out
}
