package postgres

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/strata-go/strata/schema"
)

// seqOptions are the options of the sequence behind an identity or
// serial column, resolved: every value set, the defaults filled in for
// the sequence's type.
type seqOptions struct {
	// bits is the sequence's type: 16, 32 or 64 (AS smallint, integer,
	// bigint).
	bits                        int
	start, inc, min, max, cache int64
	cycle                       bool
}

// typeBits returns the bits of an integer type as formatType spells it,
// 64 for anything else.
func typeBits(typ string) int {
	switch typ {
	case "smallint":
		return 16
	case "integer":
		return 32
	}
	return 64
}

// bitsType names the integer type of bits.
func bitsType(bits int) string {
	switch bits {
	case 16:
		return "smallint"
	case 32:
		return "integer"
	}
	return "bigint"
}

// seqDefaults returns the default minimum and maximum of a sequence of
// bits bits counting by inc, as CREATE SEQUENCE picks them. The default
// start is the minimum counting up, the maximum counting down.
func seqDefaults(bits int, inc int64) (lo, hi int64) {
	typeMax := int64(math.MaxInt64)
	if bits < 64 {
		typeMax = int64(1)<<(bits-1) - 1
	}
	if inc > 0 {
		return 1, typeMax
	}
	return -typeMax - 1, -1
}

// defaultSeqOptions returns the options of a sequence of bits bits
// created without any.
func defaultSeqOptions(bits int) seqOptions {
	lo, hi := seqDefaults(bits, 1)
	return seqOptions{bits: bits, start: lo, inc: 1, min: lo, max: hi, cache: 1}
}

// format writes the options that are not the defaults of a sequence of
// an identity or serial column of columnBits bits, in the fixed order of
// Column.Sequence; "" when all are.
func (o seqOptions) format(columnBits int) string {
	var out []string
	if o.bits != columnBits {
		out = append(out, "AS "+bitsType(o.bits))
	}
	lo, hi := seqDefaults(o.bits, o.inc)
	start := o.min
	if o.inc < 0 {
		start = o.max
	}
	if o.start != start {
		out = append(out, "START WITH "+strconv.FormatInt(o.start, 10))
	}
	if o.inc != 1 {
		out = append(out, "INCREMENT BY "+strconv.FormatInt(o.inc, 10))
	}
	if o.min != lo {
		out = append(out, "MINVALUE "+strconv.FormatInt(o.min, 10))
	}
	if o.max != hi {
		out = append(out, "MAXVALUE "+strconv.FormatInt(o.max, 10))
	}
	if o.cache != 1 {
		out = append(out, "CACHE "+strconv.FormatInt(o.cache, 10))
	}
	if o.cycle {
		out = append(out, "CYCLE")
	}
	return strings.Join(out, " ")
}

