package syntax

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// full prints x with every operation in parentheses and no spaces around
// symbolic operators, so that a test can state a tree's shape. Paren nodes
// print as their contents: the shape says it all.
func full(x Expr) string {
	switch x := x.(type) {
	case *Num:
		return numText(x)
	case *Ident:
		return x.Name
	case *Unary:
		if x.Op == NOT {
			return "(not " + full(x.X) + ")"
		}
		return "(" + x.Op.String() + full(x.X) + ")"
	case *Binary:
		op := x.Op.String()
		switch x.Op {
		case AND, OR, MOD:
			op = " " + op + " "
		}
		return "(" + full(x.X) + op + full(x.Y) + ")"
	case *Paren:
		return full(x.X)
	case *Call:
		return x.Fn.Name + "(" + fullList(x.Args) + ")"
	case *Index:
		return x.X.Name + "[" + fullList(x.Subs) + "]"
	case *If:
		return "(if " + full(x.Cond) + " then " + full(x.Then) + " else " + full(x.Else) + ")"
	}
	return fmt.Sprintf("?%T", x)
}

func fullList(list []Expr) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = full(x)
	}
	return strings.Join(s, ",")
}

var shapeTests = []struct{ src, want string }{
	// Numbers and names.
	{"3", "3"},
	{".5", ".5"},
	{"3.", "3."},
	{"1e-3", "1e-3"},
	{"2.5E+10", "2.5E+10"},
	{"_x1", "_x1"},
	{"π * r^2", "(π*(r^2))"},
	{"größe", "größe"},
	{"iffy + notable + modulus + android", "(((iffy+notable)+modulus)+android)"},

	// Powers and prefix operators.
	{"-2^2", "(-(2^2))"},
	{"2^3^2", "(2^(3^2))"},
	{"2^-1", "(2^(-1))"},
	{"-2^-2", "(-(2^(-2)))"},
	{"2 ^ 3 * 4", "((2^3)*4)"},
	{"-a * b", "((-a)*b)"},
	{"a * -b", "(a*(-b))"},
	{"- - a", "(-(-a))"},
	{"+a", "(+a)"},
	{"!a", "(not a)"},
	{"NOT a", "(not a)"},
	{"not not a", "(not (not a))"},
	{"-x^2^y", "(-(x^(2^y)))"},

	// Left associativity and the arithmetic levels.
	{"a - b - c", "((a-b)-c)"},
	{"a / b * c", "((a/b)*c)"},
	{"a + b * c", "(a+(b*c))"},
	{"a * b + c", "((a*b)+c)"},
	{"a mod b * c", "((a mod b)*c)"},
	{"a + b MOD c", "(a+(b mod c))"},
	{"(a + b) * c", "((a+b)*c)"},

	// Comparisons and logic.
	{"not a = b", "((not a)=b)"},
	{"a < b = c < d", "((a<b)=(c<d))"},
	{"a < b < c", "((a<b)<c)"},
	{"a >= b + 1", "(a>=(b+1))"},
	{"a <= b", "(a<=b)"},
	{"a > b", "(a>b)"},
	{"a == b", "(a=b)"},
	{"a != b", "(a<>b)"},
	{"a <> b", "(a<>b)"},
	{"a = b and c <> d", "((a=b) and (c<>d))"},
	{"a or b and c", "(a or (b and c))"},
	{"a and b or c", "((a and b) or c)"},
	{"a || b && c", "(a or (b and c))"},
	{"a OR b AND c", "(a or (b and c))"},
	{"not a and b", "((not a) and b)"},

	// If.
	{"if a then b else c", "(if a then b else c)"},
	{"IF a THEN b ELSE c", "(if a then b else c)"},
	{"if a then b else c + 1", "(if a then b else (c+1))"},
	{"1 + if a then b else c * 2", "(1+(if a then b else (c*2)))"},
	{"if a > 0 then b else if a < 0 then -b else 0", "(if (a>0) then b else (if (a<0) then (-b) else 0))"},
	{"if a then if b then c else d else e", "(if a then (if b then c else d) else e)"},
	{"if if a then b else c then d else e", "(if (if a then b else c) then d else e)"},
	{"(if a then b else c) + 1", "((if a then b else c)+1)"},
	{"-if a then b else c", "(-(if a then b else c))"},
	{"2 ^ if a then b else c ^ 2", "(2^(if a then b else (c^2)))"},

	// Calls and subscripts.
	{"f()", "f()"},
	{"f(a)", "f(a)"},
	{"f(a, b + 1)", "f(a,(b+1))"},
	{"SMTH1(x, 3) * 2", "(SMTH1(x,3)*2)"},
	{"x[i]", "x[i]"},
	{"x[i, j + 1] ^ 2", "(x[i,(j+1)]^2)"},
	{"f(g(x[1]), (y))", "f(g(x[1]),y)"},
	{"x[*]", "x[*]"},
	{"sum(x[ * , j]) * 2", "(sum(x[*,j])*2)"},
	{"x[i, *] * y[*]", "(x[i,*]*y[*])"},
	{"max(a, if b then c else d)", "max(a,(if b then c else d))"},

	// White space and comments.
	{"{a comment} a {another} + b", "(a+b)"},
	{"a\n+\tb\r\n", "(a+b)"},
	{"a\u00a0*\u2003b", "(a*b)"},
	{"a{}*b", "(a*b)"},
}

