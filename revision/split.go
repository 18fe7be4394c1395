package revision

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Split cuts SQL text into statements at semicolons that are outside
// quotes ('…', "…", `…`), comments (-- and /* */), PostgreSQL dollar
// quotes ($tag$…$tag$) and the BEGIN … END body of a trigger. firstLine is
// the line number of the text's first line; each statement gets the line
// it starts on. Comments before and after a statement are dropped; a
// section of comments only yields no statements. An unterminated quote,
// comment, dollar quote or trigger body is an error giving its line.
func Split(text string, firstLine int) ([]Statement, error) {
	var (
		out       []Statement
		start     = -1 // offset of the current statement's first token
		end       int  // offset just past its last token so far
		startLine int
		line      = firstLine
		depth     int // BEGIN … END nesting inside a trigger
	)
	flush := func() {
		if start >= 0 {
			out = append(out, Statement{SQL: text[start:end], Line: startLine})
		}
		start, depth = -1, 0
	}
	begin := func(i int) {
		if start < 0 {
			start, startLine = i, line
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				i = len(text)
			} else {
				i += j
			}
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return nil, fmt.Errorf("line %d: unterminated /* comment", line)
			}
			line += strings.Count(text[i:i+2+j+2], "\n")
			i += 2 + j + 2
		case c == '\'' || c == '"' || c == '`':
			begin(i)
			escapes := c == '\'' && i > 0 && (text[i-1] == 'E' || text[i-1] == 'e')
			j, err := quoteEnd(text, i, c, escapes)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			line += strings.Count(text[i:j], "\n")
			i, end = j, j
		case c == '$':
			begin(i)
			if tag := dollarTag(text[i:]); tag != "" {
				j := strings.Index(text[i+len(tag):], tag)
				if j < 0 {
					return nil, fmt.Errorf("line %d: unterminated dollar quote %s", line, tag)
				}
				stop := i + len(tag) + j + len(tag)
				line += strings.Count(text[i:stop], "\n")
				i = stop
			} else {
				i++
			}
			end = i
		case c == ';':
			if depth > 0 {
				i++
				end = i
				continue
			}
			flush()
			i++
		case isWordByte(c):
			begin(i)
			j := i
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			if start >= 0 && isTrigger(text[start:j]) {
				switch strings.ToUpper(text[i:j]) {
				case "BEGIN", "CASE":
					depth++
				case "END":
					next, n := wordAfter(text[j:])
					if depth > 0 && !slices.Contains(endsNoBlock, next) {
						depth--
					}
					if next == "CASE" || slices.Contains(endsNoBlock, next) {
						// END CASE, END IF…: the word after END opens
						// nothing, so it is skipped.
						line += strings.Count(text[j:j+n], "\n")
						j += n
					}
				}
			}
			i, end = j, j
		default:
			begin(i)
			i++
			end = i
		}
	}
	if depth > 0 {
		return nil, fmt.Errorf("line %d: trigger body has BEGIN without END", startLine)
	}
	flush()
	return out, nil
}

// endsNoBlock are the words after END that close a MySQL compound
// statement (END IF…), not a BEGIN or CASE.
var endsNoBlock = []string{"IF", "LOOP", "REPEAT", "WHILE"}

// wordAfter returns, upper-cased, the word that starts s after white
// space, and the offset just past it.
func wordAfter(s string) (string, int) {
	i := len(s) - len(strings.TrimLeft(s, " \t\r\n\f\v"))
	j := i
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	return strings.ToUpper(s[i:j]), j
}

// quoteEnd returns the offset just past the quote that closes the one at
// i. A doubled quote stands for itself; with escapes (PostgreSQL's
// E'…' strings) a backslash escapes the next byte.
func quoteEnd(text string, i int, q byte, escapes bool) (int, error) {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			if escapes {
				j++
			}
		case q:
			if j+1 < len(text) && text[j+1] == q {
				j++
				continue
			}
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated %c quote", q)
}

var dollarTagRE = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_]*)?\$`)

func dollarTag(s string) string { return dollarTagRE.FindString(s) }

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

var triggerRE = regexp.MustCompile(`(?is)^CREATE\s+(OR\s+REPLACE\s+)?(DEFINER\s*=\s*\S+\s+)?(TEMP\s+|TEMPORARY\s+)?TRIGGER\b`)

func isTrigger(stmt string) bool { return triggerRE.MatchString(stmt) }
