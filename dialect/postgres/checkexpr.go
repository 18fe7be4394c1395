package postgres

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// A check constraint's expression comes back from pg_get_constraintdef
// rewritten: parentheses added around arithmetic under a comparison and
// around the parts of some longer expressions, dropped where precedence
// makes them redundant, LIKE spelled ~~, IN spelled = ANY (ARRAY[…]),
// BETWEEN spelled as two comparisons, a negative number spelled
// '-1'::integer, keywords in upper case. normalizeCheck parses an
// expression (the server's or a model's) into a small tree and prints it
// back in one spelling, so that both compare equal exactly when the
// server would store the same expression. What it cannot parse (CASE,
// subqueries, operators it does not know) it returns unchanged, and the
// text is compared as it was before.

// cnode is a node of a check expression.
type cnode struct {
	kind cnodeKind
	// op: AND or OR (kBool), the operator (kBinary, kUnary), the type
	// (kCast), the function name (kFunc), NOT for IS NOT NULL and NOT IN.
	op   string
	text string // kAtom, kNumber
	args []*cnode
}

type cnodeKind int

const (
	kAtom   cnodeKind = iota // a name, a string literal, a keyword constant
	kNumber                  // a numeric constant, sign included
	kBool                    // AND, OR over args
	kNot
	kBinary
	kUnary
	kNullTest // args[0] IS [NOT] NULL
	kIn       // args[0] [NOT] IN (args[1:])
	kCast     // args[0]::op
	kFunc
)

var errCheckSyntax = errors.New("postgres: check expression: not understood")

// normalizeCheck returns the one spelling of check expression s, or s
// when it does not parse.
func normalizeCheck(s string) string {
	toks, ok := lexCheck(s)
	if !ok {
		return s
	}
	p := &cparser{toks: toks}
	n, err := p.expr(0)
	if err != nil || p.pos != len(p.toks) {
		return s
	}
	return printCheck(n, nil, false)
}

// ctok is a token: kind 'w' word, 'q' quoted name, 's' string, 'n'
// number, 'o' operator, 'p' punctuation ( ) , [ ], ':' the :: of a cast.
type ctok struct {
	kind byte
	text string
}

func lexCheck(s string) ([]ctok, bool) {
	var toks []ctok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for {
				if j >= len(s) {
					return nil, false
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
			kind := byte('s')
			if c == '"' {
				kind = 'q'
			}
			toks = append(toks, ctok{kind, s[i : j+1]})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for j = k; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
					}
				}
			}
			if j < len(s) && isWordByte(s[j]) {
				return nil, false
			}
			toks = append(toks, ctok{'n', s[i:j]})
			i = j
		case isWordByte(c):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == '$') {
				j++
			}
			toks = append(toks, ctok{'w', s[i:j]})
			i = j
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			toks = append(toks, ctok{':', "::"})
			i += 2
		case strings.IndexByte("(),[]", c) >= 0:
			toks = append(toks, ctok{'p', string(c)})
			i++
		case strings.IndexByte(opChars, c) >= 0:
			j := i
			for j < len(s) && strings.IndexByte(opChars, s[j]) >= 0 {
				j++
			}
			op := s[i:j]
			if strings.Contains(op, "--") || strings.Contains(op, "/*") {
				return nil, false // a comment
			}
			// As the server's lexer: a multi-character operator does
			// not end in + or - unless it holds one of ~!@#%^&|`?, so
			// that a>-1 is a > -1.
			for len(op) > 1 && strings.IndexByte("+-", op[len(op)-1]) >= 0 && !strings.ContainsAny(op, "~!@#%^&|`?") {
				op = op[:len(op)-1]
			}
			toks = append(toks, ctok{'o', op})
			i += len(op)
		default:
			return nil, false
		}
	}
	return toks, true
}

const opChars = "+-*/<>=~!@#%^&|`?"