func TestParseShape(t *testing.T) {
	for _, tt := range shapeTests {
		x, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := full(x); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestParseNumberValue(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want float64
	}{
		{"3", 3}, {".5", 0.5}, {"3.", 3}, {"1e-3", 0.001}, {"2.5E+10", 2.5e10}, {"007", 7}, {"1e-400", 0},
	} {
		x, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		n, ok := x.(*Num)
		if !ok {
			t.Errorf("Parse(%q) = %T, want *Num", tt.src, x)
			continue
		}
		if n.Value != tt.want || n.Text != tt.src {
			t.Errorf("Parse(%q) = Num{Text: %q, Value: %v}, want value %v", tt.src, n.Text, n.Value, tt.want)
		}
	}
}

func TestParseOffsets(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want string // each node in Walk order: type start-end
	}{
		{"  -x * (y + 1)", "Binary 2-14, Unary 2-4, Ident 3-4, Paren 7-14, Binary 8-13, Ident 8-9, Num 12-13"},
		{"f(a, 2.5)", "Call 0-9, Ident 0-1, Ident 2-3, Num 5-8"},
		{"f( )", "Call 0-4, Ident 0-1"},
		{"x [ i ]", "Index 0-7, Ident 0-1, Ident 4-5"},
		{"IF c THEN 1 ELSE 2e3 ", "If 0-20, Ident 3-4, Num 10-11, Num 17-20"},
		{"{c} not größe", "Unary 4-15, Ident 8-15"},
		{"a^b", "Binary 0-3, Ident 0-1, Ident 2-3"},
	} {
		x, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		var got []string
		Walk(x, func(n Expr) bool {
			got = append(got, fmt.Sprintf("%s %d-%d", strings.TrimPrefix(fmt.Sprintf("%T", n), "*syntax."), n.Start(), n.End()))
			return true
		})
		if g := strings.Join(got, ", "); g != tt.want {
			t.Errorf("Parse(%q) nodes:\n got %s\nwant %s", tt.src, g, tt.want)
		}
	}
	// The operator's offset.
	x, _ := Parse("a  <= b")
	if b := x.(*Binary); b.OpAt != 3 || b.Op != LEQ {
		t.Errorf("Parse(%q): OpAt = %d, Op = %v, want 3, <=", "a  <= b", b.OpAt, b.Op)
	}
}

