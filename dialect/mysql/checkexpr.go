package mysql

import (
	"errors"
	"strings"
)

// MariaDB stores a check constraint's expression as its own parse tree
// printed back: parentheses it finds redundant dropped, NOT pushed into
// what it negates (not (a = 1 or a = 2) becomes a <> 1 and a <> 2, not a
// like 'x' becomes a not like 'x'), IN lists without spaces, && and ||
// as and and or; MySQL 8 puts every part in parentheses instead.
// normalizeCheck parses an expression (the server's or a model's, its
// columns already in backquotes) and prints it back in one spelling
// that does the same, so that both compare equal exactly when the server
// would store the same check. What it cannot parse (CASE, subqueries,
// functions with keywords inside) it returns unchanged.

type cknode struct {
	kind ckKind
	op   string // the operator, keyword or function name
	text string // a leaf's token
	args []*cknode
}

type ckKind int

const (
	ckLeaf    ckKind = iota // a column, string, number or keyword constant
	ckBool                  // and, or, xor over args
	ckNot                   // not args[0]
	ckBinary                // args[0] op args[1]: comparisons, like, arithmetic
	ckUnary                 // -args[0], ~args[0]
	ckNull                  // args[0] is [not] null; op "not" for is not null
	ckIn                    // args[0] [not] in (args[1:]); op "not" for not in
	ckBetween               // args[0] [not] between args[1] and args[2]
	ckFunc
)

var errCkSyntax = errors.New("mysql: check expression: not understood")

// Binding powers, after the server's operator precedence.
const (
	ckOr = iota + 1
	ckXor
	ckAnd
	ckNotP
	ckBetweenP
	ckCompare // = <=> >= > <= < <> != is like regexp in
	ckBitOr
	ckBitAnd
	ckShift
	ckAdd
	ckMul
	ckBitXor
	ckUnaryP
)

// normalizeCheck returns the one spelling of check expression s, or s
// when it does not parse.
func normalizeCheck(s string) string {
	toks, ok := ckLex(s)
	if !ok {
		return s
	}
	p := &ckParser{toks: toks}
	n, err := p.expr(0)
	if err != nil || p.pos != len(toks) {
		return s
	}
	return ckPrint(ckTruth(ckPushNot(n)), 0, false)
}

type cktok struct {
	kind byte // 'w' word, '`' quoted name, 's' string, 'n' number, 'o' operator, 'p' ( ) ,
	text string
}

func ckLex(s string) ([]cktok, bool) {
	var toks []cktok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for {
				if j >= len(s) {
					return nil, false
				}
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
			kind := byte('s')
			if c == '`' {
				kind = '`'
			}
			toks = append(toks, cktok{kind, s[i : j+1]})
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
				for j = k; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
				}
			}
			if j < len(s) && isIdentByte(s[j]) {
				return nil, false // 0x1f, 1abc
			}
			toks = append(toks, cktok{'n', s[i:j]})
			i = j
		case isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			toks = append(toks, cktok{'w', strings.ToLower(s[i:j])})
			i = j
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, cktok{'p', string(c)})
			i++
		default:
			op := ""
			for _, o := range []string{"<=>", "<>", "!=", ">=", "<=", "<<", ">>", "&&", "||", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!"} {
				if strings.HasPrefix(s[i:], o) {
					op = o
					break
				}
			}
			if op == "" || strings.HasPrefix(s[i:], "--") || strings.HasPrefix(s[i:], "/*") {
				return nil, false
			}
			toks = append(toks, cktok{'o', op})
			i += len(op)
		}
	}
	return toks, true
}

type ckParser struct {
	toks []cktok
	pos  int
}

func (p *ckParser) peek(k int) cktok {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return cktok{}
}

func (p *ckParser) is(k int, kind byte, text string) bool {
	t := p.peek(k)
	return t.kind == kind && t.text == text
}

func (p *ckParser) word(k int, w string) bool { return p.is(k, 'w', w) }

func (p *ckParser) expect(kind byte, text string) error {
	if !p.is(0, kind, text) {
		return errCkSyntax
	}
	p.pos++
	return nil
}

