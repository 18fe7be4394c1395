package mysql

import (
	"strings"
)

// TokenKind says what a Token is.
type TokenKind int

// The kinds of token Lex returns.
const (
	// Word is a bare identifier or keyword: letters, digits, _ and $, and
	// any byte of 0x80 or above (MySQL allows those in bare names).
	Word TokenKind = iota
	// Quoted is a backtick-quoted identifier (or, under ANSI_QUOTES, a
	// double-quoted one); Token.Value holds the name with doubled quotes
	// unescaped.
	Quoted
	// String is a string literal in '…' or "…" (MySQL's default sql_mode
	// reads double quotes as strings); Token.Value holds its value with
	// doubled quotes and backslash escapes undone.
	String
	// Number is a numeric literal: 12, 1.5, .5, 1e-3, 0x1F, 0b101.
	Number
	// Punct is one punctuation or operator character.
	Punct
	// Executable is a /*!…*/ or /*M!…*/ comment, which the server runs as
	// SQL (when its version is high enough). Token.Value holds the SQL
	// inside, without the version number.
	Executable
)

func (k TokenKind) String() string {
	switch k {
	case Word:
		return "word"
	case Quoted:
		return "quoted"
	case String:
		return "string"
	case Number:
		return "number"
	case Punct:
		return "punct"
	case Executable:
		return "executable"
	}
	return "?"
}

// Token is one lexical unit of MySQL or MariaDB SQL.
type Token struct {
	Kind TokenKind
	// Text is the token as written in the statement.
	Text string
	// Value is the token's meaning: the name of a Quoted identifier, the
	// value of a String, the inner SQL of an Executable comment; for the
	// other kinds the same as Text.
	Value string
	// Pos is the byte offset of the token in the statement.
	Pos int
}

// Is reports whether t is the bare word w, compared case-insensitively
// as MySQL compares keywords.
func (t Token) Is(w string) bool {
	return t.Kind == Word && strings.EqualFold(t.Text, w)
}

// IsPunct reports whether t is the punctuation p.
func (t Token) IsPunct(p string) bool {
	return t.Kind == Punct && t.Text == p
}

// Name is the identifier t names: a bare word or a backtick-quoted name.
// ok is false for any other token.
func (t Token) Name() (name string, ok bool) {
	switch t.Kind {
	case Word, Quoted:
		return t.Value, true
	}
	return "", false
}

// Lex splits MySQL or MariaDB SQL into tokens, leaving out whitespace and
// comments (/* … */, -- followed by a space or control character, and
// #…). Executable comments (/*! … */, /*M! … */) come out as one
// Executable token; LexExecutable lexes their inside in place.
//
// Lex reads SQL as the server does in its default sql_mode: double
// quotes delimit strings and a backslash escapes; Mode.Lex reads it as
// other modes make the server read it.
//
// Lex never fails: an unterminated string, quoted name or comment runs to
// the end of the input, and err reports it, so that a caller that must be
// sure of a statement's meaning can refuse to guess.
func Lex(sql string) (tokens []Token, err error) { return Mode{}.Lex(sql) }

// Mode is how a session's sql_mode makes the server read SQL.
type Mode struct {
	// ANSIQuotes: "…" quotes a name, not a string (ANSI_QUOTES, and ANSI
	// which includes it).
	ANSIQuotes bool
	// NoBackslashEscapes: a backslash in a string is an ordinary
	// character (NO_BACKSLASH_ESCAPES).
	NoBackslashEscapes bool
}

// ParseMode reads the value of @@sql_mode.
func ParseMode(sqlMode string) Mode {
	var m Mode
	for _, f := range strings.Split(strings.ToUpper(sqlMode), ",") {
		switch strings.TrimSpace(f) {
		case "ANSI_QUOTES", "ANSI":
			m.ANSIQuotes = true
		case "NO_BACKSLASH_ESCAPES":
			m.NoBackslashEscapes = true
		}
	}
	return m
}

// Lex is the package's Lex, reading SQL as a session in mode m does.
func (m Mode) Lex(sql string) (tokens []Token, err error) {
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#':
			i = lineEnd(sql, i)
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-' && (i+2 == len(sql) || sql[i+2] <= ' '):
			i = lineEnd(sql, i)
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			stop := len(sql)
			if end < 0 {
				err = lexError("comment", i)
			} else {
				stop = i + 2 + end + 2
			}
			if inner, ok := executable(sql[i:stop]); ok {
				tokens = append(tokens, Token{Kind: Executable, Text: sql[i:stop], Value: inner, Pos: i})
			}
			i = stop
		case c == '\'' || c == '"' && !m.ANSIQuotes:
			v, end, ok := quoted(sql, i, c, !m.NoBackslashEscapes)
			if !ok {
				err = lexError("string", i)
			}
			tokens = append(tokens, Token{Kind: String, Text: sql[i:end], Value: v, Pos: i})
			i = end
		case c == '`' || c == '"':
			v, end, ok := quoted(sql, i, c, false)
			if !ok {
				err = lexError("quoted name", i)
			}
			tokens = append(tokens, Token{Kind: Quoted, Text: sql[i:end], Value: v, Pos: i})
			i = end
		case isDigit(c) || (c == '.' && i+1 < len(sql) && isDigit(sql[i+1]) && !afterName(tokens, i)):
			end := number(sql, i)
			if end < len(sql) && isWordByte(sql[end]) {
				// 1abc is a name in MySQL (a bare name may start with a
				// digit), not a number followed by a word.
				end = wordEnd(sql, end)
				tokens = append(tokens, Token{Kind: Word, Text: sql[i:end], Value: sql[i:end], Pos: i})
			} else {
				tokens = append(tokens, Token{Kind: Number, Text: sql[i:end], Value: sql[i:end], Pos: i})
			}
			i = end
		case isWordByte(c):
			end := wordEnd(sql, i)
			w := sql[i:end]
			// x'1F', b'101', N'…' and _utf8mb4'…' introduce strings.
			if end < len(sql) && sql[end] == '\'' && (strings.EqualFold(w, "x") || strings.EqualFold(w, "b") || strings.EqualFold(w, "n") || (w[0] == '_' && len(w) > 1)) {
				v, send, ok := quoted(sql, end, '\'', !m.NoBackslashEscapes)
				if !ok {
					err = lexError("string", i)
				}
				tokens = append(tokens, Token{Kind: String, Text: sql[i:send], Value: v, Pos: i})
				i = send
				continue
			}
			tokens = append(tokens, Token{Kind: Word, Text: w, Value: w, Pos: i})
			i = end
		default:
			tokens = append(tokens, Token{Kind: Punct, Text: sql[i : i+1], Value: sql[i : i+1], Pos: i})
			i++
		}
	}
	return tokens, err
}

