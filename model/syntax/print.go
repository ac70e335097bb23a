package syntax

import (
	"strconv"
	"strings"
)

// Print returns the canonical text of x: single spaces around binary
// operators, keywords and word operators in lower case (if c then a else b,
// mod, and, or, not x), -x with no space, f(a, b) and x[a, b], names and
// numbers as written. Paren nodes print as parentheses.
//
// For a tree returned by Parse, Print adds nothing else, and parsing its
// output gives back the same tree. For a tree built by hand, Print adds the
// parentheses that the tree's shape needs, so that the text still parses to
// that shape.
func Print(x Expr) string {
	var b strings.Builder
	printExpr(&b, x)
	return b.String()
}

func printExpr(b *strings.Builder, x Expr) {
	switch x := x.(type) {
	case nil:
	case *Num:
		b.WriteString(numText(x))
	case *Ident:
		b.WriteString(x.Name)
	case *Unary:
		if x.Op == NOT {
			b.WriteString("not ")
		} else {
			b.WriteString(x.Op.String())
		}
		printOperand(b, x.X, prec(x.X) < precUnary)
	case *Binary:
		p := prec(x)
		if x.Op == POW {
			printOperand(b, x.X, prec(x.X) < precPrimary || openRight(x.X))
		} else {
			printOperand(b, x.X, prec(x.X) < p || openRight(x.X))
		}
		b.WriteByte(' ')
		b.WriteString(x.Op.String())
		b.WriteByte(' ')
		if x.Op == POW {
			printOperand(b, x.Y, prec(x.Y) < precUnary)
		} else {
			printOperand(b, x.Y, prec(x.Y) <= p)
		}
	case *Paren:
		b.WriteByte('(')
		printExpr(b, x.X)
		b.WriteByte(')')
	case *Call:
		b.WriteString(x.Fn.Name)
		printList(b, '(', x.Args, ')')
	case *Index:
		b.WriteString(x.X.Name)
		printList(b, '[', x.Subs, ']')
	case *If:
		b.WriteString("if ")
		printExpr(b, x.Cond)
		b.WriteString(" then ")
		printExpr(b, x.Then)
		b.WriteString(" else ")
		printExpr(b, x.Else)
	}
}

func printOperand(b *strings.Builder, x Expr, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	printExpr(b, x)
	if paren {
		b.WriteByte(')')
	}
}

func printList(b *strings.Builder, open byte, list []Expr, close byte) {
	b.WriteByte(open)
	for i, x := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		printExpr(b, x)
	}
	b.WriteByte(close)
}

// numText returns the text of a number: as written, or formatted from its
// value for a Num built without text.
func numText(x *Num) string {
	if x.Text != "" {
		return x.Text
	}
	return strconv.FormatFloat(x.Value, 'g', -1, 64)
}

// prec returns how tightly x binds as an operand: the precedence of its
// operator, or precPrimary for an operand that needs no parentheses.
func prec(x Expr) int {
	switch x := x.(type) {
	case *Binary:
		if x.Op == POW {
			return precPower
		}
		return precedence(x.Op)
	case *Unary:
		return precUnary
	case *Num:
		if strings.HasPrefix(numText(x), "-") {
			return precUnary // a hand-built negative number prints as -n
		}
	}
	return precPrimary
}

// openRight reports whether x's text ends with the else branch of an if,
// which would swallow any operator written after x.
func openRight(x Expr) bool {
	for {
		switch y := x.(type) {
		case *If:
			return true
		case *Unary:
			x = y.X
		case *Binary:
			x = y.Y
		default:
			return false
		}
	}
}

// Equal reports whether a and b are the same tree, ignoring offsets.
// Names compare exactly (with case); numbers compare by value, so 1 and
// 1.0 are equal. A Paren is a node like any other: (a) and a differ.
func Equal(a, b Expr) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch a := a.(type) {
	case *Num:
		b, ok := b.(*Num)
		return ok && (a.Value == b.Value || a.Value != a.Value && b.Value != b.Value)
	case *Ident:
		b, ok := b.(*Ident)
		return ok && a.Name == b.Name
	case *Unary:
		b, ok := b.(*Unary)
		return ok && a.Op == b.Op && Equal(a.X, b.X)
	case *Binary:
		b, ok := b.(*Binary)
		return ok && a.Op == b.Op && Equal(a.X, b.X) && Equal(a.Y, b.Y)
	case *Paren:
		b, ok := b.(*Paren)
		return ok && Equal(a.X, b.X)
	case *Call:
		b, ok := b.(*Call)
		return ok && a.Fn.Name == b.Fn.Name && equalList(a.Args, b.Args)
	case *Index:
		b, ok := b.(*Index)
		return ok && a.X.Name == b.X.Name && equalList(a.Subs, b.Subs)
	case *If:
		b, ok := b.(*If)
		return ok && Equal(a.Cond, b.Cond) && Equal(a.Then, b.Then) && Equal(a.Else, b.Else)
	}
	return false
}

func equalList(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