// ckReserved are the words that cannot be a column or function here.
var ckReserved = map[string]bool{
	"and": true, "or": true, "xor": true, "not": true, "is": true, "like": true, "in": true, "between": true,
	"regexp": true, "rlike": true, "div": true, "mod": true, "escape": true, "case": true, "when": true,
	"then": true, "else": true, "end": true, "select": true, "interval": true, "binary": true, "collate": true,
	"sounds": true, "member": true, "exists": true, "distinct": true, "using": true, "separator": true,
}

var ckBinaryPower = map[string]int{
	"|": ckBitOr, "&": ckBitAnd, "<<": ckShift, ">>": ckShift, "+": ckAdd, "-": ckAdd,
	"*": ckMul, "/": ckMul, "%": ckMul, "div": ckMul, "mod": ckMul, "^": ckBitXor,
	"=": ckCompare, "<=>": ckCompare, ">=": ckCompare, ">": ckCompare, "<=": ckCompare, "<": ckCompare,
	"<>": ckCompare, "!=": ckCompare,
}

func (p *ckParser) expr(min int) (*cknode, error) {
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek(0)
		var bool, op string
		switch {
		case t.text == "or" && t.kind == 'w' || t.text == "||" && t.kind == 'o':
			bool = "or"
		case t.text == "xor" && t.kind == 'w':
			bool = "xor"
		case t.text == "and" && t.kind == 'w' || t.text == "&&" && t.kind == 'o':
			bool = "and"
		}
		if bool != "" {
			bp := map[string]int{"or": ckOr, "xor": ckXor, "and": ckAnd}[bool]
			if min >= bp {
				return left, nil
			}
			p.pos++
			right, err := p.expr(bp)
			if err != nil {
				return nil, err
			}
			left = ckBoolNode(bool, left, right)
			continue
		}
		not := p.word(0, "not") && (p.word(1, "like") || p.word(1, "in") || p.word(1, "between") || p.word(1, "regexp") || p.word(1, "rlike"))
		k := 0
		if not {
			k = 1
		}
		switch {
		case p.word(0, "is") && min < ckCompare:
			switch {
			case p.word(1, "null"):
				p.pos += 2
				left = &cknode{kind: ckNull, args: []*cknode{left}}
			case p.word(1, "not") && p.word(2, "null"):
				p.pos += 3
				left = &cknode{kind: ckNull, op: "not", args: []*cknode{left}}
			default:
				return nil, errCkSyntax // is true, is unknown …
			}
			continue
		case (p.word(k, "like") || p.word(k, "regexp") || p.word(k, "rlike")) && min < ckCompare:
			op = p.peek(k).text
			if op == "rlike" {
				op = "regexp"
			}
			p.pos += k + 1
			right, err := p.expr(ckCompare)
			if err != nil {
				return nil, err
			}
			if p.word(0, "escape") {
				return nil, errCkSyntax
			}
			if not {
				op = "not " + op
			}
			left = &cknode{kind: ckBinary, op: op, args: []*cknode{left, right}}
			continue
		case p.word(k, "in") && min < ckCompare:
			p.pos += k + 1
			items, err := p.list()
			if err != nil {
				return nil, err
			}
			n := &cknode{kind: ckIn, args: append([]*cknode{left}, items...)}
			if not {
				n.op = "not"
			}
			left = n
			continue
		case p.word(k, "between") && min < ckBetweenP:
			p.pos += k + 1
			lo, err := p.expr(ckBetweenP)
			if err != nil {
				return nil, err
			}
			if !p.word(0, "and") {
				return nil, errCkSyntax
			}
			p.pos++
			hi, err := p.expr(ckBetweenP)
			if err != nil {
				return nil, err
			}
			n := &cknode{kind: ckBetween, args: []*cknode{left, lo, hi}}
			if not {
				n.op = "not"
			}
			left = n
			continue
		}
		if t.kind == 'o' || t.kind == 'w' && (t.text == "div" || t.text == "mod") {
			bp, ok := ckBinaryPower[t.text]
			if !ok || min >= bp {
				return left, nil
			}
			p.pos++
			right, err := p.expr(bp)
			if err != nil {
				return nil, err
			}
			op = t.text
			if op == "!=" {
				op = "<>"
			}
			if op == "mod" {
				op = "%"
			}
			left = &cknode{kind: ckBinary, op: op, args: []*cknode{left, right}}
			continue
		}
		return left, nil
	}
}

