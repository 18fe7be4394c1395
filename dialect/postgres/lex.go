package postgres

import "strings"

// TokenKind says what a Token is.
type TokenKind int

// The kinds of token Lex returns.
const (
	// Word is a bare identifier, keyword or number: letters, digits, _
	// and $, and any byte of 0x80 or above.
	Word TokenKind = iota
	// Quoted is a "quoted identifier"; Token.Value holds the name with
	// doubled quotes undone.
	Quoted
	// String is a string constant: '…', E'…' (backslash escapes) or a
	// $tag$…$tag$ dollar quote; Token.Value holds what is between the
	// quotes, as written.
	String
	// Punct is one punctuation or operator character.
	Punct
)

// Token is one lexical unit of PostgreSQL SQL.
type Token struct {
	Kind TokenKind
	// Text is the token as written in the statement.
	Text string
	// Value is the name of a Quoted identifier, the inside of a String;
	// for the other kinds the same as Text.
	Value string
	// Pos is the byte offset of the token in the statement.
	Pos int
}

// Is reports whether t is the bare word w, compared case-insensitively.
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// Name is the identifier t names: a bare word folded to lower case, as
// PostgreSQL folds it, or a quoted name as written. ok is false for any
// other token.
func (t Token) Name() (name string, ok bool) {
	switch t.Kind {
	case Word:
		return strings.ToLower(t.Text), true
	case Quoted:
		return t.Value, true
	}
	return "", false
}

// LexError is an unterminated string, quoted name, dollar quote or
// comment.
type LexError struct {
	What string
	Pos  int
}

func (e *LexError) Error() string {
	return "postgres: unterminated " + e.What + " at byte " + itoa(e.Pos)
}

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

// Lex splits PostgreSQL SQL into tokens, leaving out whitespace and
// comments (-- to the end of the line, /* … */ nested). It is the one
// reading of statement text in this package: Transactional and the
// fingerprint's scope start from it.
//
// Lex stops at an unterminated string, quoted name, dollar quote or
// comment: it returns the tokens before it and a *LexError, so that a
// caller that must be sure of a statement's meaning can refuse to guess.
// A $ that starts no dollar quote ($1, a parameter) is Punct.
func Lex(s string) ([]Token, error) {
	var out []Token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return out, nil
			}
			i += j + 1
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			start, depth := i, 0
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
				return out, &LexError{"comment", start}
			}
		case c == '\'' || c == '"':
			end, ok := quotedEnd(s, i, false)
			if !ok {
				what := "string"
				if c == '"' {
					what = "quoted name"
				}
				return out, &LexError{what, i}
			}
			t := Token{Kind: String, Text: s[i:end], Value: s[i+1 : end-1], Pos: i}
			if c == '"' {
				t.Kind, t.Value = Quoted, strings.ReplaceAll(t.Value, `""`, `"`)
			}
			out = append(out, t)
			i = end
		case c == '$' && (i == 0 || !isWord(s[i-1])):
			tag := dollarTag(s[i:])
			if tag == "" {
				out = append(out, Token{Kind: Punct, Text: "$", Value: "$", Pos: i})
				i++ // $1, a parameter, or a lone $
				continue
			}
			close := strings.Index(s[i+len(tag):], tag)
			if close < 0 {
				return out, &LexError{"dollar quote", i}
			}
			end := i + len(tag) + close + len(tag)
			out = append(out, Token{Kind: String, Text: s[i:end], Value: s[i+len(tag) : end-len(tag)], Pos: i})
			i = end
		case isWord(c):
			j := i
			for j < len(s) && (isWord(s[j]) || s[j] == '$') {
				j++
			}
			if j < len(s) && s[j] == '\'' && j == i+1 && (c == 'E' || c == 'e') {
				// E'…': a string with backslash escapes.
				end, ok := quotedEnd(s, j, true)
				if !ok {
					return out, &LexError{"string", i}
				}
				out = append(out, Token{Kind: String, Text: s[i:end], Value: s[j+1 : end-1], Pos: i})
				i = end
				continue
			}
			out = append(out, Token{Kind: Word, Text: s[i:j], Value: s[i:j], Pos: i})
			i = j
		default:
			out = append(out, Token{Kind: Punct, Text: s[i : i+1], Value: s[i : i+1], Pos: i})
			i++
		}
	}
	return out, nil
}

// quotedEnd returns the offset after the quote that closes the quoted
// text starting at s[i]; a doubled quote stands for one, and with
// escapes a backslash escapes the next byte.
func quotedEnd(s string, i int, escapes bool) (int, bool) {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case escapes && s[j] == '\\':
			j++
		case s[j] == q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(s), false
}

// dollarTag returns the $tag$ that s starts with, or "" when s starts no
// dollar quote (a tag holds word characters and does not start with a
// digit).
func dollarTag(s string) string {
	end := strings.IndexByte(s[1:], '$')
	if end < 0 {
		return ""
	}
	tag := s[:end+2]
	inner := tag[1 : len(tag)-1]
	if inner != "" && inner[0] >= '0' && inner[0] <= '9' {
		return ""
	}
	for k := 0; k < len(inner); k++ {
		if inner[k] >= 0x80 || !isWord(inner[k]) {
			return ""
		}
	}
	return tag
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
