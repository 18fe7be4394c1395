package mysql

import (
	"strings"
)

// Expressions (check clauses, generated columns, functional key parts,
// view definitions) are kept as the server prints them: strata does not
// parse SQL. The server reprints what it is given in one spelling
// (backquoted names, its own spacing and case), so an expression read back
// from the server and applied again reads back the same; an expression
// written by hand compares equal only once spelled that way. The helpers
// here take out what differs between servers or between two prints of
// the same definition, and nothing else.

// normalizeExpr spells an expression from information_schema the way this
// dialect reports it: without parentheses enclosing all of it (MySQL 8
// adds them, MariaDB does not) and without the charset introducers MySQL 8
// puts before string literals (_utf8mb4'x' is 'x'; _binary stays, since it
// changes the literal's type).
func normalizeExpr(s string) string {
	return synonyms(stripParens(stripIntroducers(strings.TrimSpace(s))))
}

// synonymFuncs are functions MariaDB reports by another name than the
// one usually written: lower() is shown as lcase(), upper() as ucase(),
// length() as octet_length() (its synonym in MySQL too).
var synonymFuncs = map[string]string{"lcase": "lower", "ucase": "upper", "octet_length": "length"}

// synonyms spells the functions of synonymFuncs by their usual name,
// outside quoted text, so that an expression reads the same as written
// and as MariaDB reports it.
func synonyms(s string) string {
	l := strings.ToLower(s)
	if !strings.Contains(l, "lcase") && !strings.Contains(l, "ucase") && !strings.Contains(l, "octet_length") {
		return s
	}
	var b strings.Builder
	var word strings.Builder
	flush := func(next string) {
		w := word.String()
		word.Reset()
		if to, ok := synonymFuncs[strings.ToLower(w)]; ok && next == "(" {
			w = to
		}
		b.WriteString(w)
	}
	scanSQL(s, func(kind byte, tok string) {
		if kind == 0 && len(tok) == 1 && isIdentByte(tok[0]) {
			word.WriteString(tok)
			return
		}
		flush(tok)
		b.WriteString(tok)
	})
	flush("")
	return b.String()
}

// quoteColumns writes the bare names of columns in expression s in
// backquotes, as the server reports a check constraint: qty > 0 is
// reported as `qty` > 0. A name followed by "(" is a function, and one
// after a dot is qualified; both stay as written.
func quoteColumns(s string, isColumn func(string) bool) string {
	var b strings.Builder
	var word strings.Builder
	prev := ""
	flush := func(next string) {
		w := word.String()
		word.Reset()
		if w != "" && next != "(" && prev != "." && isColumn(w) && (w[0] < '0' || w[0] > '9') {
			w = quote(w)
		}
		b.WriteString(w)
	}
	scanSQL(s, func(kind byte, tok string) {
		if kind == 0 && len(tok) == 1 && isIdentByte(tok[0]) {
			if word.Len() == 0 {
				prev = lastByte(b.String())
			}
			word.WriteString(tok)
			return
		}
		flush(tok)
		b.WriteString(tok)
	})
	flush("")
	return b.String()
}

func lastByte(s string) string {
	if s == "" {
		return ""
	}
	return s[len(s)-1:]
}

// unescapeMySQL8 undoes the backslash escaping MySQL 8 applies to
// CHECK_CLAUSE and GENERATION_EXPRESSION (a literal 'x' shows as \'x\'),
// in one pass: \' is ', \\ is \. Text without \' is left alone, since
// without it nothing was escaped. MariaDB does not escape.
func unescapeMySQL8(s string) string {
	if !strings.Contains(s, `\'`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '\\') {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// scanSQL calls fn for each token of s it cares about: quoted strings
// ('…' or "…", with doubled quotes and backslash escapes) and backquoted
// names are reported whole with their kind, everything else byte by byte
// with kind 0. It never splits a quoted token, which is what the rewrites
// below need.
func scanSQL(s string, fn func(kind byte, tok string)) {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\'' && c != '"' && c != '`' {
			fn(0, s[i:i+1])
			i++
			continue
		}
		j := i + 1
		for j < len(s) {
			if s[j] == '\\' && c != '`' {
				j += 2
				continue
			}
			if s[j] == c {
				if j+1 < len(s) && s[j+1] == c {
					j += 2
					continue
				}
				break
			}
			j++
		}
		end := min(j+1, len(s))
		fn(c, s[i:end])
		i = end
	}
}

// stripIntroducers removes charset introducers (_utf8mb4, _latin1…, not
// _binary) that stand right before a string literal.
func stripIntroducers(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	scanSQL(s, func(kind byte, tok string) {
		if kind == '\'' {
			out := b.String()
			i := len(out)
			for i > 0 && isIdentByte(out[i-1]) {
				i--
			}
			word := out[i:]
			if len(word) > 1 && word[0] == '_' && !strings.EqualFold(word, "_binary") &&
				(i == 0 || !isIdentByte(out[i-1])) {
				b.Reset()
				b.WriteString(out[:i])
			}
		}
		b.WriteString(tok)
	})
	return b.String()
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// unqualify removes the `db`. qualifiers the server writes before the
// names of a view definition, so that the definition reads the same in
// any database.
func unqualify(def, db string) string {
	prefix := quote(db)
	if !strings.Contains(def, prefix+".") {
		return def
	}
	var b strings.Builder
	skipDot := false
	scanSQL(def, func(kind byte, tok string) {
		if skipDot {
			skipDot = false
			if tok == "." {
				return
			}
			b.WriteString(prefix)
		}
		if kind == '`' && tok == prefix {
			skipDot = true
			return
		}
		b.WriteString(tok)
	})
	// A trailing `db` with no dot after it was a name, not a qualifier.
	if skipDot {
		b.WriteString(prefix)
	}
	return b.String()
}