func (p *ckParser) prefix() (*cknode, error) {
	t := p.peek(0)
	switch {
	case t.kind == 'w' && t.text == "not" || t.kind == 'o' && t.text == "!":
		p.pos++
		bp := ckNotP - 1
		if t.text == "!" {
			bp = ckUnaryP
		}
		arg, err := p.expr(bp)
		if err != nil {
			return nil, err
		}
		return &cknode{kind: ckNot, args: []*cknode{arg}}, nil
	case t.kind == 'o' && (t.text == "-" || t.text == "+" || t.text == "~"):
		p.pos++
		arg, err := p.expr(ckUnaryP)
		if err != nil {
			return nil, err
		}
		if t.text == "+" {
			return arg, nil
		}
		if t.text == "-" && arg.kind == ckLeaf && p.toks[p.pos-1].kind == 'n' && !strings.HasPrefix(arg.text, "-") {
			return &cknode{kind: ckLeaf, text: "-" + arg.text}, nil
		}
		return &cknode{kind: ckUnary, op: t.text, args: []*cknode{arg}}, nil
	case t.kind == 'n' || t.kind == 's' || t.kind == '`':
		p.pos++
		return &cknode{kind: ckLeaf, text: t.text}, nil
	case t.kind == 'p' && t.text == "(":
		p.pos++
		n, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		return n, p.expect('p', ")")
	case t.kind == 'w' && !ckReserved[t.text]:
		p.pos++
		if p.is(0, 'p', "(") {
			args, err := p.list()
			if err != nil {
				return nil, err
			}
			return &cknode{kind: ckFunc, op: t.text, args: args}, nil
		}
		if p.peek(0).kind == 's' {
			return nil, errCkSyntax // an introducer or typed literal: date '…'
		}
		return &cknode{kind: ckLeaf, text: t.text}, nil
	}
	return nil, errCkSyntax
}

// list parses ( expr, expr … ); a call without arguments has none.
func (p *ckParser) list() ([]*cknode, error) {
	if err := p.expect('p', "("); err != nil {
		return nil, err
	}
	var items []*cknode
	if p.is(0, 'p', ")") {
		p.pos++
		return items, nil
	}
	for {
		n, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		items = append(items, n)
		if p.is(0, 'p', ",") {
			p.pos++
			continue
		}
		return items, p.expect('p', ")")
	}
}

func ckBoolNode(op string, left, right *cknode) *cknode {
	n := &cknode{kind: ckBool, op: op}
	for _, a := range []*cknode{left, right} {
		if a.kind == ckBool && a.op == op {
			n.args = append(n.args, a.args...)
		} else {
			n.args = append(n.args, a)
		}
	}
	return n
}

var ckInverse = map[string]string{
	"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
	"like": "not like", "not like": "like", "regexp": "not regexp", "not regexp": "regexp",
}

// ckPushNot moves each NOT into what it negates, as MariaDB does: an
// inverse comparison, NOT LIKE, NOT IN, NOT BETWEEN, IS NOT NULL, and De
// Morgan's laws over and and or. A NOT over anything else stays.
func ckPushNot(n *cknode) *cknode {
	for i, a := range n.args {
		n.args[i] = ckPushNot(a)
	}
	if n.kind != ckNot {
		return n
	}
	return ckNegate(n.args[0])
}