// Binding powers, as the server's grammar orders them.
const (
	bpOr = iota + 1
	bpAnd
	bpNot
	bpIs
	bpCompare
	bpLike // LIKE, ILIKE, IN, BETWEEN
	bpOp   // any other operator: ~~, ||, ~ …
	bpAdd
	bpMul
	bpPow
	bpUnary
	bpCast
)

type cparser struct {
	toks []ctok
	pos  int
}

func (p *cparser) peek(k int) ctok {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return ctok{}
}

func (p *cparser) word(k int, w string) bool {
	t := p.peek(k)
	return t.kind == 'w' && strings.EqualFold(t.text, w)
}

func (p *cparser) punct(k int, c string) bool {
	t := p.peek(k)
	return t.kind == 'p' && t.text == c
}

func (p *cparser) expect(c string) error {
	if !p.punct(0, c) {
		return errCheckSyntax
	}
	p.pos++
	return nil
}

// reserved are the words that end an operand.
var reserved = map[string]bool{
	"and": true, "or": true, "not": true, "is": true, "isnull": true, "notnull": true, "like": true, "ilike": true,
	"in": true, "between": true, "similar": true, "escape": true, "collate": true, "at": true, "any": true, "all": true,
	"some": true, "case": true, "when": true, "then": true, "else": true, "end": true, "select": true, "array": true,
	"distinct": true, "from": true, "overlaps": true, "symmetric": true, "unknown": true,
}

// expr parses an expression whose operators bind tighter than min.
func (p *cparser) expr(min int) (*cnode, error) {
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek(0)
		switch {
		case t.kind == 'w' && strings.EqualFold(t.text, "or") && min < bpOr:
			p.pos++
			right, err := p.expr(bpOr)
			if err != nil {
				return nil, err
			}
			left = boolNode("OR", left, right)
		case t.kind == 'w' && strings.EqualFold(t.text, "and") && min < bpAnd:
			p.pos++
			right, err := p.expr(bpAnd)
			if err != nil {
				return nil, err
			}
			left = boolNode("AND", left, right)
		case (p.word(0, "is") || p.word(0, "isnull") || p.word(0, "notnull")) && min < bpIs:
			n := &cnode{kind: kNullTest, args: []*cnode{left}}
			switch {
			case p.word(0, "isnull"):
				p.pos++
			case p.word(0, "notnull"):
				n.op = "NOT"
				p.pos++
			case p.word(1, "null"):
				p.pos += 2
			case p.word(1, "not") && p.word(2, "null"):
				n.op = "NOT"
				p.pos += 3
			default:
				return nil, errCheckSyntax // IS TRUE, IS DISTINCT FROM …
			}
			left = n
		case t.kind == 'o' && compareOp(t.text) != "" && min < bpCompare:
			p.pos++
			op := compareOp(t.text)
			if p.word(0, "any") || p.word(0, "all") || p.word(0, "some") {
				in, err := p.anyArray(left, op)
				if err != nil {
					return nil, err
				}
				left = in
				continue
			}
			right, err := p.expr(bpCompare)
			if err != nil {
				return nil, err
			}
			left = &cnode{kind: kBinary, op: op, args: []*cnode{left, right}}
		case min < bpLike && (p.word(0, "like") || p.word(0, "ilike") || p.word(0, "in") || p.word(0, "between") ||
			p.word(0, "not") && (p.word(1, "like") || p.word(1, "ilike") || p.word(1, "in") || p.word(1, "between"))):
			not := p.word(0, "not")
			if not {
				p.pos++
			}
			kw := strings.ToLower(p.peek(0).text)
			p.pos++
			switch kw {
			case "like", "ilike":
				right, err := p.expr(bpLike)
				if err != nil {
					return nil, err
				}
				if p.word(0, "escape") {
					return nil, errCheckSyntax
				}
				op := map[string]string{"like": "~~", "ilike": "~~*"}[kw]
				if not {
					op = "!" + op
				}
				left = &cnode{kind: kBinary, op: op, args: []*cnode{left, right}}
			case "in":
				items, err := p.list("(", ")")
				if err != nil {
					return nil, err
				}
				left = inNode(left, items, not)
			case "between":
				if p.word(0, "symmetric") {
					return nil, errCheckSyntax
				}
				lo, err := p.expr(bpLike)
				if err != nil {
					return nil, err
				}
				if !p.word(0, "and") {
					return nil, errCheckSyntax
				}
				p.pos++
				hi, err := p.expr(bpLike)
				if err != nil {
					return nil, err
				}
				// The server stores BETWEEN as the two comparisons.
				if not {
					left = boolNode("OR", &cnode{kind: kBinary, op: "<", args: []*cnode{left, lo}},
						&cnode{kind: kBinary, op: ">", args: []*cnode{left, hi}})
				} else {
					left = boolNode("AND", &cnode{kind: kBinary, op: ">=", args: []*cnode{left, lo}},
						&cnode{kind: kBinary, op: "<=", args: []*cnode{left, hi}})
				}
			}
		case t.kind == 'o' && compareOp(t.text) == "":
			bp := opPower(t.text)
			if min >= bp {
				return left, nil
			}
			p.pos++
			next := bp
			if t.text == "^" {
				next = bp // left-associative, as the server's grammar has it
			}
			right, err := p.expr(next)
			if err != nil {
				return nil, err
			}
			left = &cnode{kind: kBinary, op: t.text, args: []*cnode{left, right}}
		case t.kind == ':' && min < bpCast:
			p.pos++
			typ, err := p.typeName()
			if err != nil {
				return nil, err
			}
			left = castNode(left, typ)
		default:
			return left, nil
		}
	}
}