var errorTests = []struct {
	src    string
	msg    string // a substring of the message
	offset int
}{
	{"", "empty equation", 0},
	{"  \n\t", "empty equation", 0},
	{"{just a comment}", "empty equation", 0},
	{"(a + b", `expected ")" to close the "(" at character 1 of the equation, found end of equation`, 6},
	{"3 * (a + b", `expected ")" to close the "(" at character 5 of the equation, found end of equation`, 10},
	{"(a + b]", `expected ")" to close the "(" at character 1 of the equation, found "]"`, 6},
	{"a *", `missing operand after "*"`, 3},
	{"a * )", `missing operand after "*"`, 4},
	{"a ==", `missing operand after "=="`, 4},
	{"not", `missing operand after "not"`, 3},
	{"2 ^", `missing operand after "^"`, 3},
	{"* a", `missing operand before "*"`, 0},
	{"if a else b", `expected "then" after the condition of "if", found "else"`, 5},
	{"if a then b", `expected "else" after the "then" branch of "if", found end of equation`, 11},
	{"if then 1 else 2", `missing condition after "if"`, 3},
	{"if a then else 2", `expected an expression after "then", found "else"`, 10},
	{"if a b then c else d", `unexpected name "b" after "a": missing an operator?`, 5},
	{"a, b", `unexpected ","`, 1},
	{"a b", `unexpected name "b" after "a": missing an operator?`, 2},
	{"2 3", `unexpected number "3" after "2": missing an operator?`, 2},
	{"(a)(b)", `unexpected "(" after ")": missing an operator?`, 3},
	{"f(a b)", `unexpected name "b" after "a": missing an operator?`, 4},
	{"a not b", `unexpected "not" after "a": missing an operator?`, 2},
	{"a )", `unexpected ")" with no matching "("`, 2},
	{"a]", `unexpected "]" with no matching "["`, 1},
	{"(a)[1]", `only a name can have subscripts`, 3},
	{"a then b", `unexpected "then" with no matching "if"`, 2},
	{"()", "empty parentheses", 1},
	{"f(a, )", `missing argument after ","`, 5},
	{"f(,)", `expected an expression after "(", found ","`, 2},
	{"x[]", `missing subscript`, 2},
	{"x[1", `expected "]" to close the "[" at character 2 of the equation, found end of equation`, 3},
	{"x[*", `the wildcard "*" must stand alone as a subscript, followed by "," or "]"; found end of equation`, 3},
	{"x[*2]", `the wildcard "*" must stand alone as a subscript, followed by "," or "]"; found number "2"`, 3},
	{"x[* + 1]", `the wildcard "*" must stand alone`, 4},
	{"x[1 + *]", `missing operand after "+"`, 6},
	{"x[**]", `the wildcard "*" must stand alone`, 3},
	{"x[i,]", `missing argument after ","`, 4},
	{"f(*)", `expected an expression after "(", found "*"`, 2},
	{"*", `missing operand before "*"`, 0},
	{"f(1, 2", `expected ")" to close the "(" at character 2 of the equation, found end of equation`, 6},
	{"1e999", `number "1e999" is out of range`, 0},
	{"a + 1e", `malformed number "1e"`, 4},
	{"1E+", `malformed number "1E+"`, 0},
	{"a $ b", `unexpected character '$'`, 2},
	{"a & b", `unexpected character '&'`, 2},
	{"a | b", `unexpected character '|'`, 2},
	{"a . b", `unexpected character '.'`, 2},
	{`"quoted name"`, `unexpected character '"'`, 0},
	{"a + €", `unexpected character '€'`, 4},
	{"a + \xff", "invalid UTF-8 byte 0xff", 4},
	{"a + {oops", "unterminated comment", 4},
	{"a + b {", "unterminated comment", 6},
	{"(a $", `unexpected character '$'`, 3}, // the lexical error, not the missing ")"
	{"if", `missing condition after "if", found end of equation`, 2},
	{strings.Repeat("(", maxDepth) + "a" + strings.Repeat(")", maxDepth), "equation nested too deeply", maxDepth},
	{strings.Repeat("-", maxDepth) + "a", "equation nested too deeply", maxDepth},
	{strings.Repeat("a^", maxDepth) + "a", "equation nested too deeply", 2 * maxDepth},
	{strings.Repeat("if a then b else ", maxDepth) + "a", "equation nested too deeply", 17*(maxDepth-1) + 3},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range errorTests {
		x, err := Parse(tt.src)
		name := tt.src
		if len(name) > 40 {
			name = name[:40] + "..."
		}
		if err == nil {
			t.Errorf("Parse(%q) = %s, want error %q", name, Print(x), tt.msg)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q): error %T, want *ParseError", name, err)
			continue
		}
		if !strings.Contains(pe.Msg, tt.msg) || pe.Offset != tt.offset {
			t.Errorf("Parse(%q): error at %d %q, want at %d %q", name, pe.Offset, pe.Msg, tt.offset, tt.msg)
		}
		if want := fmt.Sprintf("offset %d: %s", pe.Offset, pe.Msg); err.Error() != want {
			t.Errorf("Parse(%q): Error() = %q, want %q", name, err.Error(), want)
		}
	}
}

