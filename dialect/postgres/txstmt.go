package postgres

import (
	"strings"

	"github.com/strata-go/strata/dialect"
)

var _ dialect.StatementClassifier = (*Dialect)(nil)

// Transactional reports whether statement may run inside a transaction
// block and commits or rolls back with it, which is true of nearly all of
// PostgreSQL's statements, DDL included: not of those that refuse a
// transaction block (anything CONCURRENTLY, VACUUM, CREATE/DROP DATABASE
// and TABLESPACE, ALTER SYSTEM, REINDEX DATABASE/SYSTEM, CLUSTER without a
// table), of CALL and DO (which may commit themselves), nor of the
// transaction statements. A -- strata:no-transaction revision's
// transactional statements commit one by one, each with its progress
// record, so that a crash half-way never runs one twice; the others run
// alone.
//
// It reads the statement's words outside strings, quoted names, dollar
// quotes and comments; a statement it cannot read to the end is not
// transactional (it runs alone, as before).
func (*Dialect) Transactional(statement string) bool {
	words, ok := topWords(statement)
	if !ok || len(words) == 0 {
		return false
	}
	for _, w := range words {
		if w == "CONCURRENTLY" {
			return false
		}
	}
	switch words[0] {
	case "VACUUM", "CALL", "DO", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE", "CHECKPOINT":
		return false
	case "CLUSTER":
		return len(words) > 1 && words[1] != "VERBOSE"
	case "CREATE", "DROP":
		if len(words) > 1 && (words[1] == "DATABASE" || words[1] == "TABLESPACE") {
			return false
		}
	case "ALTER":
		if len(words) > 1 && words[1] == "SYSTEM" {
			return false
		}
	case "REINDEX":
		if len(words) > 1 && (words[1] == "DATABASE" || words[1] == "SYSTEM") {
			return false
		}
	}
	return true
}

// topWords returns the bare words of statement, upper-cased, skipping
// comments (nested /* */ too), 'strings' (E'…' with backslash escapes),
// "quoted names" and $tag$ dollar quotes$tag$. ok is false when one of
// those does not end.
func topWords(s string) (words []string, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return words, true
			}
			i += j + 1
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			depth := 0
		comment:
			for i < len(s) {
				switch {
				case strings.HasPrefix(s[i:], "/*"):
					depth++
					i += 2
				case strings.HasPrefix(s[i:], "*/"):
					depth--
					i += 2
				default:
					i++
				}
				if depth == 0 {
					break comment
				}
			}
			if depth != 0 {
				return words, false
			}
		case c == '\'' || c == '"':
			escapes := c == '\'' && i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i == 1 || !isWord(s[i-2]))
			j := i + 1
			for ; j < len(s); j++ {
				if escapes && s[j] == '\\' {
					j++
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j++
						continue
					}
					break
				}
			}
			if j >= len(s) {
				return words, false
			}
			i = j + 1
		case c == '$' && (i == 0 || !isWord(s[i-1])):
			end := strings.IndexByte(s[i+1:], '$')
			tag := ""
			if end >= 0 {
				tag = s[i : i+1+end+1]
			}
			if tag == "" || strings.ContainsFunc(tag[1:len(tag)-1], func(r rune) bool { return r >= 0x80 || !isWord(byte(r)) }) || len(tag) > 2 && tag[1] >= '0' && tag[1] <= '9' {
				i++ // $1, a parameter, or a lone $
				continue
			}
			close := strings.Index(s[i+len(tag):], tag)
			if close < 0 {
				return words, false
			}
			i += len(tag) + close + len(tag)
		case isWord(c):
			j := i
			for j < len(s) && (isWord(s[j]) || s[j] == '$') {
				j++
			}
			if w := s[i:j]; j < len(s) && (s[j] == '\'') && strings.EqualFold(w, "E") {
				i = j // E'…': the string follows
				continue
			}
			words = append(words, strings.ToUpper(s[i:j]))
			i = j
		default:
			i++
		}
	}
	return words, true
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