func compareOp(op string) string {
	switch op {
	case "=", "<", ">", "<=", ">=", "<>":
		return op
	case "!=":
		return "<>"
	}
	return ""
}

func opPower(op string) int {
	switch op {
	case "+", "-":
		return bpAdd
	case "*", "/", "%":
		return bpMul
	case "^":
		return bpPow
	}
	return bpOp
}

// prefix parses NOT, a sign, or a primary expression.
func (p *cparser) prefix() (*cnode, error) {
	t := p.peek(0)
	switch {
	case t.kind == 'w' && strings.EqualFold(t.text, "not"):
		p.pos++
		arg, err := p.expr(bpNot - 1)
		if err != nil {
			return nil, err
		}
		return &cnode{kind: kNot, args: []*cnode{arg}}, nil
	case t.kind == 'o' && (t.text == "-" || t.text == "+"):
		p.pos++
		arg, err := p.expr(bpUnary)
		if err != nil {
			return nil, err
		}
		if arg.kind == kNumber {
			if t.text == "-" {
				arg.text = negate(arg.text)
			}
			return arg, nil
		}
		if t.text == "+" {
			return nil, errCheckSyntax
		}
		return &cnode{kind: kUnary, op: "-", args: []*cnode{arg}}, nil
	case t.kind == 'n':
		p.pos++
		n, ok := number(t.text)
		if !ok {
			return nil, errCheckSyntax
		}
		return &cnode{kind: kNumber, text: n}, nil
	case t.kind == 's' || t.kind == 'q':
		p.pos++
		return &cnode{kind: kAtom, text: t.text}, nil
	case t.kind == 'p' && t.text == "(":
		p.pos++
		n, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case t.kind == 'w' && !reserved[strings.ToLower(t.text)]:
		p.pos++
		name := strings.ToLower(t.text)
		if p.punct(0, "(") {
			args, err := p.list("(", ")")
			if err != nil {
				return nil, err
			}
			return &cnode{kind: kFunc, op: name, args: args}, nil
		}
		if p.peek(0).kind == 's' {
			return nil, errCheckSyntax // a typed literal: date '2000-01-01'
		}
		return &cnode{kind: kAtom, text: name}, nil
	}
	return nil, errCheckSyntax
}

// list parses open expr, expr … close.
func (p *cparser) list(open, close string) ([]*cnode, error) {
	if err := p.expect(open); err != nil {
		return nil, err
	}
	var items []*cnode
	for {
		n, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		items = append(items, n)
		if p.punct(0, ",") {
			p.pos++
			continue
		}
		return items, p.expect(close)
	}
}