func TestParseDepthLimit(t *testing.T) {
	// Just inside the limit parses.
	for _, src := range []string{
		strings.Repeat("(", maxDepth-1) + "a" + strings.Repeat(")", maxDepth-1),
		strings.Repeat("-", maxDepth-1) + "a",
	} {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%d levels): %v", maxDepth-1, err)
		}
	}
	// A long flat chain is no nesting.
	src := strings.Repeat("a + ", 10000) + "a"
	x, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(long sum): %v", err)
	}
	if got := Print(x); got != src {
		t.Errorf("Print(Parse(long sum)) differs from the input")
	}
}

func TestPrint(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"a+b*c", "a + b * c"},
		{"(a+b)*c", "(a + b) * c"},
		{"( a )", "(a)"},
		{"-x^2", "-x ^ 2"},
		{"2^-1", "2 ^ -1"},
		{"a - -b", "a - -b"},
		{"- - a", "--a"},
		{"+ a", "+a"},
		{"!a && b || c", "not a and b or c"},
		{"NOT (a)", "not (a)"},
		{"a==b", "a = b"},
		{"a!=b", "a <> b"},
		{"a<>b", "a <> b"},
		{"a MOD b", "a mod b"},
		{"IF a>1 THEN b ELSE c", "if a > 1 then b else c"},
		{"f( a,b )", "f(a, b)"},
		{"F()", "F()"},
		{"x[ i ,j]", "x[i, j]"},
		{"sum(x[ *,j ])", "sum(x[*, j])"},
		{"{c} 1.50E3 ", "1.50E3"},
		{"3.+.5", "3. + .5"},
		{"Births/Population", "Births / Population"},
		{"1 + if a then b else c", "1 + if a then b else c"},
		{"a\n*\nb", "a * b"},
	} {
		x, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := Print(x); got != tt.want {
			t.Errorf("Print(Parse(%q)) = %q, want %q", tt.src, got, tt.want)
		}
	}
	if got := Print(nil); got != "" {
		t.Errorf("Print(nil) = %q, want \"\"", got)
	}
}

