package revision

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// SplitOption changes how Split reads SQL.
type SplitOption func(*syntax) error

// ForDialect makes Split read the text as the named database does:
// "postgres", "sqlite" or "mysql" (MariaDB too), the names that
// dialect.Dialect's Name method gives. Split says what each one changes.
func ForDialect(name string) SplitOption {
	return func(s *syntax) error {
		switch name {
		case "postgres":
			*s = postgresSyntax
		case "sqlite":
			*s = sqliteSyntax
		case "mysql":
			*s = mysqlSyntax
		default:
			return fmt.Errorf("revision: split SQL: unknown dialect %q (want postgres, sqlite or mysql)", name)
		}
		return nil
	}
}

// syntax is how a database's lexer differs where statement ends are
// concerned.
type syntax struct {
	known     bool // the dialect was given; else Split guesses, see there
	backslash bool // a backslash escapes the next byte in '…' and "…" (MySQL)
	eStrings  bool // E'…' strings take backslash escapes (PostgreSQL)
	dollar    bool // $tag$…$tag$ quotes (PostgreSQL)
	nested    bool // /* */ comments nest (PostgreSQL)
	brackets  bool // [ … ] quotes an identifier (SQLite)
	mysql     bool // # comments, "-- " needs a space, /*! … */ is SQL, DELIMITER lines
}

var (
	autoSyntax     = syntax{eStrings: true, dollar: true}
	postgresSyntax = syntax{known: true, eStrings: true, dollar: true, nested: true}
	sqliteSyntax   = syntax{known: true, brackets: true}
	mysqlSyntax    = syntax{known: true, backslash: true, mysql: true}
)

// Split cuts SQL text into statements. firstLine is the line number of the
// text's first line; each statement gets the line it starts on. Comments
// before and after a statement are dropped; a section of comments only
// yields no statements. An unterminated quote, comment, dollar quote or
// BEGIN … END body is an error giving its line.
//
// A statement ends at a semicolon outside quotes ('…', "…", `…`),
// comments (-- …, /* … */), PostgreSQL dollar quotes ($tag$…$tag$) and the
// BEGIN … END body of a CREATE TRIGGER, PROCEDURE, FUNCTION or EVENT
// (MySQL's and SQLite's bodies, PostgreSQL's BEGIN ATOMIC), and the
// parentheses around a PostgreSQL CREATE RULE's actions. A line
// "DELIMITER $$" (the mysql client's command) makes statements end at $$
// instead, until "DELIMITER ;"; the DELIMITER lines are not statements.
//
// With ForDialect("mysql") a backslash escapes the next byte in '…' and
// "…", # starts a comment and /*! … */ is SQL, not a comment; with
// "postgres", /* */ comments nest; with "sqlite", [ … ] quotes a name.
//
// Without ForDialect the dialect is unknown. A backslash is then an
// ordinary byte, as in PostgreSQL's and SQLite's strings, where 'C:\' is
// a whole string, and # starts a comment only where a statement would
// start. The text is read as MySQL's only when it can be nothing else: it
// has a DELIMITER line, or a quote stays open unless backslashes escape.
// So a text that PostgreSQL's or SQLite's rules split is split by them,
// while a MySQL text with an even number of \' can be misread: pass the
// dialect where it is known.
func Split(text string, firstLine int, opts ...SplitOption) ([]Statement, error) {
	syn := autoSyntax
	for _, o := range opts {
		if err := o(&syn); err != nil {
			return nil, err
		}
	}
	stmts, err := split(text, firstLine, syn)
	if err == nil || syn.known {
		return stmts, err
	}
	if errors.Is(err, errClientScript) {
		return split(text, firstLine, mysqlSyntax)
	}
	var se *splitError
	if errors.As(err, &se) && (se.quote == '\'' || se.quote == '"') {
		esc := syn
		esc.backslash = true
		switch again, errEsc := split(text, firstLine, esc); {
		case errEsc == nil:
			return again, nil
		case errors.Is(errEsc, errClientScript):
			return split(text, firstLine, mysqlSyntax)
		}
	}
	return nil, err
}

// splitError is a failure to split, at a line of the text.
type splitError struct {
	line  int
	msg   string
	quote byte // the quote left open, if that is the failure
}