// anyArray parses ANY (ARRAY[…]) after = (IN) or ALL (ARRAY[…]) after
// <> (NOT IN), the server's spelling of IN lists.
func (p *cparser) anyArray(left *cnode, op string) (*cnode, error) {
	any := !p.word(0, "all")
	switch {
	case any && op == "=", !any && op == "<>":
	default:
		return nil, errCheckSyntax
	}
	p.pos++
	if err := p.expect("("); err != nil {
		return nil, err
	}
	if !p.word(0, "array") {
		return nil, errCheckSyntax
	}
	p.pos++
	items, err := p.list("[", "]")
	if err != nil {
		return nil, err
	}
	if p.peek(0).kind == ':' { // the array's cast: ::text[]
		p.pos++
		typ, err := p.typeName()
		if err != nil || !strings.HasSuffix(typ, "[]") {
			return nil, errCheckSyntax
		}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return inNode(left, items, !any), nil
}

// typeName parses the type of a cast: words (character varying, double
// precision, timestamp with time zone), then (n[, m]) and [].
func (p *cparser) typeName() (string, error) {
	var words []string
	for p.peek(0).kind == 'w' || p.peek(0).kind == 'q' {
		w := p.peek(0).text
		if len(words) > 0 && reserved[strings.ToLower(w)] {
			break
		}
		words = append(words, strings.ToLower(w))
		p.pos++
	}
	if len(words) == 0 {
		return "", errCheckSyntax
	}
	typ := strings.Join(words, " ")
	if p.punct(0, "(") {
		var mods []string
		p.pos++
		for p.peek(0).kind == 'n' {
			mods = append(mods, p.peek(0).text)
			p.pos++
			if !p.punct(0, ",") {
				break
			}
			p.pos++
		}
		if err := p.expect(")"); err != nil {
			return "", err
		}
		typ += "(" + strings.Join(mods, ",") + ")"
	}
	for p.punct(0, "[") && p.punct(1, "]") {
		p.pos += 2
		typ += "[]"
	}
	return typ, nil
}

func boolNode(op string, left, right *cnode) *cnode {
	n := &cnode{kind: kBool, op: op}
	for _, a := range []*cnode{left, right} {
		if a.kind == kBool && a.op == op {
			n.args = append(n.args, a.args...) // a AND (b AND c) is one AND
		} else {
			n.args = append(n.args, a)
		}
	}
	return n
}

func inNode(left *cnode, items []*cnode, not bool) *cnode {
	n := &cnode{kind: kIn, args: append([]*cnode{left}, items...)}
	if not {
		n.op = "NOT"
	}
	return n
}

// castNode applies a cast; a number spelled as a string with a numeric
// cast ('-1'::integer, as the server prints a negative constant), or
// given a numeric type (0::bigint, as the server prints a constant it
// has made the type of a column), is that number.
func castNode(arg *cnode, typ string) *cnode {
	switch typ {
	case "integer", "bigint", "numeric", "smallint":
		n := arg.text
		if arg.kind == kAtom && strings.HasPrefix(n, "'") {
			var ok bool
			if n, ok = number(strings.Trim(n, "'")); !ok {
				break
			}
		} else if arg.kind != kNumber {
			break
		}
		// A fraction cast to an integer type is rounded: not the same.
		if typ == "numeric" || !strings.ContainsAny(n, ".eE") {
			return &cnode{kind: kNumber, text: n}
		}
	}
	return &cnode{kind: kCast, op: typ, args: []*cnode{arg}}
}

// number spells a numeric constant in one way: no leading zeros, no
// + sign, its exponent kept as written.
func number(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if s == "" || strings.ContainsAny(s, "+-") && !strings.ContainsAny(s, "eE") {
		return "", false
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return "", false
	}
	if r, ok := new(big.Rat).SetString(s); ok && r.IsInt() && !strings.ContainsAny(s, ".eE") {
		s = r.Num().String()
	}
	if neg && s != "0" {
		s = "-" + s
	}
	return s, true
}

func negate(n string) string {
	if strings.HasPrefix(n, "-") {
		return n[1:]
	}
	if n == "0" {
		return n
	}
	return "-" + n
}

// printNumber spells a constant as the server prints it: an integer of
// four bytes or a decimal bare, unless negative; others quoted with
// their type.
func printNumber(n string) string {
	neg := strings.HasPrefix(n, "-")
	if !strings.ContainsAny(n, ".eE") {
		v, err := strconv.ParseInt(n, 10, 64)
		switch {
		case err == nil && v >= -1<<31 && v < 1<<31:
			if neg {
				return "'" + n + "'::integer"
			}
			return n
		case err == nil:
			return "'" + n + "'::bigint"
		}
		return "'" + n + "'::numeric"
	}
	if neg {
		return "'" + n + "'::numeric"
	}
	return n
}

// upperFuncs are the functions the server prints in upper case, as SQL
// syntax rather than calls.
var upperFuncs = map[string]bool{"coalesce": true, "nullif": true, "greatest": true, "least": true}

// printCheck prints n below parent (nil at the top), in parentheses where
// the server's pretty printer puts them; first says n is parent's first
// operand.
func printCheck(n, parent *cnode, first bool) string {
	var s string
	switch n.kind {
	case kAtom:
		return n.text
	case kNumber:
		return printNumber(n.text)
	case kFunc:
		args := make([]string, len(n.args))
		for i, a := range n.args {
			args[i] = printCheck(a, nil, false)
		}
		name := n.op
		if upperFuncs[name] {
			name = strings.ToUpper(name)
		}
		return name + "(" + strings.Join(args, ", ") + ")"
	case kBool:
		parts := make([]string, len(n.args))
		for i, a := range n.args {
			parts[i] = printCheck(a, n, i == 0)
		}
		s = strings.Join(parts, " "+n.op+" ")
	case kNot:
		s = "NOT " + printCheck(n.args[0], n, true)
	case kBinary:
		s = printCheck(n.args[0], n, true) + " " + n.op + " " + printCheck(n.args[1], n, false)
	case kUnary:
		s = n.op + " " + printCheck(n.args[0], n, true)
	case kNullTest:
		s = printCheck(n.args[0], n, true) + " IS NULL"
		if n.op == "NOT" {
			s = printCheck(n.args[0], n, true) + " IS NOT NULL"
		}
	case kIn:
		items := make([]string, len(n.args)-1)
		for i, a := range n.args[1:] {
			items[i] = printCheck(a, nil, false)
		}
		op := " IN ("
		if n.op == "NOT" {
			op = " NOT IN ("
		}
		s = printCheck(n.args[0], n, true) + op + strings.Join(items, ", ") + ")"
	case kCast:
		return printCheck(n.args[0], n, true) + "::" + n.op
	}
	if parent != nil && !simpleUnder(n, parent, first) {
		return "(" + s + ")"
	}
	return s
}

// simpleUnder says whether n, not an atom, needs no parentheses under
// parent, after the server's rules: comparisons and tests under AND, OR
// and NOT bare; AND under AND or OR, OR under OR; arithmetic under
// arithmetic where it binds tighter (or equally, as the first operand).
func simpleUnder(n, parent *cnode, first bool) bool {
	switch parent.kind {
	case kBool, kNot:
		if n.kind != kBool {
			return true
		}
		return n.op == "AND" && parent.kind == kBool || n.op == "OR" && parent.kind == kBool && parent.op == "OR"
	case kBinary:
		if n.kind != kBinary {
			return false
		}
		child, up := opPower(n.op), opPower(parent.op)
		if compareOp(n.op) != "" || compareOp(parent.op) != "" || child < bpAdd || up < bpAdd || child > bpMul || up > bpMul {
			return false
		}
		return child > up || child == up && first
	}
	return false
}