// TestPrintBuilt prints trees built by hand, whose shape Print must keep
// by adding parentheses.
func TestPrintBuilt(t *testing.T) {
	a, b, c := &Ident{Name: "a"}, &Ident{Name: "b"}, &Ident{Name: "c"}
	two := &Num{Text: "2", Value: 2}
	bin := func(x Expr, op Token, y Expr) *Binary { return &Binary{X: x, Op: op, Y: y} }
	ifx := &If{Cond: a, Then: b, Else: c}
	for _, tt := range []struct {
		x    Expr
		want string
	}{
		{bin(bin(a, ADD, b), MUL, c), "(a + b) * c"},
		{bin(a, SUB, bin(b, SUB, c)), "a - (b - c)"},
		{bin(bin(a, SUB, b), SUB, c), "a - b - c"},
		{bin(ifx, ADD, two), "(if a then b else c) + 2"},
		{bin(two, ADD, ifx), "2 + if a then b else c"},
		{bin(bin(two, MUL, ifx), ADD, c), "(2 * if a then b else c) + c"},
		{bin(&Unary{Op: SUB, X: ifx}, ADD, c), "(-if a then b else c) + c"},
		{bin(&Unary{Op: SUB, X: a}, POW, two), "(-a) ^ 2"},
		{bin(bin(two, POW, a), POW, two), "(2 ^ a) ^ 2"},
		{bin(two, POW, bin(two, POW, a)), "2 ^ 2 ^ a"},
		{bin(two, POW, &Unary{Op: SUB, X: a}), "2 ^ -a"},
		{bin(two, POW, bin(a, MUL, b)), "2 ^ (a * b)"},
		{&Unary{Op: SUB, X: bin(a, ADD, b)}, "-(a + b)"},
		{&Unary{Op: NOT, X: bin(a, EQL, b)}, "not (a = b)"},
		{bin(&Num{Value: -1}, POW, two), "(-1) ^ 2"},
		{bin(&Num{Value: 0.25}, MUL, two), "0.25 * 2"},
		{&Call{Fn: &Ident{Name: "f"}, Args: []Expr{bin(a, OR, b), ifx}}, "f(a or b, if a then b else c)"},
	} {
		got := Print(tt.x)
		if got != tt.want {
			t.Errorf("Print(%s) = %q, want %q", full(tt.x), got, tt.want)
			continue
		}
		y, err := Parse(got)
		if err != nil {
			t.Errorf("Parse(Print(%s)): %v", full(tt.x), err)
			continue
		}
		negative := false
		Walk(tt.x, func(n Expr) bool {
			if n, ok := n.(*Num); ok && n.Value < 0 {
				negative = true
			}
			return true
		})
		if negative {
			// A negative number reads back as a negation.
			if p := Print(y); p != got {
				t.Errorf("Print(Parse(Print(%s))) = %q, want %q", full(tt.x), p, got)
			}
			continue
		}
		if full(y) != full(tt.x) {
			t.Errorf("Parse(Print(%s)) = %s", full(tt.x), full(y))
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tt := range shapeTests {
		checkRoundTrip(t, tt.src)
	}
}

// checkRoundTrip checks that src, if it parses, prints to text that parses
// to an equal tree and prints the same again.
func checkRoundTrip(t *testing.T, src string) {
	t.Helper()
	x, err := Parse(src)
	if err != nil {
		return
	}
	p1 := Print(x)
	y, err := Parse(p1)
	if err != nil {
		t.Fatalf("Parse(Print(Parse(%q))) = Parse(%q): %v", src, p1, err)
	}
	if p2 := Print(y); p2 != p1 {
		t.Fatalf("Print is not stable for %q: %q then %q", src, p1, p2)
	}
	if !Equal(x, y) {
		t.Fatalf("Parse(Print(Parse(%q))) differs: %s vs %s", src, full(x), full(y))
	}
}

func TestEqual(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"a + b", "a+b", true},
		{"1", "1.0", true},
		{"1", "2", false},
		{"a + b", "a - b", false},
		{"a + b", "(a + b)", false},
		{"f(a)", "f(a, b)", false},
		{"f(a)", "g(a)", false},
		{"f(a)", "f[a]", false},
		{"x[i, j]", "x[i,j]", true},
		{"x[*]", "x[ * ]", true},
		{"x[*]", "x[i]", false},
		{"A", "a", false},
		{"IF a THEN b ELSE c", "if a then b else c", true},
		{"if a then b else c", "if a then b else d", false},
		{"-a", "not a", false},
		{"a && b", "a and b", true},
	} {
		a, err := Parse(tt.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(tt.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := Equal(a, b); got != tt.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if !Equal(nil, nil) || Equal(nil, &Ident{Name: "a"}) || Equal(&Ident{Name: "a"}, nil) {
		t.Errorf("Equal with nil is wrong")
	}
}

func TestWalk(t *testing.T) {
	x, err := Parse("f(a, -b) + x[1] * (if c then 2 else 3)")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Walk(x, func(n Expr) bool {
		got = append(got, Print(n))
		return true
	})
	want := []string{
		"f(a, -b) + x[1] * (if c then 2 else 3)",
		"f(a, -b)", "f", "a", "-b", "b",
		"x[1] * (if c then 2 else 3)", "x[1]", "x", "1",
		"(if c then 2 else 3)", "if c then 2 else 3", "c", "2", "3",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Walk visited\n %q\nwant\n %q", got, want)
	}

	// Returning false skips the children.
	got = got[:0]
	Walk(x, func(n Expr) bool {
		got = append(got, Print(n))
		_, isCall := n.(*Call)
		_, isParen := n.(*Paren)
		return !isCall && !isParen
	})
	want = []string{
		"f(a, -b) + x[1] * (if c then 2 else 3)",
		"f(a, -b)",
		"x[1] * (if c then 2 else 3)", "x[1]", "x", "1",
		"(if c then 2 else 3)",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Walk with pruning visited\n %q\nwant\n %q", got, want)
	}
}

func TestKeyword(t *testing.T) {
	for _, tt := range []struct {
		name string
		want Token
	}{
		{"if", IF}, {"If", IF}, {"IF", IF}, {"then", THEN}, {"ELSE", ELSE}, {"And", AND},
		{"oR", OR}, {"NOT", NOT}, {"Mod", MOD},
		{"i", IDENT}, {"iff", IDENT}, {"elses", IDENT}, {"elſe", IDENT}, {"modulo", IDENT},
	} {
		if got := keyword(tt.name); got != tt.want {
			t.Errorf("keyword(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	const src = "if stock > threshold then r * stock * (1 - stock / K) else -d * stock ^ 2 + SMTH1(x, 3)"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrint(b *testing.B) {
	x, err := Parse("if stock > threshold then r * stock * (1 - stock / K) else -d * stock ^ 2 + SMTH1(x, 3)")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Print(x)
	}
}