// LexExecutable lexes sql as Lex does, then replaces each Executable
// comment by the tokens of the SQL inside it, as the server runs it.
// Positions of the inner tokens point into sql.
func LexExecutable(sql string) ([]Token, error) { return Mode{}.LexExecutable(sql) }

// LexExecutable is the package's LexExecutable in mode m.
func (m Mode) LexExecutable(sql string) ([]Token, error) {
	tokens, err := m.Lex(sql)
	if !hasExecutable(tokens) {
		return tokens, err
	}
	var out []Token
	for _, t := range tokens {
		if t.Kind != Executable {
			out = append(out, t)
			continue
		}
		innerStart := t.Pos + strings.Index(t.Text, t.Value)
		inner, ierr := m.LexExecutable(t.Value)
		if ierr != nil && err == nil {
			err = ierr
		}
		for _, it := range inner {
			it.Pos += innerStart
			out = append(out, it)
		}
	}
	return out, err
}

func hasExecutable(tokens []Token) bool {
	for _, t := range tokens {
		if t.Kind == Executable {
			return true
		}
	}
	return false
}

// LexError is an unterminated string, quoted name or comment.
type LexError struct {
	What string
	Pos  int
}

func (e *LexError) Error() string {
	return "mysql: unterminated " + e.What + " at byte " + itoa(e.Pos)
}

func lexError(what string, pos int) error { return &LexError{What: what, Pos: pos} }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// executable returns the SQL inside a /*!NNNNN … */ or /*M!NNNNN … */
// comment.
func executable(c string) (string, bool) {
	body := strings.TrimPrefix(c, "/*")
	body = strings.TrimSuffix(body, "*/")
	switch {
	case strings.HasPrefix(body, "!"):
		body = body[1:]
	case strings.HasPrefix(body, "M!"):
		body = body[2:]
	default:
		return "", false
	}
	// An optional version: five or six digits.
	n := 0
	for n < len(body) && n < 6 && isDigit(body[n]) {
		n++
	}
	if n >= 5 {
		body = body[n:]
	}
	return body, true
}

func lineEnd(sql string, i int) int {
	if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(sql)
}

// quoted reads the quoted text that starts at sql[i] == q and returns its
// value and the offset after the closing quote. A doubled quote stands for
// one; with escapes, a backslash escapes the next byte (\n, \t, \0, \Z,
// \b, \r mean control characters; \% and \_ keep their backslash).
func quoted(sql string, i int, q byte, escapes bool) (value string, end int, ok bool) {
	var b strings.Builder
	for j := i + 1; j < len(sql); j++ {
		c := sql[j]
		switch {
		case c == q:
			if j+1 < len(sql) && sql[j+1] == q {
				b.WriteByte(q)
				j++
				continue
			}
			return b.String(), j + 1, true
		case c == '\\' && escapes && j+1 < len(sql):
			j++
			switch e := sql[j]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case '0':
				b.WriteByte(0)
			case 'Z':
				b.WriteByte(26)
			case '%', '_':
				b.WriteByte('\\')
				b.WriteByte(e)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(sql), false
}

func number(sql string, i int) int {
	if sql[i] == '0' && i+1 < len(sql) && (sql[i+1] == 'x' || sql[i+1] == 'X' || sql[i+1] == 'b' || sql[i+1] == 'B') {
		j := i + 2
		for j < len(sql) && isHex(sql[j]) {
			j++
		}
		if j > i+2 {
			return j
		}
	}
	j := i
	for j < len(sql) && isDigit(sql[j]) {
		j++
	}
	if j < len(sql) && sql[j] == '.' {
		j++
		for j < len(sql) && isDigit(sql[j]) {
			j++
		}
	}
	if j < len(sql) && (sql[j] == 'e' || sql[j] == 'E') {
		k := j + 1
		if k < len(sql) && (sql[k] == '+' || sql[k] == '-') {
			k++
		}
		if k < len(sql) && isDigit(sql[k]) {
			for k < len(sql) && isDigit(sql[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

// afterName reports whether the previous token ends right at i and is a
// name, so that "t.5" reads as t . 5, a qualified name, not t .5.
func afterName(tokens []Token, i int) bool {
	if len(tokens) == 0 {
		return false
	}
	last := tokens[len(tokens)-1]
	return (last.Kind == Word || last.Kind == Quoted) && last.Pos+len(last.Text) == i
}

func wordEnd(sql string, i int) int {
	for i < len(sql) && isWordByte(sql[i]) {
		i++
	}
	return i
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