func (e *splitError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// errClientScript stops a split of unknown dialect at a DELIMITER line,
// which only the mysql client reads, so that Split reads it as MySQL's.
var errClientScript = errors.New("split: a DELIMITER line")

// splitter reads one text. The statement being read is text[start:end].
type splitter struct {
	syntax
	text  string
	out   []Statement
	line  int
	delim string // ";" unless a DELIMITER line set another

	start, end int // start is -1 between statements
	startLine  int
	words      int    // words of the statement so far, to spot its head
	compound   string // TRIGGER, PROCEDURE…, RULE: semicolons may be inside
	parens     int    // open parentheses
	blocks     []int  // for each open BEGIN or CASE, the parentheses open at it
}

func split(text string, firstLine int, syn syntax) ([]Statement, error) {
	s := &splitter{syntax: syn, text: text, line: firstLine, delim: ";", start: -1}
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.out, nil
}

func (s *splitter) run() error {
	text := s.text
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case s.delim != ";" && strings.HasPrefix(text[i:], s.delim):
			s.flush()
			i += len(s.delim)
		case c == '\n':
			s.line++
			i++
		case isSpace(c):
			i++
		case s.lineComment(i):
			if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(text)
			}
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			j, err := s.commentEnd(i)
			if err != nil {
				return err
			}
			// MySQL and MariaDB run what an executable comment holds
			// (mysqldump's /*!50100 PARTITION BY … */). Other databases
			// ignore it as any comment, so it stays in a statement it ends.
			exec := strings.HasPrefix(text[i:], "/*!") || strings.HasPrefix(text[i:], "/*M!")
			if exec && (s.mysql || s.start >= 0) {
				s.begin(i)
				s.end = j
			}
			s.line += strings.Count(text[i:j], "\n")
			i = j
		case c == '\'' || c == '"' || c == '`' || c == '[' && s.brackets:
			s.begin(i)
			j, err := s.quoteEnd(i)
			if err != nil {
				return err
			}
			s.line += strings.Count(text[i:j], "\n")
			i, s.end = j, j
		case c == '$' && s.dollar && dollarTag(text[i:]) != "":
			s.begin(i)
			tag := dollarTag(text[i:])
			j := strings.Index(text[i+len(tag):], tag)
			if j < 0 {
				return &splitError{line: s.line, msg: "unterminated dollar quote " + tag}
			}
			stop := i + len(tag) + j + len(tag)
			s.line += strings.Count(text[i:stop], "\n")
			i, s.end = stop, stop
		case c == ';' && s.delim == ";":
			// A body's semicolons, or those between a PostgreSQL rule's
			// parenthesized actions, end nothing.
			if len(s.blocks) > 0 || s.compound == "RULE" && s.parens > 0 {
				i++
				s.end = i
				continue
			}
			s.flush()
			i++
		case isWordByte(c) || c == '$' && !s.dollar:
			j, err := s.word(i)
			if err != nil {
				return err
			}
			i = j
		default:
			s.begin(i)
			switch c {
			case '(':
				s.parens++
			case ')':
				s.parens = max(s.parens-1, 0)
			}
			i++
			s.end = i
		}
	}
	switch {
	case len(s.blocks) > 0:
		return &splitError{line: s.startLine, msg: "CREATE " + s.compound + " body has BEGIN without END"}
	case s.compound == "RULE" && s.parens > 0:
		return &splitError{line: s.startLine, msg: "CREATE RULE has ( without )"}
	}
	s.flush()
	return nil
}

func (s *splitter) begin(i int) {
	if s.start < 0 {
		s.start, s.startLine = i, s.line
	}
}

func (s *splitter) flush() {
	if s.start >= 0 {
		s.out = append(s.out, Statement{SQL: s.text[s.start:s.end], Line: s.startLine})
	}
	s.start, s.words, s.compound, s.parens, s.blocks = -1, 0, "", 0, s.blocks[:0]
}

// lineComment reports whether a comment that runs to the end of the line
// starts at i.
func (s *splitter) lineComment(i int) bool {
	t := s.text[i:]
	switch {
	case strings.HasPrefix(t, "--"):
		// In MySQL 1--1 is 1 - -1: its comment needs a space after "--".
		return !s.mysql || len(t) == 2 || t[2] <= ' '
	case t[0] == '#':
		// Elsewhere # is an operator (PostgreSQL) or a parameter (SQLite),
		// never the start of a statement.
		return s.mysql || !s.known && s.start < 0
	}
	return false
}

// commentEnd returns the offset just past the /* comment at i.
func (s *splitter) commentEnd(i int) (int, error) {
	depth := 0
	for j := i; j+1 < len(s.text); j++ {
		switch {
		case s.text[j] == '/' && s.text[j+1] == '*' && (depth == 0 || s.nested):
			depth++
			j++
		case s.text[j] == '*' && s.text[j+1] == '/':
			if depth--; depth == 0 {
				return j + 2, nil
			}
			j++
		}
	}
	return 0, &splitError{line: s.line, msg: "unterminated /* comment"}
}

// quoteEnd returns the offset just past the quote that closes the one at
// i. A doubled quote stands for itself; where the dialect says so, a
// backslash escapes the next byte.
func (s *splitter) quoteEnd(i int) (int, error) {
	text, q := s.text, s.text[i]
	if q == '[' {
		if j := strings.IndexByte(text[i:], ']'); j >= 0 {
			return i + j + 1, nil
		}
		return 0, &splitError{line: s.line, msg: "unterminated [ quote", quote: q}
	}
	escapes := s.backslash && q != '`' ||
		s.eStrings && q == '\'' && i > 0 && text[i-1]|0x20 == 'e' && (i == 1 || !isWordCont(text[i-2]))
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
	return 0, &splitError{line: s.line, msg: fmt.Sprintf("unterminated %c quote", q), quote: q}
}