// parseSeqOptions reads sequence options as people write them after
// GENERATED … AS IDENTITY or CREATE SEQUENCE (AS type, START [WITH] n,
// INCREMENT [BY] n, MINVALUE n, NO MINVALUE, MAXVALUE n, NO MAXVALUE,
// CACHE n, [NO] CYCLE), for a column of columnBits bits, and resolves
// them.
func parseSeqOptions(text string, columnBits int) (seqOptions, error) {
	o := seqOptions{bits: columnBits, inc: 1, cache: 1}
	var hasMin, hasMax, hasStart bool
	words := strings.Fields(strings.ToUpper(strings.NewReplacer("(", " ", ")", " ", ",", " ").Replace(text)))
	num := func(i int) (int64, error) {
		if i >= len(words) {
			return 0, fmt.Errorf("sequence options %q: a number is missing at the end", text)
		}
		n, err := strconv.ParseInt(words[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("sequence options %q: %q is not a whole number", text, words[i])
		}
		return n, nil
	}
	for i := 0; i < len(words); i++ {
		var err error
		switch w := words[i]; w {
		case "AS":
			if i+1 >= len(words) {
				return o, fmt.Errorf("sequence options %q: AS without a type", text)
			}
			i++
			t, ok := parseType(strings.ToLower(words[i])).(schema.IntegerType)
			if !ok {
				return o, fmt.Errorf("sequence options %q: AS %s is not an integer type", text, words[i])
			}
			o.bits = typeBits(formatType(t))
		case "START", "INCREMENT":
			if i+1 < len(words) && (words[i+1] == "WITH" || words[i+1] == "BY") {
				i++
			}
			i++
			var n int64
			if n, err = num(i); err == nil {
				if w == "START" {
					o.start, hasStart = n, true
				} else if o.inc = n; n == 0 {
					err = fmt.Errorf("sequence options %q: INCREMENT must not be zero", text)
				}
			}
		case "MINVALUE":
			i++
			o.min, err = num(i)
			hasMin = true
		case "MAXVALUE":
			i++
			o.max, err = num(i)
			hasMax = true
		case "CACHE":
			i++
			o.cache, err = num(i)
		case "CYCLE":
			o.cycle = true
		case "NO":
			if i+1 >= len(words) {
				return o, fmt.Errorf("sequence options %q: NO at the end", text)
			}
			i++
			switch words[i] {
			case "MINVALUE":
				hasMin = false
			case "MAXVALUE":
				hasMax = false
			case "CYCLE":
				o.cycle = false
			default:
				return o, fmt.Errorf("sequence options %q: NO %s is not an option", text, words[i])
			}
		default:
			return o, fmt.Errorf("sequence options %q: %q is not an option strata knows", text, w)
		}
		if err != nil {
			return o, err
		}
	}
	lo, hi := seqDefaults(o.bits, o.inc)
	if !hasMin {
		o.min = lo
	}
	if !hasMax {
		o.max = hi
	}
	if !hasStart {
		o.start = o.min
		if o.inc < 0 {
			o.start = o.max
		}
	}
	return o, nil
}

// columnBits returns the bits of an integer column's type.
func columnBits(c *schema.Column) int { return typeBits(formatType(c.Type)) }

// canonicalSequence rewrites a column's sequence options in the spelling
// Inspect reports; a column that is neither identity nor serial has none.
// Options it cannot read are left as they are, for the server to refuse.
func canonicalSequence(c *schema.Column) {
	if !c.AutoIncrement {
		c.Sequence = ""
		return
	}
	if strings.TrimSpace(c.Sequence) == "" {
		c.Sequence = ""
		return
	}
	o, err := parseSeqOptions(c.Sequence, columnBits(c))
	if err != nil {
		return
	}
	c.Sequence = o.format(columnBits(c))
}

// seqOptionsOf resolves a column's sequence options, the defaults when it
// has none.
func seqOptionsOf(c *schema.Column) (seqOptions, error) {
	if strings.TrimSpace(c.Sequence) == "" {
		return defaultSeqOptions(columnBits(c)), nil
	}
	o, err := parseSeqOptions(c.Sequence, columnBits(c))
	if err != nil {
		return o, fmt.Errorf("column %q: %w", c.Name, err)
	}
	return o, nil
}

// alterIdentityOptions renders the SET clauses that give an identity
// column's sequence every option of o; the type follows the column's.
func alterIdentityOptions(o seqOptions) string {
	cycle := "NO CYCLE"
	if o.cycle {
		cycle = "CYCLE"
	}
	return fmt.Sprintf("SET INCREMENT BY %d SET MINVALUE %d SET MAXVALUE %d SET START WITH %d SET CACHE %d SET %s",
		o.inc, o.min, o.max, o.start, o.cache, cycle)
}

// alterSequenceOptions renders the options of ALTER SEQUENCE that give a
// serial column's sequence every option of o, its type included.
func alterSequenceOptions(o seqOptions) string {
	cycle := "NO CYCLE"
	if o.cycle {
		cycle = "CYCLE"
	}
	return fmt.Sprintf("AS %s INCREMENT BY %d MINVALUE %d MAXVALUE %d START WITH %d CACHE %d %s",
		bitsType(o.bits), o.inc, o.min, o.max, o.start, o.cache, cycle)
}