func ckNegate(n *cknode) *cknode {
	switch n.kind {
	case ckLeaf:
		if strings.HasPrefix(n.text, "`") { // not c is c = 0
			return &cknode{kind: ckBinary, op: "=", args: []*cknode{n, {kind: ckLeaf, text: "0"}}}
		}
	case ckNot:
		return n.args[0]
	case ckBinary:
		if inv, ok := ckInverse[n.op]; ok {
			return &cknode{kind: ckBinary, op: inv, args: n.args}
		}
	case ckNull, ckIn, ckBetween:
		op := "not"
		if n.op == "not" {
			op = ""
		}
		return &cknode{kind: n.kind, op: op, args: n.args}
	case ckBool:
		if n.op == "xor" {
			break
		}
		op := map[string]string{"and": "or", "or": "and"}[n.op]
		m := &cknode{kind: ckBool, op: op}
		for _, a := range n.args {
			m = ckBoolNode(op, m, ckNegate(a))
		}
		return m
	}
	return &cknode{kind: ckNot, args: []*cknode{n}}
}

// ckTruth spells a column that is an operand of and or or as the
// comparison MariaDB makes of it: c and d is c <> 0 and d <> 0.
func ckTruth(n *cknode) *cknode {
	for i, a := range n.args {
		n.args[i] = ckTruth(a)
		if n.kind == ckBool && n.op != "xor" && a.kind == ckLeaf && strings.HasPrefix(a.text, "`") {
			n.args[i] = &cknode{kind: ckBinary, op: "<>", args: []*cknode{a, {kind: ckLeaf, text: "0"}}}
		}
	}
	return n
}

// ckPower is the binding power of the operator at n's top.
func ckPower(n *cknode) int {
	switch n.kind {
	case ckBool:
		return map[string]int{"or": ckOr, "xor": ckXor, "and": ckAnd}[n.op]
	case ckNot:
		return ckNotP
	case ckBetween:
		return ckBetweenP
	case ckNull, ckIn:
		return ckCompare
	case ckBinary:
		if bp, ok := ckBinaryPower[n.op]; ok {
			return bp
		}
		return ckCompare // like, regexp
	case ckUnary:
		return ckUnaryP
	}
	return ckUnaryP + 1
}

// ckPrint prints n where an operator of binding power min holds it, in
// parentheses where precedence needs them; right says n is the right
// operand of a left-associative operator of that power.
func ckPrint(n *cknode, min int, right bool) string {
	var s string
	bp := ckPower(n)
	switch n.kind {
	case ckLeaf:
		return n.text
	case ckFunc:
		args := make([]string, len(n.args))
		for i, a := range n.args {
			args[i] = ckPrint(a, 0, false)
		}
		return n.op + "(" + strings.Join(args, ", ") + ")"
	case ckBool:
		parts := make([]string, len(n.args))
		for i, a := range n.args {
			parts[i] = ckPrint(a, bp, i > 0)
		}
		s = strings.Join(parts, " "+n.op+" ")
	case ckNot:
		s = "not " + ckPrint(n.args[0], bp, false)
	case ckBinary:
		s = ckPrint(n.args[0], bp, false) + " " + n.op + " " + ckPrint(n.args[1], bp, true)
	case ckUnary:
		s = n.op + ckPrint(n.args[0], bp, false)
	case ckNull:
		s = ckPrint(n.args[0], bp, false) + " is null"
		if n.op == "not" {
			s = ckPrint(n.args[0], bp, false) + " is not null"
		}
	case ckIn:
		items := make([]string, len(n.args)-1)
		for i, a := range n.args[1:] {
			items[i] = ckPrint(a, 0, false)
		}
		kw := " in ("
		if n.op == "not" {
			kw = " not in ("
		}
		s = ckPrint(n.args[0], bp, true) + kw + strings.Join(items, ", ") + ")"
	case ckBetween:
		kw := " between "
		if n.op == "not" {
			kw = " not between "
		}
		s = ckPrint(n.args[0], bp, true) + kw + ckPrint(n.args[1], bp, true) + " and " + ckPrint(n.args[2], bp, true)
	}
	// Comparisons do not chain, so an equal power on either side takes
	// parentheses; so does one on the right of a left-associative
	// operator.
	if bp < min || bp == min && (right || bp == ckCompare || bp == ckBetweenP || bp == ckNotP) {
		return "(" + s + ")"
	}
	return s
}