// word reads the word at i and returns the offset where reading goes on.
func (s *splitter) word(i int) (int, error) {
	text, custom := s.text, s.delim != ";"
	j := i + 1
	for j < len(text) && isWordCont(text[j]) && !(custom && strings.HasPrefix(text[j:], s.delim)) {
		j++
	}
	if s.start < 0 && (s.mysql || !s.known) && strings.EqualFold(text[i:j], "DELIMITER") && s.atLineStart(i) {
		if !s.known {
			return 0, errClientScript
		}
		return s.delimiter(j)
	}
	s.begin(i)
	s.words++
	// compoundRE ends at the kind's word: only then is it worth running.
	if s.compound == "" && s.words <= 10 && compoundKind(text[i:j]) {
		if m := compoundRE.FindStringSubmatch(text[s.start:j]); m != nil {
			s.compound = strings.ToUpper(m[1])
		}
	}
	// With a DELIMITER of its own, the file says where statements end.
	if s.compound != "" && !custom && (i == 0 || text[i-1] != '.') {
		j = s.block(strings.ToUpper(text[i:j]), j)
	}
	s.end = j
	return j, nil
}

// block follows the BEGIN … END nesting of a compound statement, given
// its word w that ends at j. It returns the offset where reading goes on.
// A BEGIN inside parentheses is a name, such as a parameter's; END closes
// the BEGIN or CASE opened inside as many parentheses, else it is a name
// too.
func (s *splitter) block(w string, j int) int {
	switch w {
	case "BEGIN":
		if s.parens == 0 {
			s.blocks = append(s.blocks, 0)
		}
	case "CASE":
		s.blocks = append(s.blocks, s.parens)
	case "END":
		next, n := wordAfter(s.text[j:])
		if !slices.Contains(endsNoBlock, next) {
			if k := len(s.blocks) - 1; k >= 0 && s.blocks[k] == s.parens {
				s.blocks = s.blocks[:k]
			}
		}
		if next == "CASE" || slices.Contains(endsNoBlock, next) {
			// END CASE, END IF…: the word after END opens nothing.
			s.line += strings.Count(s.text[j:j+n], "\n")
			j += n
		}
	}
	return j
}

// endsNoBlock are the words after END that close a MySQL compound
// statement (END IF…), not a BEGIN or CASE.
var endsNoBlock = []string{"IF", "LOOP", "REPEAT", "WHILE", "FOR"}

// compoundRE matches the head of a statement that may have semicolons
// inside: in a BEGIN … END body, or in a rule's (action; action).
// compoundKind reports whether w is a kind of statement compoundRE names.
func compoundKind(w string) bool {
	for _, k := range [...]string{"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "RULE"} {
		if strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

var compoundRE = regexp.MustCompile(`(?is)^CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*[^\s@]+(?:\s*@\s*\S+)?\s+)?(?:(?:TEMP|TEMPORARY|AGGREGATE)\s+)?(TRIGGER|PROCEDURE|FUNCTION|EVENT|RULE)$`)

// delimiter reads the rest of a DELIMITER line, from j, and returns the
// offset of its end. As in the mysql client, the delimiter is the first
// word after DELIMITER, optionally quoted.
func (s *splitter) delimiter(j int) (int, error) {
	end := len(s.text)
	if k := strings.IndexByte(s.text[j:], '\n'); k >= 0 {
		end = j + k
	}
	fields := strings.Fields(s.text[j:end])
	if len(fields) == 0 {
		return 0, &splitError{line: s.line, msg: "DELIMITER without a delimiter: write DELIMITER $$ before the statements, DELIMITER ; after them"}
	}
	d := fields[0]
	if len(d) > 1 && strings.IndexByte("'\"`", d[0]) >= 0 && d[len(d)-1] == d[0] {
		d = d[1 : len(d)-1]
	}
	switch {
	case d == "" || strings.ContainsRune(d, '\\'):
		return 0, &splitError{line: s.line, msg: fmt.Sprintf("DELIMITER %s: a delimiter is not empty and has no backslash", fields[0])}
	case len(fields) > 1 && !strings.HasPrefix(fields[1], "#") && !strings.HasPrefix(fields[1], "--"):
		return 0, &splitError{line: s.line, msg: fmt.Sprintf("DELIMITER %s: unexpected %q after the delimiter", fields[0], fields[1])}
	}
	s.delim = d
	return end, nil
}

// atLineStart reports whether only white space precedes i on its line.
func (s *splitter) atLineStart(i int) bool {
	for i > 0 && isSpace(s.text[i-1]) {
		i--
	}
	return i == 0 || s.text[i-1] == '\n'
}

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

var dollarTagRE = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_]*)?\$`)

func dollarTag(s string) string { return dollarTagRE.FindString(s) }

// isSpace reports white space other than a newline, which counts lines.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// isWordCont reports a byte that continues a word: all three databases
// allow $ in names after the first byte, so a$b$ is no dollar quote.
func isWordCont(c byte) bool { return isWordByte(c) || c == '$' }
